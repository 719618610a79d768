"""Bringing a database's schema to the latest Alembic migration, from inside the application.

Called on every start (`bot.wiring.prepare_database`); a database already at head costs one
query. Safe when two processes start together: see `kpi_tools.locks`.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from kpi_tools.locks import locked_transaction

REPO_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = REPO_ROOT / "migrations"
ALEMBIC_INI = REPO_ROOT / "alembic.ini"
MIGRATION_LOCK_KEY = 7_261_843_001  # pg_advisory_xact_lock key for migrations


def alembic_config():
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI)) if ALEMBIC_INI.is_file() else Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def newest_revision() -> str:
    """The head revision, read from the file names: every migration is named after its revision id
    (`0002_slack_state.py` holds revision "0002_slack_state"; a test keeps it so)."""
    return max(path.stem for path in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))


def is_at_head(engine: Engine) -> bool:
    """One query, no Alembic import: lets a one-shot CLI call skip the migration machinery."""
    if not inspect(engine).has_table("alembic_version"):
        return False
    with engine.connect() as connection:
        versions = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    return versions == {newest_revision()}


def upgrade_to_head(engine: Engine) -> None:
    """Run every pending migration on `engine`, in one transaction (passed to env.py as
    `config.attributes["connection"]`). Nothing to do costs one query."""
    if is_at_head(engine):
        return
    from alembic import command

    config = alembic_config()
    with locked_transaction(engine, MIGRATION_LOCK_KEY, "migrate") as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
