"""Scripted chat models and helpers for the LLM-mode tests (no network)."""
from __future__ import annotations

import time
from typing import Any, Callable

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class ScriptedChatModel(GenericFakeChatModel):
    """LangChain's GenericFakeChatModel plus what the agent needs: `bind_tools` (the fake raises
    NotImplementedError) and a record of the messages each call received.

    A script step is an AIMessage or a string (the reply), an exception (raised), or a callable
    taking the messages and returning either."""

    bound_tools: list[str] = Field(default_factory=list)
    received: list[list[BaseMessage]] = Field(default_factory=list)

    def bind_tools(self, tools, **kwargs: Any):
        self.bound_tools = [tool.name for tool in tools]
        return self

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        step = next(self.messages)
        if callable(step):
            step = step(messages)
        if isinstance(step, BaseException):
            raise step
        reply = AIMessage(content=step) if isinstance(step, str) else step
        return ChatResult(generations=[ChatGeneration(message=reply)])

    @property
    def calls(self) -> int:
        return len(self.received)


def scripted(*steps) -> ScriptedChatModel:
    return ScriptedChatModel(messages=iter(steps))


def call(name: str, call_id: str = "call-1", **args) -> AIMessage:
    """A reply that asks for one tool call."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}])


def sleeps(seconds: float, then: Any = "too late") -> Callable[[list[BaseMessage]], Any]:
    def step(messages):
        time.sleep(seconds)
        return then

    return step
