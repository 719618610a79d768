"""One transaction at a time across processes, for start-up work (migrating, seeding).

Two bot processes starting together must not both create tables or both seed. On PostgreSQL a
transaction-scoped advisory lock serialises them; on a SQLite file, an exclusive lock on a file
beside the database does. The second process then finds the work done and does nothing.
"""
from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, text


@contextmanager
def locked_transaction(engine: Engine, key: int, name: str) -> Iterator[Connection]:
    """A connection in a transaction that no other process holding the same lock runs beside."""
    with _sqlite_file_lock(engine, name), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        yield connection


@contextmanager
def _sqlite_file_lock(engine: Engine, name: str) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock_path = Path(database).with_name(f"{Path(database).name}.{name}.lock")
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
