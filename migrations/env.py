"""Alembic environment: migrations run on a connection handed in by the application
(`kpi_tools.schema.upgrade_to_head` passes it as `config.attributes["connection"]`), or, when
Alembic is run by hand, on an engine built from DATABASE_URL (default: the app's SQLite file).

The metadata must list every table of the project: the KPI models always, and the Slack
adapter's tables when that package is present.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from kpi_tools.database import Base, make_engine
import kpi_tools.models  # noqa: F401  (registers the KPI tables on Base.metadata)

try:
    import bot.slack.store  # noqa: F401  (registers the Slack adapter's tables, when present)
except ImportError:
    pass
try:
    import bot.audit.tables  # noqa: F401  (registers the audit log and assistant switches, when present)
except ImportError:
    pass

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from bot.settings import Settings  # only when run by hand: the app passes its own connection

    engine = make_engine(Settings.from_env().effective_database_url)
    with engine.connect() as connection:
        _configure_and_run(connection)
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
