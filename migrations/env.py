"""Alembic environment: migrations run on a connection handed in by the application
(`kpi_tools.schema.upgrade_to_head` passes it as `config.attributes["connection"]`), or, when
Alembic is run by hand, on an engine built from DATABASE_URL (default: the app's SQLite file).

The metadata lists every table of the project: the KPI models (`kpi_tools.database.Base`) and
the bot's Slack, audit and switch tables (`bot.database.BotBase`), see `bot.database.all_metadata`.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from bot.database import all_metadata
from kpi_tools.database import make_engine

config = context.config
target_metadata = list(all_metadata())


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
