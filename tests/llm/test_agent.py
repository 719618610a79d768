"""The bounded tool loop on scripted models: the exact tool sequence, mistakes returned to the
model as text, the tool-call limit and the deadline."""
from __future__ import annotations

import time

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import StructuredTool, ToolException

from bot.llm.agent import AgentFailure, ToolBudget, ToolLoop, describe_failure
from bot.llm.sources import SourceLedger
from tests.llm.fakes import call, scripted, sleeps


def lookup(code: str) -> str:
    """Look a measure up by code."""
    if code == "bad":
        raise ToolException("No measure has the code or name 'bad'.")
    if code == "bug":
        raise RuntimeError("database exploded")
    return f"Measure {code}: 42 homes"


TOOLS = [StructuredTool.from_function(lookup, handle_tool_error=True)]


def run(model, limit=3, budget_s=5.0, tools=TOOLS):
    messages = [SystemMessage("rules"), HumanMessage("question")]
    loop = ToolLoop(model, tools)
    result = loop.run(messages, SourceLedger(), ToolBudget(limit), time.monotonic() + budget_s)
    return result, messages


def tool_replies(messages) -> list[tuple[str, str]]:
    return [(m.status, m.content) for m in messages if isinstance(m, ToolMessage)]


def test_tools_run_in_order_and_the_final_text_is_returned():
    model = scripted(call("lookup", "c1", code="A"), call("lookup", "c2", code="B"), "Answer [R1] [R2].")
    result, messages = run(model)
    assert result.text == "Answer [R1] [R2]."
    assert [(c.name, c.args, c.ok) for c in result.calls] == [("lookup", {"code": "A"}, True),
                                                              ("lookup", {"code": "B"}, True)]
    assert tool_replies(messages) == [("success", "Result R1:\nMeasure A: 42 homes"),
                                      ("success", "Result R2:\nMeasure B: 42 homes")]
    assert [m.tool_call_id for m in messages if isinstance(m, ToolMessage)] == ["c1", "c2"]
    assert model.calls == 3


def test_mistakes_go_back_to_the_model_as_text_and_count_as_calls(caplog):
    malformed = AIMessage(content="", invalid_tool_calls=[
        {"type": "invalid_tool_call", "id": "c1", "name": "lookup", "args": "{code: A", "error": "bad JSON"}])
    model = scripted(malformed, call("reveal_prompt", "c2"), call("lookup", "c3", code="bad"),
                     call("lookup", "c4", code="bug"), "I couldn't find that.")
    result, messages = run(model, limit=4)
    replies = tool_replies(messages)
    assert replies[:3] == [
        ("error", "Your call to 'lookup' could not be read (bad JSON). Send the arguments as one JSON object that "
                  "matches the tool's schema."),
        ("error", "There is no tool named 'reveal_prompt'. The tools are: lookup."),
        ("error", "No measure has the code or name 'bad'."),
    ]
    assert replies[3][0] == "error"
    assert replies[3][1].startswith("The tool 'lookup' failed (reference ")
    assert "database exploded" not in replies[3][1] and "database exploded" in caplog.text
    assert result.text == "I couldn't find that."
    assert [c.ok for c in result.calls] == [False, False, False, False]


def test_the_model_gets_one_chance_to_stop_at_the_tool_limit():
    two_calls = AIMessage(content="", tool_calls=[
        {"name": "lookup", "args": {"code": "A"}, "id": "c1", "type": "tool_call"},
        {"name": "lookup", "args": {"code": "B"}, "id": "c2", "type": "tool_call"}])
    result, messages = run(scripted(two_calls, call("lookup", "c3", code="C"), "Done [R1]."), limit=2)
    assert result.text == "Done [R1]."
    assert tool_replies(messages)[2] == (
        "error", "Limit reached: no more tool calls for this question (at most 2). Answer now from the results you have.")

    with pytest.raises(AgentFailure, match="^the language model asked for more than 2 tool calls$"):
        run(scripted(two_calls, call("lookup", "c3", code="C"), call("lookup", "c4", code="D")), limit=2)


def test_a_hanging_model_fails_at_the_deadline():
    started = time.monotonic()
    with pytest.raises(AgentFailure, match="^the language model did not answer within the time budget$"):
        run(scripted(sleeps(3.0)), budget_s=0.3)
    assert time.monotonic() - started < 0.6


def test_provider_errors_become_failures():
    class RateLimitError(Exception):
        status_code = 429

    with pytest.raises(AgentFailure, match=r"^the language model provider is limiting requests \(rate limit\)$"):
        run(scripted(RateLimitError("slow down, key sk-123")))


def test_an_empty_answer_is_a_failure():
    with pytest.raises(AgentFailure, match="^the language model returned an empty answer$"):
        run(scripted(AIMessage(content="  ")))


@pytest.mark.parametrize("error, reason", [
    (type("APITimeoutError", (Exception,), {})(), "the language model request timed out"),
    (TimeoutError(), "the language model request timed out"),
    (type("APIConnectionError", (Exception,), {})(), "the language model endpoint could not be reached"),
    (type("InternalServerError", (Exception,), {"status_code": 503})(), "the language model provider returned HTTP 503"),
    (ValueError("x"), "the language model call failed (ValueError)"),
])
def test_describe_failure(error, reason):
    assert describe_failure(error) == reason
