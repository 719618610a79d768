"""`LlmEngine`: answers written by a chat model from tool results, checked, with the offline
engine as the fallback.

The order of one turn: the offline guardrails (clean_question, refusal_for) → the tool loop →
the source check (every number printed in this turn's sources, every cited label real, something
cited) → at most one repair → the answer, with citations and figures built from the tool results.
Any failure on the way (time budget, provider error, malformed replies, an answer that fails the
check twice) gives the offline answer with a note saying why; nothing raises to the caller.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from bot.answer import Answer, Turn
from bot.engine import NOT_FOUND
from bot.failures import new_reference
from bot.guardrails import QuestionRejected, clean_question, refusal_for
from bot.llm.agent import AgentFailure, AgentRun, Clock, ToolBudget, ToolLoop
from bot.llm.config import LlmConfigError, build_chat_model, check_style
from bot.llm.grounding import GroundingReport, check_numbers
from bot.llm.prompts import PromptSet, repair_prompt, system_prompt
from bot.llm.sources import Resolution, SourceLedger
from bot.llm.tools import assemble_tools
from bot.settings import Settings

log = logging.getLogger(__name__)
HISTORY_TURNS = 3
_ABSTAIN_START = "i couldn't find that in the council"


@dataclass(frozen=True)
class Verdict:
    """The source check of one answer."""

    numbers: GroundingReport
    sources: Resolution
    abstained: bool

    @property
    def problems(self) -> tuple[str, ...]:
        """What the repair prompt tells the model; empty when the answer passes."""
        problems = []
        if self.numbers.unsupported:
            problems.append("These numbers are not in any tool result of this conversation: "
                            f"{', '.join(self.numbers.unsupported)}.")
        if self.sources.unknown:
            problems.append("These source labels were never given to you: "
                            f"{', '.join(f'[{label}]' for label in self.sources.unknown)}.")
        if not self.abstained and not self.sources.cited:
            problems.append("The answer cites no source. Cite each statement with the labels of the passages "
                            "or results it comes from, e.g. [P1] or [R1].")
        return tuple(problems)

    @property
    def failure(self) -> str:
        """Why the answer could not be used, for the fallback note the user reads. It never repeats
        a rejected number: the note would put the invented figure in front of the reader after all
        (the numbers themselves go to the log, see `problems`)."""
        if self.numbers.unsupported:
            return "it gave numbers that are not in the sources, even after one correction"
        if self.sources.unknown:
            return "it cited sources it had not been given, even after one correction"
        return "it did not cite its sources, even after one correction"


def verify(text: str, ledger: SourceLedger) -> Verdict:
    abstained = text.replace("’", "'").lower().startswith(_ABSTAIN_START)
    return Verdict(check_numbers(text, ledger.texts), ledger.resolve(text), abstained)


class LlmEngine:
    mode = "llm"

    def __init__(self, chat_model, offline_engine, tools: Sequence, prompts: PromptSet, style: str = "staff",
                 max_tool_calls: int = 6, time_budget_s: float = 20.0, clock: Clock = time.monotonic,
                 on_run: Callable[[AgentRun], None] | None = None):
        """`on_run` sees each run of the tool loop (tool calls, model and tool time): for logs and benchmarks."""
        if max_tool_calls < 1:
            raise LlmConfigError(f"LLM_MAX_TOOL_CALLS must be at least 1, not {max_tool_calls}.")
        if time_budget_s <= 0:
            raise LlmConfigError(f"LLM_TIMEOUT_S must be more than 0 seconds, not {time_budget_s}.")
        try:
            bound = chat_model.bind_tools(list(tools))
        except NotImplementedError:
            raise LlmConfigError(f"The chat model {type(chat_model).__name__} does not support tool calling.") from None
        self._offline = offline_engine
        self._loop = ToolLoop(bound, tools, clock)
        self._prompts = prompts
        self._system = system_prompt(prompts, check_style(style), max_tool_calls, NOT_FOUND)
        self._max_tool_calls = max_tool_calls
        self._budget_s = time_budget_s
        # The offline answer must still fit in the budget when the model runs out of it.
        self._model_budget_s = time_budget_s - min(1.0, 0.1 * time_budget_s)
        self._clock = clock
        self._on_run = on_run

    # -- AnswerEngine -----------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        started = self._clock()
        try:
            text = clean_question(question)
        except QuestionRejected:
            return self._offline.answer(question, history)
        if refusal_for(text):  # the model is never shown a question the guardrails refuse
            return self._offline.answer(text, history)
        try:
            return self._answer_with_model(text, history, started)
        except AgentFailure as failure:
            log.warning("LLM answer replaced by the offline answer: %s", failure.reason)
            return self._fallback(text, history, started, failure.reason)
        except Exception:
            reference = new_reference()
            log.exception("LLM answer failed unexpectedly (reference %s)", reference)
            return self._fallback(text, history, started, f"of an unexpected error (reference {reference})")

    def describe_measure(self, query: str) -> Answer:
        """Measure descriptions are exact database rows; the offline path already answers them."""
        return self._offline.describe_measure(query)

    # -- steps ------------------------------------------------------------------------------
    def _answer_with_model(self, question: str, history: Sequence[Turn], started: float) -> Answer:
        deadline = started + self._model_budget_s
        ledger, budget = SourceLedger(), ToolBudget(self._max_tool_calls)
        messages: list[BaseMessage] = [SystemMessage(self._system), *_history_messages(history),
                                       HumanMessage(question)]
        verdict = verify(self._run(messages, ledger, budget, deadline), ledger)
        if verdict.problems:
            log.info("LLM answer failed the source check, asking once for a correction: %s", verdict.problems)
            messages.append(HumanMessage(repair_prompt(self._prompts, verdict.problems)))
            verdict = verify(self._run(messages, ledger, budget, deadline), ledger)
            if verdict.problems:
                raise AgentFailure(verdict.failure)
        sources = verdict.sources
        return Answer(question=question, text=sources.text, citations=sources.citations, figures=sources.figures,
                      abstained=verdict.abstained, mode=self.mode, notes=sources.notes,
                      latency_ms=(self._clock() - started) * 1000, checked_numbers=verdict.numbers.checked)

    def _run(self, messages: list[BaseMessage], ledger: SourceLedger, budget: ToolBudget, deadline: float) -> str:
        run = self._loop.run(messages, ledger, budget, deadline)
        log.info("LLM run: %d tool calls (%s), model %.0f ms, tools %.0f ms", len(run.calls),
                 ", ".join(call.name for call in run.calls), run.model_seconds * 1000, run.tool_seconds * 1000)
        if self._on_run is not None:
            self._on_run(run)
        return run.text

    def _fallback(self, question: str, history: Sequence[Turn], started: float, reason: str) -> Answer:
        offline = self._offline.answer(question, history)
        if reason.endswith("time budget"):
            reason += f" of {self._budget_s:g} s"
        note = f"This is the offline answer: the language-model answer was not used because {reason}."
        return replace(offline, text=f"{offline.text}\nNote: {note}", notes=offline.notes + (note,),
                       latency_ms=(self._clock() - started) * 1000)


def _history_messages(history: Sequence[Turn]) -> list[BaseMessage]:
    messages: list[BaseMessage] = []
    for turn in list(history)[-HISTORY_TURNS:]:
        messages.append(HumanMessage(turn.question))
        if turn.answer:
            messages.append(AIMessage(turn.answer[:1500]))
    return messages


def build_llm_engine(settings: Settings, offline_engine, kpi_tools=None, chat_model=None) -> LlmEngine:
    """The LLM engine for `settings` (LLM_MODEL set). `kpi_tools` is a `KpiTools` or None (search
    only); `chat_model` is injected by tests, else built from `settings.llm_model`. Raises
    `LlmConfigError` (a user's set-up mistake, with what to change) before any question is asked."""
    style = check_style(settings.answer_style)
    model = chat_model if chat_model is not None else build_chat_model(settings)
    return LlmEngine(model, offline_engine, assemble_tools(offline_engine, kpi_tools), PromptSet.load(),
                     style=style, max_tool_calls=settings.llm_max_tool_calls, time_budget_s=settings.llm_timeout_s)
