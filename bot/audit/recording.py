"""Turning an answer into an audit entry, for the two places questions arrive: Slack and the CLI.

Both calls never raise: an audit failure must not cost the asker their answer (`AuditLog`
holds the entry until the database is back, and keeps it in its spool file if the process stops).
"""
from __future__ import annotations

import getpass
import logging
from typing import Protocol

from sqlalchemy import Engine, inspect

from bot.answer import Answer
from bot.audit.log import AuditEvent, AuditLog
from bot.audit.tables import AuditEntry
from bot.guarded_engine import RoutedAnswer

log = logging.getLogger(__name__)


class _Request(Protocol):
    text: str


class SlackQuestion(Protocol):
    """The fields of `bot.slack.answering.Question` the audit needs (no Slack import here)."""

    team_id: str | None
    channel_id: str
    user_id: str
    request: _Request


def outcome_of(answer: Answer) -> tuple[str, str | None]:
    """(outcome, reason): what the guard decided, or whether the engine answered or abstained."""
    if isinstance(answer, RoutedAnswer):
        return answer.outcome, answer.reason
    return ("abstained" if answer.abstained else "answered"), None


def sources_of(answer: Answer) -> tuple[str, ...]:
    """Cited documents as "doc_id › section", then data publishers of figures, each once."""
    cited = [f"{c.doc_id} › {c.section}" if c.section else c.doc_id for c in answer.citations]
    published = [f.source for f in answer.figures if f.source and not f.doc_id]
    return tuple(dict.fromkeys(cited + published))


def event_for(answer: Answer | None, *, source: str, question: str, latency_ms: float | None,
              user_id: str | None = None, channel_id: str | None = None, team_id: str | None = None,
              reference: str | None = None, mode: str = "offline") -> AuditEvent:
    """The audit entry for one question; `answer=None` means the engine failed (a bug; `reference`
    is the id the asker was given)."""
    if answer is None:
        return AuditEvent(source=source, question=question, answer="", mode=mode, outcome="error",
                          user_id=user_id, channel_id=channel_id, team_id=team_id, latency_ms=latency_ms,
                          reference=reference)
    outcome, reason = outcome_of(answer)
    return AuditEvent(
        source=source, question=question, answer=answer.text, mode=answer.mode, outcome=outcome, reason=reason,
        user_id=user_id, channel_id=channel_id, team_id=team_id, sources=sources_of(answer),
        latency_ms=latency_ms if latency_ms is not None else answer.latency_ms,
        reference=getattr(answer, "reference", None) or reference,
    )


def record_slack_answer(audit: AuditLog | None, question: SlackQuestion, answer: Answer | None,
                        latency_ms: float, reference: str | None = None, mode: str = "offline") -> None:
    """Record one Slack question (the call in `bot.slack.answering`); nothing when `audit` is None."""
    if audit is None:
        return
    audit.record(event_for(answer, source="slack", question=question.request.text, latency_ms=latency_ms,
                           user_id=question.user_id, channel_id=question.channel_id, team_id=question.team_id,
                           reference=reference, mode=mode))


def record_cli_answer(audit: AuditLog, answer: Answer, user: str | None = None) -> None:
    """Record one `council-assistant ask` (the user is the operating-system account)."""
    try:
        user = user or getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        user = None
    audit.record(event_for(answer, source="cli", question=answer.question, latency_ms=answer.latency_ms,
                           user_id=user, channel_id="cli"))


def audit_log_if_installed(db: Engine, **kwargs) -> AuditLog | None:
    """An `AuditLog` on `db` when its table exists (a migrated database), else None (logged):
    a Slack app given a bare database, as some tests and `build_app(db=None)` do, runs unaudited.
    A database that cannot be reached at start is audited all the same (entries are held, then
    written, or spooled at stop). `kwargs` go to `AuditLog`: `retention_days` for the on-write
    purge, `spool` (e.g. `Services.audit_spool`) so entries held at stop are kept."""
    try:
        installed = inspect(db).has_table(AuditEntry.__tablename__)
    except Exception as error:  # the database is away at start: audit anyway, entries wait for it
        log.warning("could not check for the audit log table (%s); auditing anyway: entries are held until the "
                    "database is back", type(error).__name__)
        return AuditLog(db, **kwargs)
    if not installed:
        log.info("no audit_log table in this database (run the migrations); questions are not audited")
        return None
    return AuditLog(db, **kwargs)
