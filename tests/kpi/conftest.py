"""Fixtures for the KPI layer: migrated and seeded databases on SQLite and on PostgreSQL.

PostgreSQL is the server named by TEST_DATABASE_URL (default: the local test database). Each
database gets its own uniquely named schema (set as search_path), dropped afterwards, so runs in
parallel do not collide. When the server is unreachable the PostgreSQL cases skip with the
reason, or fail under REQUIRE_SERVICES=1 (CI).
"""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR
from kpi_tools.database import make_engine
from kpi_tools.schema import upgrade_to_head
from kpi_tools.seed import seed_database
from kpi_tools.tools import KpiTools
from retrieval.corpus import load_manifest

DEFAULT_TEST_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_url() -> str:
    """The PostgreSQL URL to test against; skips (or fails under REQUIRE_SERVICES=1) if unreachable."""
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_DATABASE_URL
    engine = make_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "not reachable" here
        reason = f"PostgreSQL at {engine.url.render_as_string(hide_password=True)} is not reachable: {exc}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is a failure, not a skip)")
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@contextmanager
def postgres_schema_engine():
    """An engine whose connections use a new, empty schema; the schema is dropped afterwards."""
    url = postgres_url()
    schema = f"kpi_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def seed(engine: Engine) -> Engine:
    upgrade_to_head(engine)
    seed_database(engine, load_manifest(DEFAULT_CORPUS_DIR), DEFAULT_SEED_DATA_DIR)
    return engine


@pytest.fixture(scope="session")
def documents():
    return load_manifest(DEFAULT_CORPUS_DIR)


@pytest.fixture(scope="session")
def seeded_sqlite_file(tmp_path_factory) -> Path:
    """A seeded SQLite file; tests that write get a copy of it."""
    path = tmp_path_factory.mktemp("kpi-seeded") / "kpi.db"
    engine = seed(make_engine(f"sqlite:///{path}"))
    engine.dispose()
    return path


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_engine(request, seeded_sqlite_file):
    """A migrated and seeded database shared by read-only tests, on each backend."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{seeded_sqlite_file}")
        yield engine
        engine.dispose()
    else:
        with postgres_schema_engine() as engine:
            yield seed(engine)


@pytest.fixture(params=BACKENDS)
def fresh_engine(request, tmp_path, seeded_sqlite_file):
    """A migrated and seeded database of its own, for tests that write."""
    if request.param == "sqlite":
        path = tmp_path / "kpi.db"
        shutil.copy(seeded_sqlite_file, path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
    else:
        with postgres_schema_engine() as engine:
            yield seed(engine)


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    """A database with no tables at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
    else:
        with postgres_schema_engine() as engine:
            yield engine


@pytest.fixture(scope="session")
def kpi(seeded_engine) -> KpiTools:
    return KpiTools(seeded_engine)
