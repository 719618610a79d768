"""The bounded tool-calling loop: call the model, run the tools it asks for, repeat until it
answers, within a number of tool calls and a deadline.

The loop never raises anything but `AgentFailure`, whose `reason` completes the sentence "the
offline answer is shown because …". Each model call runs in a daemon thread the loop stops waiting
for at the deadline, so a hanging endpoint costs the time budget and no more, whatever its client's
own timeout. A tool's failure, an unknown tool or unreadable arguments go back to the model as text
(and count as tool calls), so it can correct itself; asking for more tools after the limit is a
failure.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool

from bot.failures import new_reference
from bot.llm.sources import SourceLedger

log = logging.getLogger(__name__)
Clock = Callable[[], float]


class AgentFailure(Exception):
    """No usable answer from the model; `reason` is a clause for the user-facing note."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ToolBudget:
    """Tool calls left for one question, shared by the first attempt and the repair."""

    limit: int
    used: int = 0

    @property
    def exhausted(self) -> bool:
        return self.used >= self.limit


@dataclass
class ToolCallRecord:
    name: str
    args: dict | str
    ok: bool


@dataclass
class AgentRun:
    """What one run of the loop produced, and where its time went."""

    text: str
    calls: list[ToolCallRecord] = field(default_factory=list)
    model_seconds: float = 0.0
    tool_seconds: float = 0.0


def describe_failure(exc: BaseException) -> str:
    """A provider's exception as a clause, without its message (which may quote the request)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        return "the language model request timed out"
    if status == 429 or "RateLimit" in name:
        return "the language model provider is limiting requests (rate limit)"
    if isinstance(exc, ConnectionError) or "Connection" in name:
        return "the language model endpoint could not be reached"
    if isinstance(status, int):
        return f"the language model provider returned HTTP {status}"
    return f"the language model call failed ({name})"


class ToolLoop:
    """`model` must already have the tools bound (`chat_model.bind_tools(tools)`)."""

    def __init__(self, model, tools: Sequence[BaseTool], clock: Clock = time.monotonic):
        self._model = model
        self._tools = {tool.name: tool for tool in tools}
        self._clock = clock

    def run(self, messages: list[BaseMessage], ledger: SourceLedger, budget: ToolBudget, deadline: float) -> AgentRun:
        """Extend `messages` with the model's turns and the tool results until the model answers."""
        run = AgentRun(text="")
        asked_past_limit = False
        while True:
            started = self._clock()
            reply = self._call_model(messages, deadline)
            run.model_seconds += self._clock() - started
            messages.append(reply)
            requests = [*reply.tool_calls, *reply.invalid_tool_calls]
            if not requests:
                run.text = str(reply.text).strip()
                if not run.text:
                    raise AgentFailure("the language model returned an empty answer")
                return run
            if budget.exhausted:
                if asked_past_limit:
                    raise AgentFailure(f"the language model asked for more than {budget.limit} tool calls")
                asked_past_limit = True
            started = self._clock()
            for request in requests:
                if self._clock() >= deadline:
                    raise AgentFailure("the language model did not finish within the time budget")
                messages.append(self._run_tool(request, ledger, budget, run))
            run.tool_seconds += self._clock() - started

    def _call_model(self, messages: Sequence[BaseMessage], deadline: float) -> AIMessage:
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise AgentFailure("the language model did not finish within the time budget")
        outcome: dict = {}
        done = threading.Event()
        snapshot = list(messages)

        def call() -> None:
            try:
                outcome["reply"] = self._model.invoke(snapshot)
            except BaseException as exc:  # reported to the waiting thread below
                outcome["error"] = exc
            finally:
                done.set()

        threading.Thread(target=call, name="llm-call", daemon=True).start()
        if not done.wait(remaining):
            raise AgentFailure("the language model did not answer within the time budget")
        if "error" in outcome:
            error = outcome["error"]
            log.warning("Language model call failed: %s", type(error).__name__)
            raise AgentFailure(describe_failure(error)) from error
        reply = outcome["reply"]
        if not isinstance(reply, AIMessage):
            raise AgentFailure(f"the language model returned a {type(reply).__name__}, not a message")
        return reply

    def _run_tool(self, request: dict, ledger: SourceLedger, budget: ToolBudget, run: AgentRun) -> ToolMessage:
        name, call_id = str(request.get("name") or ""), str(request.get("id") or "")

        def reply(content: str, ok: bool = False) -> ToolMessage:
            run.calls.append(ToolCallRecord(name, request.get("args") or {}, ok))
            return ToolMessage(content, tool_call_id=call_id, name=name or None, status="success" if ok else "error")

        if budget.exhausted:
            return reply(f"Limit reached: no more tool calls for this question (at most {budget.limit}). "
                         "Answer now from the results you have.")
        budget.used += 1
        if request.get("type") == "invalid_tool_call":
            return reply(f"Your call to {name!r} could not be read ({request.get('error') or 'malformed arguments'}). "
                         "Send the arguments as one JSON object that matches the tool's schema.")
        tool = self._tools.get(name)
        if tool is None:
            return reply(f"There is no tool named {name!r}. The tools are: {', '.join(self._tools)}.")
        try:
            result = tool.invoke({"type": "tool_call", "name": name, "args": request.get("args") or {},
                                  "id": call_id})
        except Exception:  # a bug in a tool: logged with a reference; the model hears only that it failed
            reference = new_reference()
            log.exception("Tool %s failed (reference %s)", name, reference)
            return reply(f"The tool {name!r} failed (reference {reference}). Try another tool or answer from "
                         "the results you have.")
        content = ledger.add(name, result)
        return reply(content, ok=result.status != "error")
