"""Whether the project database can be used, and one sentence saying why not.

`Services.db()` raises `DatabaseUnavailable` with `describe_database_error`'s sentence when the
database cannot be reached, opened or migrated at start, so every command prints one line
(never a traceback) and the answer engine can carry on with the documents alone.
`schema_health` is what a health check asks: the database answers, its schema is at the newest
migration and every table of the project is there.
"""
from __future__ import annotations

import errno
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used; the message is one sentence saying why and what to do."""


def safe_url(url: str) -> str:
    """`url` without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: say so without echoing it (it may hold a password)
        return "the configured DATABASE_URL"


def sqlite_file(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except Exception:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def describe_database_error(url: str, error: BaseException) -> str:
    """One sentence for a database that could not be used at `url`: what is wrong, and the fix."""
    detail = _first_line(getattr(error, "orig", None) or error)
    lowered = detail.lower()
    where = safe_url(url)
    path = sqlite_file(url)
    if isinstance(error, (ArgumentError, NoSuchModuleError, ImportError)):
        return (f"DATABASE_URL is not usable ({detail}); set it to a URL such as "
                "postgresql+psycopg://user:password@host:5432/council, or leave it unset for a SQLite file.")
    if path is not None:
        if "file is not a database" in lowered or "malformed" in lowered or "disk image" in lowered:
            return (f"The SQLite database {path} is damaged ({detail}). Move it aside (or restore it from a "
                    "backup) and run the command again: a new database is built from the corpus, and KPI values "
                    "imported since must be imported again.")
        if "readonly" in lowered or "read-only" in lowered:
            return (f"The SQLite database {path} is read-only ({detail}); make it and its folder writable "
                    "(COUNCIL_DATA_DIR), or point DATABASE_URL elsewhere.")
        if "unable to open" in lowered or isinstance(error, OSError):
            return (f"The SQLite database {path} cannot be opened ({detail}); check that its folder exists and "
                    "is writable (COUNCIL_DATA_DIR), or point DATABASE_URL elsewhere.")
    if isinstance(error, OSError):
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return (f"The data directory cannot be written ({detail}); make it writable or set "
                    "COUNCIL_DATA_DIR to a writable folder.")
        return f"The database at {where} could not be used ({detail}); check DATABASE_URL."
    return f"The database at {where} is not available ({detail}); check DATABASE_URL and that the server is running."


def schema_health(engine: Engine) -> tuple[bool, str]:
    """(True, "ok") when `engine` answers, its schema is at the newest migration and every table
    of the project exists; else (False, one sentence)."""
    from bot.database import all_metadata
    from kpi_tools.schema import newest_revision

    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            versions = set()
            if "alembic_version" in tables:
                versions = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError as error:
        return False, describe_database_error(engine.url.render_as_string(hide_password=False), error)
    newest = newest_revision()
    if versions != {newest}:
        found = ", ".join(sorted(versions)) or "no migration"
        return False, (f"The database schema is at {found}, not {newest}; restart the bot (or run any "
                       "council-assistant command) to migrate it.")
    expected = {table.name for metadata in all_metadata() for table in metadata.sorted_tables}
    missing = sorted(expected - tables)
    if missing:
        return False, f"The database is missing tables ({', '.join(missing)}); the schema does not match its migrations."
    return True, "ok"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
