"""The audit log: every question and answer, and every change of a switch, kept for a set time.

`AuditLog.record` never raises and never loses an entry while the database is briefly away:
an entry that cannot be written is held in memory (up to `max_held`, oldest dropped first,
with an error logged) and written, with its original time, by the next successful `record`
or `flush`. Questions and answers are stored with email addresses and phone numbers
redacted (`bot.redaction.redact_personal`): the audit log records what was asked, not who
can be contacted.

Retention: rows older than `retention_days` (`AUDIT_RETENTION_DAYS`) are deleted by `purge()`,
which `record` also runs at most once per `purge_every` (on-write purge), and `council-assistant
admin audit purge` runs by hand. An `AuditLog` built without a retention never purges: deleting
audit rows needs the configured period, never a default.
"""
from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import Engine, delete, insert, select

from bot.audit.tables import AuditEntry
from bot.redaction import redact_personal

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000
MAX_ANSWER_CHARS = 8000
OUTCOMES = ("answered", "abstained", "refused", "signposted", "switched-off", "unavailable", "rejected", "error",
            "admin")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class AuditEvent:
    """One thing to record. `sources` are "doc_id › section" (or a data publisher) strings."""

    source: str  # slack | cli
    question: str
    answer: str
    mode: str = "offline"
    outcome: str = "answered"
    reason: str | None = None
    user_id: str | None = None
    channel_id: str | None = None
    team_id: str | None = None
    sources: tuple[str, ...] = ()
    latency_ms: float | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AuditRecord(AuditEvent):
    """An entry read back from the table."""

    id: int = 0
    created_at: datetime | None = None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_row(event: AuditEvent, at: datetime) -> dict:
    """The table row for `event` at time `at`, redacted and clipped to size."""
    if event.outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {event.outcome!r}; expected one of {', '.join(OUTCOMES)}")
    return {
        "created_at": at, "source": event.source[:16], "team_id": _short(event.team_id, 32),
        "channel_id": _short(event.channel_id, 64), "user_id": _short(event.user_id, 64), "mode": event.mode[:16],
        "outcome": event.outcome, "reason": _short(event.reason, 64),
        "question": _clip(redact_personal(event.question), MAX_QUESTION_CHARS),
        "answer": _clip(redact_personal(event.answer), MAX_ANSWER_CHARS),
        "sources": json.dumps(list(dict.fromkeys(event.sources)), ensure_ascii=False),
        "latency_ms": None if event.latency_ms is None else round(float(event.latency_ms), 1),
        "reference": _short(event.reference, 16),
    }


def _short(value: str | None, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


class AuditLog:
    def __init__(self, db: Engine, *, retention_days: int | None = None,
                 clock: Callable[[], datetime] = utcnow, max_held: int = 10_000,
                 purge_every: timedelta = timedelta(hours=1)):
        if retention_days is not None and retention_days < 1:
            raise ValueError(f"AUDIT_RETENTION_DAYS must be at least 1 (days), not {retention_days}.")
        self.db = db
        self.retention = None if retention_days is None else timedelta(days=retention_days)
        self._clock = clock
        self._max_held = max_held
        self._purge_every = purge_every
        self._lock = threading.Lock()
        self._held: list[dict] = []
        self._failing = False
        self._last_purge: datetime | None = None

    @property
    def held(self) -> int:
        """Entries waiting in memory for the database to come back."""
        with self._lock:
            return len(self._held)

    def record(self, event: AuditEvent) -> bool:
        """Write `event` (and any held entries). Never raises; False when the entry is held."""
        try:
            row = audit_row(event, self._clock())
        except Exception:  # a bug in the caller's event: logged, never breaks answering
            log.exception("could not build an audit entry (reference %s)", uuid.uuid4().hex[:8])
            return False
        with self._lock:
            self._held.append(row)
        written = self.flush()
        if written:
            self._purge_if_due()
        return written

    def flush(self) -> bool:
        """Write every held entry in one transaction; False (entries kept) if the database fails."""
        with self._lock:
            batch, self._held = self._held, []
        if not batch:
            return True
        try:
            with self.db.begin() as conn:
                conn.execute(insert(AuditEntry), batch)
        except Exception as error:
            self._hold_again(batch, error)
            return False
        if self._failing:
            self._failing = False
            log.warning("audit log writable again: wrote %d held entr%s", len(batch), "y" if len(batch) == 1 else "ies")
        return True

    def _hold_again(self, batch: list[dict], error: Exception) -> None:
        with self._lock:
            self._held = batch + self._held
            dropped = len(self._held) - self._max_held
            if dropped > 0:
                del self._held[:dropped]
            held = len(self._held)
        if dropped > 0:
            log.error("audit log: dropped the %d oldest held entries (at most %d are held)", dropped, self._max_held)
        level = logging.INFO if self._failing else logging.WARNING
        self._failing = True
        log.log(level, "audit log not writable (%s); %d entr%s held until the database is back",
                type(error).__name__, held, "y" if held == 1 else "ies")

    def purge(self, now: datetime | None = None) -> int:
        """Delete entries older than the retention period; returns how many."""
        if self.retention is None:
            raise ValueError("No retention period was given, so nothing can be purged (set AUDIT_RETENTION_DAYS).")
        cutoff = (now or self._clock()) - self.retention
        with self.db.begin() as conn:
            deleted = conn.execute(delete(AuditEntry).where(AuditEntry.created_at < cutoff)).rowcount or 0
        self._last_purge = now or self._clock()
        return deleted

    def _purge_if_due(self) -> None:
        now = self._clock()
        if self.retention is None or (self._last_purge is not None and now - self._last_purge < self._purge_every):
            return
        try:
            deleted = self.purge(now)
        except Exception as error:
            log.warning("audit log purge failed (%s); will try again later", type(error).__name__)
            self._last_purge = now
            return
        if deleted:
            log.info("audit log: purged %d entries older than %d days", deleted, self.retention.days)

    def entries(self, limit: int = 50) -> list[AuditRecord]:
        """The newest `limit` entries, newest first."""
        with self.db.connect() as conn:
            rows = conn.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).all()
        return [_record(row) for row in rows]


def _record(row) -> AuditRecord:
    return AuditRecord(
        id=row.id, created_at=row.created_at, source=row.source, team_id=row.team_id, channel_id=row.channel_id,
        user_id=row.user_id, mode=row.mode, outcome=row.outcome, reason=row.reason, question=row.question,
        answer=row.answer, sources=tuple(json.loads(row.sources or "[]")), latency_ms=row.latency_ms,
        reference=row.reference,
    )
