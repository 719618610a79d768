"""The project's relational database: KPI data and the bot's shared state.

One declarative `Base` for every table so that Alembic (in `migrations/`) sees one metadata.
The engine is always passed in; nothing here opens a connection at import time.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for `url`, making the SQLite file's folder and turning on its foreign keys.

    SQLite ignores foreign keys unless asked on every connection; PostgreSQL enforces them
    always, so without this the two engines would behave differently in tests.
    """
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # Bound parameters carry questions, user ids and import rows; keep them out of error logs.
    kwargs.setdefault("hide_parameters", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _enable_foreign_keys(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine
