"""End to end through the real `langchain-openai` client against a scripted OpenAI-compatible
server on 127.0.0.1: the engine is built from Settings exactly as in production (LLM_MODEL and
OPENAI_BASE_URL), only the server is fake."""
from __future__ import annotations

import socket
import time

import pytest

from bot.llm.engine import build_llm_engine
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from tests.llm.openai_server import HANG, ScriptedOpenAIServer, Status, text_reply, tool_call_reply

QUESTION = "How much will the council's budget have reduced by 2020-21?"
KPI_TOOLS = ["search_documents", "find_measures", "get_measure", "list_outcomes", "find_commitments", "get_figures",
             "latest_value", "trend", "related_outcomes"]


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def engine_for(url: str, fake_engine, kpi, timeout_s: float = 5.0):
    settings = Settings(corpus_dir=DEFAULT_CORPUS_DIR, llm_model="openai:scripted-model", openai_base_url=url,
                        llm_timeout_s=timeout_s, llm_max_tool_calls=4)
    return build_llm_engine(settings, fake_engine, kpi)


def test_a_grounded_answer_through_the_real_client(fake_engine, kpi):
    script = [tool_call_reply("get_figures", {"text": "budget reduction"}),
              text_reply("By 2020-21 the council's budget will have reduced by £124 million [R1].")]
    with ScriptedOpenAIServer(script) as server:
        answer = engine_for(server.url, fake_engine, kpi).answer(QUESTION)
    assert (answer.mode, answer.text, answer.checked_numbers) == (
        "llm", "By 2020-21 the council's budget will have reduced by £124 million [1].", ("2020-21", "124 million"))
    assert [c.quote for c in answer.citations] == ["our budget will have reduced by £124 million"]
    assert [f.value for f in answer.figures] == ["£124 million"]
    first, second = server.requests
    assert first["model"] == "scripted-model"
    assert [tool["function"]["name"] for tool in first["tools"]] == KPI_TOOLS
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert first["messages"][1]["content"] == QUESTION
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "tool"]
    assert second["messages"][3]["tool_call_id"] == "call_1"
    assert second["messages"][3]["content"].startswith("Result R1:\n1 figure:\n- Reduction in the County Council's")


def test_an_invented_number_is_repaired(fake_engine, kpi):
    script = [tool_call_reply("get_figures", {"text": "budget reduction"}),
              text_reply("The budget will have reduced by £150 million by 2020-21 [R1]."),
              text_reply("The budget will have reduced by £124 million by 2020-21 [R1].")]
    with ScriptedOpenAIServer(script) as server:
        answer = engine_for(server.url, fake_engine, kpi).answer(QUESTION)
    assert (answer.mode, answer.text) == ("llm", "The budget will have reduced by £124 million by 2020-21 [1].")
    repair = server.requests[2]["messages"][-1]
    assert repair["role"] == "user"
    assert repair["content"].splitlines()[1] == (
        "- These numbers are not in any tool result of this conversation: 150 million.")


def test_an_invented_number_that_survives_repair_is_replaced(fake_engine, kpi):
    script = [tool_call_reply("get_figures", {"text": "budget reduction"}),
              text_reply("The budget will have reduced by £150 million [R1]."),
              text_reply("The budget will have reduced by about 150 million pounds [R1].")]
    with ScriptedOpenAIServer(script) as server:
        answer = engine_for(server.url, fake_engine, kpi).answer(QUESTION)
    assert answer.mode == "offline"
    assert "150" not in answer.text.split("\nNote: ")[0]
    assert answer.notes[-1] == ("This is the offline answer: the language-model answer was not used because it gave "
                                "numbers that are not in the sources, even after one correction.")
    assert "150" not in answer.text and all("150" not in note for note in answer.notes)
    assert len(server.requests) == 3


def test_malformed_tool_arguments_go_back_to_the_model(fake_engine, kpi):
    script = [tool_call_reply("get_figures", '{"text": "budget reduction"', call_id="call_bad"),
              tool_call_reply("get_figures", {"text": "budget reduction"}, call_id="call_good"),
              text_reply("It will have reduced by £124 million by 2020-21 [R1].")]
    with ScriptedOpenAIServer(script) as server:
        answer = engine_for(server.url, fake_engine, kpi).answer(QUESTION)
    assert (answer.mode, answer.text) == ("llm", "It will have reduced by £124 million by 2020-21 [1].")
    reply = server.requests[1]["messages"][3]
    assert (reply["role"], reply["tool_call_id"]) == ("tool", "call_bad")
    assert reply["content"].startswith("Your call to 'get_figures' could not be read (")


def test_a_hanging_server_falls_back_within_the_budget(fake_engine, kpi):
    with ScriptedOpenAIServer([HANG]) as server:
        engine = engine_for(server.url, fake_engine, kpi, timeout_s=2.0)
        started = time.monotonic()
        answer = engine.answer(QUESTION)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert answer.mode == "offline"
    assert answer.notes[-1] == ("This is the offline answer: the language-model answer was not used because the "
                                "language model did not answer within the time budget of 2 s.")


def test_a_rate_limit_falls_back_without_retrying(fake_engine, kpi):
    with ScriptedOpenAIServer([Status(429, "Rate limit reached")]) as server:
        answer = engine_for(server.url, fake_engine, kpi).answer(QUESTION)
    assert answer.mode == "offline"
    assert answer.notes[-1] == ("This is the offline answer: the language-model answer was not used because the "
                                "language model provider is limiting requests (rate limit).")
    assert len(server.requests) == 1


def test_a_dead_endpoint_falls_back(fake_engine, kpi):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = engine_for(f"http://127.0.0.1:{port}/v1", fake_engine, kpi)
    started = time.monotonic()
    answer = engine.answer(QUESTION)
    assert time.monotonic() - started < 5.0
    assert answer.mode == "offline"
    assert answer.notes[-1] == ("This is the offline answer: the language-model answer was not used because the "
                                "language model endpoint could not be reached.")
