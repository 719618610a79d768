"""The audit log: every question and answer, and every change of a switch, kept for a set time.

`AuditLog.record` never raises, and one entry never costs another:

* Every text is made storable first (`bot.clean_text`: NUL and lone surrogates become U+FFFD)
  and redacted (`bot.redaction.redact_personal`: contact details and personal numbers).
* Entries are written together when they can be; when a batch fails because of what is in it
  (a data or encoding error), each entry is written on its own and only one that still cannot
  be stored is dropped, with an ERROR line and `council_audit_entries_dropped_total{reason}`.
* While the database is away an entry is held in memory (up to `max_held`, oldest dropped first,
  counted too) and written, with its original time, by the next successful `record` or `flush`.
* When the process stops (`close()`, also run at exit), entries still held are written, or, with
  the database still away, appended to the `spool` file (JSON lines, under the data directory),
  which the next `AuditLog` on that file writes to the database first. Nothing held is lost.

Retention: rows older than `retention_days` (`AUDIT_RETENTION_DAYS`) are deleted by `purge()`,
with the stored Slack answers of the same age (`slack_answers`, where the table exists); `record`
runs it at most once per `purge_every` (on-write purge), and `council-assistant admin audit purge`
runs it by hand. An `AuditLog` built without a retention never purges: deleting audit rows needs
the configured period, never a default.
"""
from __future__ import annotations

import atexit
import fcntl
import json
import logging
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, delete, insert, inspect, select
from sqlalchemy.exc import DataError, IntegrityError, StatementError

from bot.audit.tables import AuditEntry
from bot.clean_text import storable_or_none, storable_text
from bot.failures import new_reference
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


class AuditConfigError(ValueError):
    """The audit log was asked for something its configuration does not allow (the message says what)."""


@dataclass(frozen=True)
class AuditRecord(AuditEvent):
    """An entry read back from the table."""

    id: int = 0
    created_at: datetime | None = None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audit_row(event: AuditEvent, at: datetime) -> dict:
    """The table row for `event` at time `at`: storable, redacted and clipped to size."""
    if event.outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {event.outcome!r}; expected one of {', '.join(OUTCOMES)}")
    sources = [storable_text(source) for source in dict.fromkeys(event.sources)]
    return {
        "created_at": at, "source": storable_text(event.source)[:16], "team_id": _short(event.team_id, 32),
        "channel_id": _short(event.channel_id, 64), "user_id": _short(event.user_id, 64),
        "mode": storable_text(event.mode)[:16], "outcome": event.outcome, "reason": _short(event.reason, 64),
        "question": _clip(redact_personal(storable_text(event.question)), MAX_QUESTION_CHARS),
        "answer": _clip(redact_personal(storable_text(event.answer)), MAX_ANSWER_CHARS),
        "sources": json.dumps(sources, ensure_ascii=False),
        "latency_ms": None if event.latency_ms is None else round(float(event.latency_ms), 1),
        "reference": _short(event.reference, 16),
    }


def _short(value: str | None, limit: int) -> str | None:
    return None if value is None else storable_or_none(str(value))[:limit]


def _entry_problem(error: BaseException) -> bool:
    """True when `error` is about what an entry holds (so the entry, not the database, is at fault)."""
    if isinstance(error, (DataError, IntegrityError)):
        return True
    if isinstance(error, StatementError) and isinstance(error.orig, (ValueError, TypeError)):
        return True
    return isinstance(error, (ValueError, TypeError))  # e.g. UnicodeEncodeError raised by the driver


_dropped_counters: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_counter_lock = threading.Lock()


def count_dropped(reason: str, amount: int = 1) -> None:
    """Add to `council_audit_entries_dropped_total{reason}` in this process's metrics (`/metrics`)."""
    try:
        from bot.observability.questions import question_metrics

        registry = question_metrics().registry
        with _counter_lock:
            counter = _dropped_counters.get(registry)
            if counter is None:
                counter = _dropped_counters[registry] = registry.counter(
                    "council_audit_entries_dropped_total",
                    "Audit entries that could not be stored and were dropped, by reason.", ("reason",))
        counter.inc(amount, reason=reason)
    except Exception:  # metrics must never break auditing
        log.debug("could not count a dropped audit entry", exc_info=True)


class AuditLog:
    def __init__(self, db: Engine, *, retention_days: int | None = None,
                 clock: Callable[[], datetime] = utcnow, max_held: int = 10_000,
                 purge_every: timedelta = timedelta(hours=1), spool: Path | None = None):
        if retention_days is not None and retention_days < 1:
            raise AuditConfigError(f"AUDIT_RETENTION_DAYS must be at least 1 (days), not {retention_days}.")
        self.db = db
        self.retention = None if retention_days is None else timedelta(days=retention_days)
        self.spool = None if spool is None else Path(spool)
        self._clock = clock
        self._max_held = max_held
        self._purge_every = purge_every
        self._lock = threading.Lock()
        self._held: list[dict] = []
        self._failing = False
        self._last_purge: datetime | None = None
        self.dropped = 0  # entries dropped by this log (also counted in the process metrics)
        self.purged_answers = 0  # Slack answers deleted by the last purge
        _close_at_exit(self)

    @property
    def held(self) -> int:
        """Entries waiting in memory for the database to come back."""
        with self._lock:
            return len(self._held)

    def record(self, event: AuditEvent) -> bool:
        """Write `event` (and any held entries). Never raises; False when the entry is held or dropped."""
        try:
            row = audit_row(event, self._clock())
        except Exception:  # a bug in the caller's event: logged, never breaks answering
            reference = new_reference()
            log.exception("could not build an audit entry (reference %s)", reference)
            self._drop(1, "unbuildable")
            return False
        with self._lock:
            self._held.append(row)
        written = self.flush()
        if written:
            self._purge_if_due()
        return written

    def flush(self) -> bool:
        """Write every held (and spooled) entry; False, with the entries kept, while the database fails.

        One transaction for the lot when it succeeds; when it fails because of what an entry holds,
        each entry is written on its own, so only an entry that cannot be stored is dropped."""
        with self._lock:
            batch, self._held = self._held, []
        batch = self._take_spooled() + batch
        if not batch:
            return True
        try:
            self._insert(batch)
        except Exception as error:
            if not _entry_problem(error):
                self._hold_again(batch, error)
                return False
            remaining = self._insert_one_by_one(batch)
            if remaining:
                return False
        if self._failing:
            self._failing = False
            log.warning("audit log writable again: wrote %d held entr%s", len(batch),
                        "y" if len(batch) == 1 else "ies")
        return True

    def _insert(self, rows: list[dict]) -> None:
        with self.db.begin() as conn:
            conn.execute(insert(AuditEntry), rows)

    def _insert_one_by_one(self, batch: list[dict]) -> list[dict]:
        """Each entry in its own transaction; returns the entries held again (the database failed)."""
        for position, row in enumerate(batch):
            try:
                self._insert([row])
            except Exception as error:
                if not _entry_problem(error):
                    rest = batch[position:]
                    self._hold_again(rest, error)
                    return rest
                log.error("audit log: dropped an entry of %s that cannot be stored (%s: %s)",
                          row.get("created_at"), type(error).__name__, _first_line(error))
                self._drop(1, "unstorable")
        return []

    def _hold_again(self, batch: list[dict], error: Exception) -> None:
        with self._lock:
            self._held = batch + self._held
            dropped = len(self._held) - self._max_held
            if dropped > 0:
                del self._held[:dropped]
            held = len(self._held)
        if dropped > 0:
            log.error("audit log: dropped the %d oldest held entries (at most %d are held)", dropped, self._max_held)
            self._drop(dropped, "held-too-many")
        level = logging.INFO if self._failing else logging.WARNING
        self._failing = True
        log.log(level, "audit log not writable (%s); %d entr%s held until the database is back",
                type(error).__name__, held, "y" if held == 1 else "ies")

    def _drop(self, amount: int, reason: str) -> None:
        self.dropped += amount
        count_dropped(reason, amount)

    # -- stopping ---------------------------------------------------------------------------

    def close(self) -> int:
        """Write what is held; with the database still away, append it to the spool file.
        Returns how many entries are left unwritten (0 unless there is no spool to keep them)."""
        if self.held and not self._failing:
            self.flush()
        with self._lock:
            rows, self._held = self._held, []
        if not rows:
            return 0
        if self.spool is not None:
            try:
                self._append_to_spool(rows)
                log.info("audit log: %d entr%s kept in %s until the database is back", len(rows),
                            "y" if len(rows) == 1 else "ies", self.spool)
                return 0
            except OSError as error:
                log.error("audit log: could not keep %d entries in %s (%s)", len(rows), self.spool, error)
        log.error("audit log: %d entr%s could not be written before the process stopped and %s lost",
                  len(rows), "y" if len(rows) == 1 else "ies", "is" if len(rows) == 1 else "are")
        self._drop(len(rows), "stopped")
        return len(rows)

    def _append_to_spool(self, rows: list[dict]) -> None:
        self.spool.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps({**row, "created_at": row["created_at"].isoformat()}, ensure_ascii=False) + "\n"
                        for row in rows)
        with open(self.spool, "a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(lines)
            handle.flush()

    def _take_spooled(self) -> list[dict]:
        """The entries an earlier process left in the spool file (the file is emptied: they are
        now this process's to write, held again if the database fails)."""
        if self.spool is None:
            return []
        try:
            if not self.spool.is_file() or self.spool.stat().st_size == 0:
                return []
            with open(self.spool, "r+", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                lines = handle.read().splitlines()
                handle.seek(0)
                handle.truncate()
        except OSError as error:
            log.warning("audit log: could not read the spool file %s (%s)", self.spool, error)
            return []
        rows = []
        for line in lines:
            try:
                row = json.loads(line)
                row["created_at"] = datetime.fromisoformat(row["created_at"])
                rows.append(row)
            except (ValueError, KeyError, TypeError):
                log.error("audit log: dropped a damaged line of the spool file %s", self.spool)
                self._drop(1, "unstorable")
        if rows:
            log.info("audit log: writing %d entr%s kept in %s", len(rows), "y" if len(rows) == 1 else "ies",
                     self.spool)
        return rows

    def purge(self, now: datetime | None = None) -> int:
        """Delete entries older than the retention period, and the stored Slack answers as old;
        returns how many audit entries (`purged_answers` says how many answers)."""
        if self.retention is None:
            raise AuditConfigError("No retention period was given, so nothing can be purged "
                                   "(set AUDIT_RETENTION_DAYS).")
        cutoff = (now or self._clock()) - self.retention
        with self.db.begin() as conn:
            deleted = conn.execute(delete(AuditEntry).where(AuditEntry.created_at < cutoff)).rowcount or 0
        self.purged_answers = _purge_slack_answers(self.db, cutoff)
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
        if deleted or self.purged_answers:
            log.info("audit log: purged %d entries and %d Slack answers older than %d days", deleted,
                     self.purged_answers, self.retention.days)

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


def _purge_slack_answers(db: Engine, cutoff: datetime) -> int:
    """The stored Slack answers (questions as asked) follow the audit log's retention."""
    from bot.slack.store import SlackAnswer  # the table module only: no Slack client is imported

    if not inspect(db).has_table(SlackAnswer.__tablename__):
        return 0
    with db.begin() as conn:
        return conn.execute(delete(SlackAnswer).where(SlackAnswer.created_at < cutoff)).rowcount or 0


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]


def _close_at_exit(audit: AuditLog) -> None:
    """Run `audit.close()` when the process exits, without keeping the log alive until then."""
    ref = weakref.ref(audit)

    def close() -> None:
        target = ref()
        if target is not None:
            try:
                target.close()
            except Exception:  # at exit: report, never raise
                log.exception("audit log: could not close")

    atexit.register(close)
