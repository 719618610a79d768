"""Alembic migrations: they build exactly the tables of the models, and two processes
migrating and seeding at once do not collide."""
from __future__ import annotations

import threading

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text

from bot.settings import DEFAULT_SEED_DATA_DIR
from bot.database import all_metadata
from kpi_tools.database import make_engine
from kpi_tools.models import Measure
from kpi_tools.schema import alembic_config, upgrade_to_head
from kpi_tools.seed import seed_database

KPI_TABLES = {"kpi_frameworks", "kpi_outcomes", "kpi_measures", "kpi_measure_outcomes", "kpi_commitments",
              "kpi_commitment_measures", "kpi_figures", "kpi_edition_differences", "kpi_observations",
              "kpi_seed_state"}


def test_first_revision_is_the_kpi_schema():
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_base() == "0001_kpi_schema"


def test_migrations_match_the_models_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'schema.db'}")
    upgrade_to_head(engine)
    upgrade_to_head(engine)  # a second run is a no-op
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), list(all_metadata()))
    assert differences == []
    assert KPI_TABLES <= set(inspect(engine).get_table_names())


def test_downgrade_removes_the_kpi_tables(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'down.db'}")
    upgrade_to_head(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not KPI_TABLES & set(inspect(engine).get_table_names())


def test_migrations_match_the_models_on_postgresql(empty_engine):
    upgrade_to_head(empty_engine)
    with empty_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), list(all_metadata())) == []


def test_two_processes_starting_together(empty_engine, documents):
    """Both migrate and seed; the locks make one wait for the other, so both succeed once."""
    errors, reports = [], []

    url, connect_args = empty_engine.url.render_as_string(hide_password=False), _connect_args(empty_engine)

    def start():
        engine = make_engine(url, connect_args=connect_args)
        try:
            upgrade_to_head(engine)
            reports.append(seed_database(engine, documents, DEFAULT_SEED_DATA_DIR))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(report.changed for report in reports) == [False, True]
    with empty_engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == \
            ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert connection.scalar(select(func.count()).select_from(Measure)) == 147


def _connect_args(engine) -> dict:
    """The fixture's engine sets search_path through connect_args; a new engine needs the same."""
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
    return {"options": f"-csearch_path={schema}"}
