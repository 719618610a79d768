"""The audit log and the assistant's switches, on the bot's `BotBase` (migration `0003_audit`).

* `audit_log`: one row per question answered (or refused) and per change of a switch: who,
  where, which mode, what was asked (contact details and personal numbers redacted, see `bot.redaction`), what was
  answered, the sources cited, how long it took. Rows older than `AUDIT_RETENTION_DAYS` are purged.
* `assistant_controls`: one row per switch (`kill_switch`, `purdah`), so every bot process
  sees the same state.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.database import BotBase


class AuditEntry(BotBase):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    source: Mapped[str] = mapped_column(String(16))  # slack | cli | admin
    team_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[str | None] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))  # offline | llm | admin
    outcome: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text)  # JSON list of {"doc_id", "section"} or {"source"}
    latency_ms: Mapped[float | None] = mapped_column(Float)
    reference: Mapped[str | None] = mapped_column(String(16))


class AssistantControl(BotBase):
    __tablename__ = "assistant_controls"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


AUDIT_TABLES = (AuditEntry.__table__, AssistantControl.__table__)
