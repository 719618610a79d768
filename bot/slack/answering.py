"""Answer one question and deliver the result: the part every listener shares.

The order is fixed: rate limit → "Looking that up…" → history → engine → store → render →
deliver → audit log (`bot.audit`; an apology is audited too, with its reference). Whatever fails, the asker sees a reply: an engine error becomes an apology with a
reference id, which the log repeats next to the traceback; only a Slack API failure while
delivering can leave the asker without one, and that is logged too.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.answer import Answer, AnswerEngine
from bot.audit.log import AuditLog
from bot.audit.recording import audit_log_if_installed, record_slack_answer
from bot.observability import measured_answer, with_request_id
from bot.slack.delivery import Reply
from bot.slack.messages import apology, new_reference, rate_limited
from bot.slack.parsing import ParsedRequest
from bot.slack.ratelimit import RateLimiter
from bot.slack.render import fallback_text, render_blocks
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


class Answerer:
    def __init__(self, engine: AnswerEngine, store: SlackStore, limiter: RateLimiter, audit: AuditLog | None = None):
        self.engine = engine
        self.store = store
        self.limiter = limiter
        # Every question and answer goes to the audit log (bot.audit) when the database has its table.
        self.audit = audit if audit is not None else audit_log_if_installed(store.db)

    @with_request_id  # every log line about this question carries one id
    def handle(self, question: Question, reply: Reply, *, escalation: bool = False) -> None:
        """Answer `question` through `reply`; never raises."""
        try:
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
            answer = measured_answer(self._ask, question, mode=getattr(self.engine, "mode", "offline"))
        except Exception:
            reference = new_reference()
            log.exception("answer engine failed (reference %s) on %r", reference, question.request.text)
            reply.send(apology(reference))
            record_slack_answer(self.audit, question, None, (time.perf_counter() - started) * 1000, reference,
                                mode=getattr(self.engine, "mode", "offline"))
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
                    question=question.request.text,
                    answer_text=answer.text,
                    abstained=answer.abstained,
                    private=question.request.private,
                )
            )
        except Exception:
            # The asker still gets the answer, without feedback buttons that would point nowhere.
            log.exception("could not store answer %s; sending it without buttons", answer_id)
            answer_id = None
        reply.send(fallback_text(answer), render_blocks(answer, answer_id=answer_id, escalation=escalation))
        record_slack_answer(self.audit, question, answer, (time.perf_counter() - started) * 1000)
        log.info("answered %s in %s for %s in %.0f ms", answer_id, question.channel_id,
                 question.user_id, (time.perf_counter() - started) * 1000)

    def _ask(self, question: Question) -> Answer:
        request = question.request
        if request.kind == "kpi":
            return self.engine.describe_measure(request.text)
        history = ()
        if question.history:
            since = utcnow() - DM_HISTORY_WINDOW if question.thread_ts is None else None
            try:
                history = self.store.history(
                    question.channel_id, question.thread_ts, question.user_id, HISTORY_TURNS, since
                )
            except SQLAlchemyError as error:  # the database is away: answer without the earlier turns
                log.warning("no thread history for this question (%s); answering it on its own", type(error).__name__)
        return self.engine.answer(request.text, history=history)
