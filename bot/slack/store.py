"""The Slack adapter's shared state, kept in the project database so several bot processes agree.

Four tables, on the bot's own `bot.database.BotBase` (the migration is `0002_slack_state`):

* `slack_processed_events`: one row per Slack `event_id` handled. Claiming an event is a
  single INSERT guarded by the primary key, so when Slack retries an event, or two processes
  receive the same one, exactly one INSERT succeeds and only that caller answers.
* `slack_answers`: every answer given, with where it went. It is both the thread history
  passed to the engine for follow-ups and what feedback and escalation buttons point at.
* `slack_feedback`: one 👍/👎 per user per answer (a second click changes the vote), with
  the question and answer copied so the table can be read on its own.
* `slack_channel_settings`: per-channel behaviour, edited with `/council admin`.

Callers get plain frozen dataclasses back, never ORM objects, so nothing outside this module
holds a session.

Personal data: a question and an answer are stored storable (`bot.clean_text`) and redacted
(`bot.redaction.redact_personal`: contact details, NI, NHS and card numbers, addresses), as in the
audit log, and kept no longer than it: `purge_answers` deletes answers (and, by cascade, their
feedback) older than the retention; the audit log's purge runs it with AUDIT_RETENTION_DAYS, and a
store built with `retention_days` also purges on write, at most hourly.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Sequence

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.answer import Turn
from bot.clean_text import storable_text
from bot.database import BotBase
from bot.redaction import redact_personal

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class ProcessedEvent(BotBase):
    __tablename__ = "slack_processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SlackAnswer(BotBase):
    __tablename__ = "slack_answers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    escalated_by: Mapped[str | None] = mapped_column(String(32))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_slack_answers_thread", "channel_id", "thread_ts"),)


class SlackFeedback(BotBase):
    __tablename__ = "slack_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("slack_answers.id", ondelete="CASCADE")
    )
    team_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    rating: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text)
    answer_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("answer_id", "user_id", name="uq_slack_feedback_answer_user"),)


class SlackChannelSettings(BotBase):
    __tablename__ = "slack_channel_settings"

    channel_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    team_id: Mapped[str | None] = mapped_column(String(32))
    mention_only: Mapped[bool] = mapped_column(Boolean, default=False)
    private_answers: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_contacts: Mapped[str] = mapped_column(String(1000), default="")
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


SLACK_TABLES = (
    ProcessedEvent.__table__,
    SlackAnswer.__table__,
    SlackFeedback.__table__,
    SlackChannelSettings.__table__,
)
RATINGS = ("up", "down")


@dataclass(frozen=True)
class ChannelConfig:
    """How the bot behaves in one channel; the defaults apply to channels never configured."""

    mention_only: bool = False
    private_answers: bool = False
    escalation_contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerRecord:
    id: str
    team_id: str | None
    channel_id: str
    thread_ts: str | None
    message_ts: str | None
    user_id: str
    question: str
    answer_text: str
    abstained: bool = False
    private: bool = False
    created_at: datetime | None = None
    escalated_by: str | None = None


def new_answer_id() -> str:
    return uuid.uuid4().hex


class SlackStore:
    """Reads and writes the adapter's tables; safe to share between threads and processes."""

    def __init__(self, db: Engine, clock=utcnow, *, retention_days: int | None = None,
                 purge_every: timedelta = timedelta(hours=1)):
        if retention_days is not None and retention_days < 1:
            raise ValueError(f"AUDIT_RETENTION_DAYS must be at least 1 (days), not {retention_days}.")
        self.db = db
        self._clock = clock
        self.retention = None if retention_days is None else timedelta(days=retention_days)
        self._purge_every = purge_every
        self._last_purge: datetime | None = None

    # -- events -------------------------------------------------------------------------

    def claim_event(self, event_id: str, team_id: str | None = None) -> bool:
        """Record `event_id` as handled; True only for the one caller whose INSERT won."""
        try:
            with self.db.begin() as conn:
                conn.execute(
                    insert(ProcessedEvent).values(
                        event_id=event_id, team_id=team_id, received_at=self._clock()
                    )
                )
        except IntegrityError:
            return False
        return True

    def prune_events(self, older_than: timedelta = timedelta(days=2)) -> int:
        """Forget claims older than Slack's retry window (retries stop after about an hour)."""
        with self.db.begin() as conn:
            result = conn.execute(
                delete(ProcessedEvent).where(ProcessedEvent.received_at < self._clock() - older_than)
            )
        return result.rowcount or 0

    # -- answers and history ------------------------------------------------------------

    def save_answer(self, record: AnswerRecord) -> None:
        """Store an answer, its question and answer redacted; purges old answers when due."""
        with self.db.begin() as conn:
            conn.execute(
                insert(SlackAnswer).values(
                    id=record.id,
                    team_id=record.team_id,
                    channel_id=record.channel_id,
                    thread_ts=record.thread_ts,
                    message_ts=record.message_ts,
                    user_id=record.user_id,
                    question=stored_text(record.question),
                    answer_text=stored_text(record.answer_text),
                    abstained=record.abstained,
                    private=record.private,
                    created_at=record.created_at or self._clock(),
                )
            )
        self._purge_if_due()

    def purge_answers(self, older_than: timedelta) -> int:
        """Delete answers (and their feedback) older than `older_than`; returns how many answers."""
        with self.db.begin() as conn:
            result = conn.execute(delete(SlackAnswer).where(SlackAnswer.created_at < self._clock() - older_than))
        return result.rowcount or 0

    def _purge_if_due(self) -> None:
        now = self._clock()
        if self.retention is None or (self._last_purge is not None and now - self._last_purge < self._purge_every):
            return
        self._last_purge = now
        try:
            self.purge_answers(self.retention)
        except Exception as error:  # the answer is stored; the purge runs again next time
            log.warning("purging old Slack answers failed (%s)", type(error).__name__)

    def get_answer(self, answer_id: str) -> AnswerRecord | None:
        with self.db.connect() as conn:
            row = conn.execute(select(SlackAnswer).where(SlackAnswer.id == answer_id)).first()
        return _answer_record(row) if row else None

    def history(
        self,
        channel_id: str,
        thread_ts: str | None,
        user_id: str,
        limit: int = 10,
        since: datetime | None = None,
    ) -> tuple[Turn, ...]:
        """Earlier turns of a conversation, oldest first.

        `thread_ts=None` means the top level of a conversation (a DM); pass `since` to keep
        only recent turns there. Private answers count only for the user they were given to,
        so a follow-up by someone else never sees another person's private question.
        """
        query = select(SlackAnswer.question, SlackAnswer.answer_text).where(
            SlackAnswer.channel_id == channel_id,
            or_(SlackAnswer.private.is_(False), SlackAnswer.user_id == user_id),
        )
        if thread_ts is None:
            query = query.where(SlackAnswer.thread_ts.is_(None))
        else:
            query = query.where(SlackAnswer.thread_ts == thread_ts)
        if since is not None:
            query = query.where(SlackAnswer.created_at >= since)
        query = query.order_by(SlackAnswer.created_at.desc(), SlackAnswer.id).limit(limit)
        with self.db.connect() as conn:
            rows = conn.execute(query).all()
        return tuple(Turn(question=q, answer=a) for q, a in reversed(rows))

    # -- feedback and escalation --------------------------------------------------------

    def record_feedback(self, answer_id: str, user_id: str, rating: str) -> AnswerRecord | None:
        """Store (or change) `user_id`'s rating of an answer; None if the answer is unknown."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        answer = self.get_answer(answer_id)
        if answer is None:
            return None
        values = dict(
            answer_id=answer_id,
            team_id=answer.team_id,
            channel_id=answer.channel_id,
            user_id=user_id,
            rating=rating,
            question=answer.question,
            answer_text=answer.answer_text,
            created_at=self._clock(),
        )
        try:
            with self.db.begin() as conn:
                conn.execute(insert(SlackFeedback).values(**values))
        except IntegrityError:
            with self.db.begin() as conn:
                conn.execute(
                    update(SlackFeedback)
                    .where(SlackFeedback.answer_id == answer_id, SlackFeedback.user_id == user_id)
                    .values(rating=rating, created_at=values["created_at"])
                )
        return answer

    def feedback_rows(self) -> list[dict]:
        """Every stored rating, oldest first (for reports and tests)."""
        with self.db.connect() as conn:
            rows = conn.execute(select(SlackFeedback).order_by(SlackFeedback.id)).mappings().all()
        return [dict(row) for row in rows]

    def claim_escalation(self, answer_id: str, user_id: str) -> bool:
        """Mark an answer as escalated; True only the first time, so people are tagged once."""
        with self.db.begin() as conn:
            result = conn.execute(
                update(SlackAnswer)
                .where(SlackAnswer.id == answer_id, SlackAnswer.escalated_at.is_(None))
                .values(escalated_by=user_id, escalated_at=self._clock())
            )
        return result.rowcount == 1

    def release_escalation(self, answer_id: str) -> None:
        """Undo `claim_escalation` when the tag could not be posted, so a later click can retry."""
        with self.db.begin() as conn:
            conn.execute(
                update(SlackAnswer).where(SlackAnswer.id == answer_id).values(escalated_by=None, escalated_at=None)
            )

    # -- channel settings ---------------------------------------------------------------

    def channel_config(self, channel_id: str) -> ChannelConfig:
        with self.db.connect() as conn:
            row = conn.execute(
                select(SlackChannelSettings).where(SlackChannelSettings.channel_id == channel_id)
            ).first()
        if row is None:
            return ChannelConfig()
        return ChannelConfig(
            mention_only=bool(row.mention_only),
            private_answers=bool(row.private_answers),
            escalation_contacts=tuple(row.escalation_contacts.split()),
        )

    def update_channel_config(
        self,
        channel_id: str,
        *,
        team_id: str | None,
        updated_by: str,
        mention_only: bool | None = None,
        private_answers: bool | None = None,
        escalation_contacts: Sequence[str] | None = None,
    ) -> ChannelConfig:
        """Change the given settings of a channel, keeping the others; returns the result."""
        current = self.channel_config(channel_id)
        values = dict(
            team_id=team_id,
            mention_only=current.mention_only if mention_only is None else mention_only,
            private_answers=current.private_answers if private_answers is None else private_answers,
            escalation_contacts=" ".join(
                current.escalation_contacts if escalation_contacts is None else escalation_contacts
            ),
            updated_by=updated_by,
            updated_at=self._clock(),
        )
        with self.db.begin() as conn:
            changed = conn.execute(
                update(SlackChannelSettings)
                .where(SlackChannelSettings.channel_id == channel_id)
                .values(**values)
            ).rowcount
            if not changed:
                conn.execute(insert(SlackChannelSettings).values(channel_id=channel_id, **values))
        return self.channel_config(channel_id)


def stored_text(text: str) -> str:
    """What `slack_answers` keeps of a question or an answer: storable and redacted."""
    return redact_personal(storable_text(text or ""))


def _answer_record(row) -> AnswerRecord:
    return AnswerRecord(
        id=row.id,
        team_id=row.team_id,
        channel_id=row.channel_id,
        thread_ts=row.thread_ts,
        message_ts=row.message_ts,
        user_id=row.user_id,
        question=row.question,
        answer_text=row.answer_text,
        abstained=bool(row.abstained),
        private=bool(row.private),
        created_at=row.created_at,
        escalated_by=row.escalated_by,
    )
