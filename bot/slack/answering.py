"""Answer one question and deliver the result: the part every listener shares.

The order is fixed: engine ready? → rate limit → "Looking that up…" (or the assistant's
status) → history → engine → store → render → deliver → audit log (`bot.audit`; an apology is
audited too, with its reference). While the engine is still starting the asker is told so at
once ("I'm starting up, ask again in a minute"), never left in silence.

In an assistant thread an LLM answer is streamed (`chat.startStream` …) where the installed
slack_sdk has chat streaming; offline answers are posted whole.

The engine may rewrite a follow-up as a full question (`Answer.resolved_question`); that is
what is stored, so the next follow-up in the thread still knows the topic. The audit log gets
the message as typed (`ParsedRequest.original`), the engine only its cleaned words. Whatever fails, the asker sees a reply: an engine error becomes an apology with a
reference id, which the log repeats next to the traceback; only a Slack API failure while
delivering can leave the asker without one, and that is logged too.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.answer import Answer, AnswerEngine
from bot.audit.log import AuditLog
from bot.audit.recording import audit_log_if_installed, record_slack_answer
from bot.observability import measured_answer, with_request_id
from bot.slack.delivery import Reply
from bot.slack.messages import ENGINE_UNAVAILABLE, STARTING_UP, apology, new_reference, rate_limited
from bot.slack.parsing import ParsedRequest
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import FAILED, EngineNotReady, EngineSlot
from bot.slack.render import fallback_text, render_blocks, render_stream
from bot.slack.store import AnswerRecord, SlackStore, new_answer_id, utcnow

log = logging.getLogger(__name__)

HISTORY_TURNS = 10
DM_HISTORY_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Question:
    """One question and the conversation it belongs to.

    `thread_ts` is the root of the thread the question is in (the history key and where the
    answer goes); None for the top level of a DM or for a slash command. `history` is false
    for slash commands, which stand alone.
    """

    team_id: str | None
    channel_id: str
    user_id: str
    request: ParsedRequest
    thread_ts: str | None = None
    history: bool = True


def as_typed(question: Question) -> Question:
    """`question` with the text the user typed, for the audit log."""
    request = question.request
    return replace(question, request=replace(request, text=request.original or request.text))


class Answerer:
    def __init__(self, engine: AnswerEngine | EngineSlot, store: SlackStore, limiter: RateLimiter,
                 audit: AuditLog | None = None, briefings=None):
        self.slot = EngineSlot.of(engine)
        self.store = store
        self.limiter = limiter
        self.briefings = briefings  # a bot.briefing.Briefings: "commitments on <topic>" is its look-up
        # Every question and answer goes to the audit log (bot.audit) when the database has its table.
        self.audit = audit if audit is not None else audit_log_if_installed(store.db)

    @property
    def engine(self) -> AnswerEngine | None:
        """The answer engine, or None while it is starting."""
        return self.slot.peek()

    @property
    def mode(self) -> str:
        return getattr(self.slot.peek(), "mode", "offline")

    @with_request_id  # every log line about this question carries one id
    def handle(self, question: Question, reply: Reply, *, escalation: bool = False) -> None:
        """Answer `question` through `reply`; never raises."""
        try:
            if self.slot.state != "ready":
                log.info("question from %s while the engine is %s", question.user_id, self.slot.state)
                reply.send(ENGINE_UNAVAILABLE if self.slot.state == FAILED else STARTING_UP)
                return
            self._handle(question, reply, escalation)
        except Exception:  # a Slack or database failure while delivering
            reference = new_reference()
            log.exception("could not deliver an answer (reference %s, channel %s, user %s)",
                          reference, question.channel_id, question.user_id)
            try:
                reply.send(apology(reference))
            except Exception:
                log.exception("could not deliver the apology either (reference %s)", reference)

    def _handle(self, question: Question, reply: Reply, escalation: bool) -> None:
        wait = self.limiter.acquire(f"{question.team_id}:{question.user_id}")
        if wait:
            log.info("rate limited user %s for %ss", question.user_id, wait)
            reply.notice(rate_limited(self.limiter.per_minute, wait))
            return
        reply.started()
        started = time.perf_counter()
        try:
            answer = measured_answer(self._ask, question, mode=self.mode)
        except EngineNotReady:
            reply.send(STARTING_UP)
            return
        except Exception:
            reference = new_reference()
            log.exception("answer engine failed (reference %s) on %r", reference, question.request.text)
            reply.send(apology(reference))
            record_slack_answer(self.audit, as_typed(question), None, (time.perf_counter() - started) * 1000,
                                reference, mode=self.mode)
            return
        answer_id: str | None = new_answer_id()
        try:
            self.store.save_answer(
                AnswerRecord(
                    id=answer_id,
                    team_id=question.team_id,
                    channel_id=question.channel_id,
                    thread_ts=question.thread_ts,
                    message_ts=reply.message_ts,
                    user_id=question.user_id,
                    question=answer.resolved_question or answer.question or question.request.text,
                    answer_text=answer.text,
                    abstained=answer.abstained,
                    private=question.request.private,
                )
            )
        except Exception:
            # The asker still gets the answer, without feedback buttons that would point nowhere.
            log.exception("could not store answer %s; sending it without buttons", answer_id)
            answer_id = None
        if answer.mode == "llm" and getattr(reply, "can_stream", False):
            reply.stream_answer(*render_stream(answer, answer_id=answer_id))  # LLM answers, streamed
        else:
            reply.send(fallback_text(answer), render_blocks(answer, answer_id=answer_id, escalation=escalation,
                                                            share=question.request.private and answer_id is not None))
        record_slack_answer(self.audit, as_typed(question), answer, (time.perf_counter() - started) * 1000)
        log.info("answered %s in %s for %s in %.0f ms", answer_id, question.channel_id,
                 question.user_id, (time.perf_counter() - started) * 1000)

    def _ask(self, question: Question) -> Answer:
        request = question.request
        engine = self.slot.get()
        if request.kind == "kpi":
            return engine.describe_measure(request.text)
        if self.briefings is not None:  # "commitments on flooding" in a mention or DM
            commitments = self.briefings.answer_commitments(request.text)
            if commitments is not None:
                return commitments
        history = ()
        if question.history:
            since = utcnow() - DM_HISTORY_WINDOW if question.thread_ts is None else None
            try:
                history = self.store.history(
                    question.channel_id, question.thread_ts, question.user_id, HISTORY_TURNS, since
                )
            except SQLAlchemyError as error:  # the database is away: answer without the earlier turns
                log.warning("no thread history for this question (%s); answering it on its own", type(error).__name__)
        return engine.answer(request.text, history=history)
