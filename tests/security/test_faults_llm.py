"""Faults in the LLM mode: the model endpoint hangs, then comes back.

The endpoint is tests/llm's scripted OpenAI-compatible server on loopback, reached through the
real `langchain-openai` client exactly as production builds it (LLM_MODEL, OPENAI_BASE_URL); its
first request never gets an answer. The asker gets the offline answer with a note within the
time budget, and the next question is answered by the model again.
"""
from __future__ import annotations

import time

import pytest

from bot.engine import NOT_FOUND
from bot.guarded_engine import GuardedEngine
from bot.llm.engine import build_llm_engine
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from slack_fake_api import message
from tests.llm.openai_server import HANG, ScriptedOpenAIServer, text_reply
from tests.security.conftest import StaticControls

QUESTION = "How many potholes got filled in the past year?"
BUDGET_S = 2.0
HANG_NOTE = ("This is the offline answer: the language-model answer was not used because the language model did not "
             "answer within the time budget of 2 s.")


@pytest.fixture(autouse=True)
def no_proxy_for_loopback(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def guarded_llm(url: str, fake_engine) -> GuardedEngine:
    settings = Settings(corpus_dir=DEFAULT_CORPUS_DIR, llm_model="openai:scripted-model", openai_base_url=url,
                        llm_timeout_s=BUDGET_S, llm_max_tool_calls=4)
    return GuardedEngine(build_llm_engine(settings, fake_engine, None), StaticControls())


def test_a_hanging_endpoint_costs_the_time_budget_then_the_model_is_used_again(fake_engine):
    with ScriptedOpenAIServer([HANG, text_reply(NOT_FOUND)]) as server:
        engine = guarded_llm(server.url, fake_engine)
        started = time.monotonic()
        during = engine.answer(QUESTION)
        elapsed = time.monotonic() - started
        after = engine.answer(QUESTION)
    assert elapsed < BUDGET_S + 0.5
    assert (during.mode, during.notes[-1]) == ("offline", HANG_NOTE)
    assert during.text == f"{fake_engine.answer(QUESTION).text}\nNote: {HANG_NOTE}"
    assert (after.mode, after.text, after.abstained) == ("llm", NOT_FOUND, True)
    assert len(server.requests) == 2


def test_a_hanging_endpoint_behind_slack_still_answers_the_asker(fake_engine, make_bot, api):
    with ScriptedOpenAIServer([HANG, text_reply(NOT_FOUND)]) as server:
        bot = make_bot(engine=guarded_llm(server.url, fake_engine))
        bot.slack.event(message(QUESTION, channel="D1", channel_type="im"))
        first = api.wait_for("chat.update", timeout=BUDGET_S + 10)[0]
        bot.idle()
        bot.slack.event(message(QUESTION, channel="D2", channel_type="im"))
        second = api.wait_for("chat.update", 2, timeout=10)[1]
        bot.idle()
    assert first.params["text"].endswith(HANG_NOTE)
    assert second.params["text"] == NOT_FOUND
