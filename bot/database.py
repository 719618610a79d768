"""The bot's own tables (Slack state, the audit log, the switches), on their own declarative base.

The KPI tables belong to `kpi_tools.database.Base`; the bot's tables are not KPI data, so they
live on `BotBase` and the KPI layer never sees them. Both sets are created by the same Alembic
migrations (`migrations/env.py` targets `ALL_METADATA`), in the same database.
"""
from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from kpi_tools.database import Base as KpiBase


class BotBase(DeclarativeBase):
    pass


def all_metadata():
    """Every table of the project: the KPI models and the bot's (what the migrations build)."""
    import bot.audit.tables  # noqa: F401  (registers the audit log and the switches)
    import bot.slack.store  # noqa: F401  (registers the Slack adapter's tables)
    import kpi_tools.models  # noqa: F401  (registers the KPI tables)

    return (KpiBase.metadata, BotBase.metadata)
