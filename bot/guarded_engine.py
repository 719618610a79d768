"""`GuardedEngine`: the council's rules in front of any `AnswerEngine` (offline or LLM).

The order of one question, each step for a reason:

1. `clean_question`: unusable input gets a sentence saying what to type.
2. Crisis signs: the helplines, always, even with answering switched off.
3. The kill switch: when an admin has turned answering off, the configured message.
4. `refusal_for` (with purdah from the switches): instructions, personal data, political
   opinion, out of scope, language; in the pre-election period any political question.
5. The engine. A database or vector-store outage while it answers becomes a clear message with
   a reference id (the details go to the log); any other exception is a bug and propagates to the
   adapter, which apologises with a reference.
6. In the pre-election period an answer carries a note saying it states the documents only.

Every answer the guard writes itself is a `RoutedAnswer`, which says what happened (`outcome`,
`reason`) for the audit log; answers from the engine pass through unchanged.
"""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, replace
from typing import Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.answer import Answer, AnswerEngine, Turn
from bot.audit.controls import CachedControls, Controls, ControlsSource, ControlStore
from bot.guardrails import PURDAH_NOTE, QuestionRejected, clean_question, refusal_for
from bot.settings import Settings
from retrieval.index import IndexMissing
from retrieval.vector_store import VectorStoreUnavailable

log = logging.getLogger(__name__)

_DATABASE_ERRORS = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


@dataclass(frozen=True)
class RoutedAnswer(Answer):
    """An answer the guard gave instead of the engine's. `outcome` is one of `bot.audit.log.OUTCOMES`
    (rejected, signposted, switched-off, refused, unavailable); `reason` says which rule."""

    outcome: str = "refused"
    reason: str | None = None
    reference: str | None = None


def unavailable_message(part: str, reference: str) -> str:
    return (f"Sorry, I can't answer that just now: the {part} is not available. Please try again in a few "
            f"minutes. If it keeps happening, please quote reference `{reference}`.")


class GuardedEngine:
    """Wraps `engine`; reads the switches from `controls` (a `CachedControls` in production)."""

    def __init__(self, engine: AnswerEngine, controls: ControlsSource):
        self.engine = engine
        self.controls = controls
        self.mode = getattr(engine, "mode", "offline")

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        started = time.perf_counter()
        routed = self._route(question, started)
        if isinstance(routed, RoutedAnswer):
            return routed
        text, controls = routed
        return self._ask(lambda: self.engine.answer(text, history), text, controls, started)

    def describe_measure(self, query: str) -> Answer:
        started = time.perf_counter()
        routed = self._route(query, started)
        if isinstance(routed, RoutedAnswer):
            return routed
        text, controls = routed
        return self._ask(lambda: self.engine.describe_measure(text), text, controls, started)

    # -- steps ------------------------------------------------------------------------------
    def _route(self, question: object, started: float) -> RoutedAnswer | tuple[str, Controls]:
        try:
            text = clean_question(question)
        except QuestionRejected as rejected:
            return self._routed(str(question)[:200], str(rejected), "rejected", None, started)
        controls = self.controls.current()
        refusal = refusal_for(text, purdah=controls.purdah.on)
        if refusal and refusal.reason.startswith("crisis"):
            log.warning("crisis signs in a question (%s): answered with the helplines", refusal.reason)
            return self._routed(text, refusal.message, "signposted", refusal.reason, started)
        if controls.answering_off:
            return self._routed(text, controls.off_message, "switched-off", "kill-switch", started)
        if refusal:
            return self._routed(text, refusal.message, "refused", refusal.reason, started)
        return text, controls

    def _ask(self, call, text: str, controls: Controls, started: float) -> Answer:
        try:
            answer = call()
        except VectorStoreUnavailable as error:
            return self._unavailable(text, "document search", "vector-store", error, started)
        except IndexMissing as error:
            return self._unavailable(text, "document search", "index", error, started)
        except _DATABASE_ERRORS as error:
            return self._unavailable(text, "council's performance database", "database", error, started)
        if controls.purdah.on and not answer.abstained:
            answer = replace(answer, text=f"{answer.text}\nNote: {PURDAH_NOTE}", notes=answer.notes + (PURDAH_NOTE,))
        return answer

    def _unavailable(self, text: str, part: str, reason: str, error: Exception, started: float) -> RoutedAnswer:
        reference = uuid.uuid4().hex[:8].upper()
        first_line = (str(error).strip().splitlines() or [""])[0][:300]
        log.warning("%s unavailable while answering (reference %s): %s: %s", reason, reference,
                    type(error).__name__, first_line)
        return self._routed(text, unavailable_message(part, reference), "unavailable", reason, started, reference)

    def _routed(self, question: str, text: str, outcome: str, reason: str | None, started: float,
                reference: str | None = None) -> RoutedAnswer:
        return RoutedAnswer(question=question, text=text, abstained=True, mode=self.mode,
                            latency_ms=(time.perf_counter() - started) * 1000, outcome=outcome, reason=reason,
                            reference=reference)


def guard(engine: AnswerEngine, db: Engine, settings: Settings) -> GuardedEngine:
    """The production wiring: the switches read from `db`, at most every `controls_refresh_s`."""
    return GuardedEngine(engine, CachedControls(ControlStore(db), settings.controls_refresh_s))
