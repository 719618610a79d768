"""Fixtures for the Slack adapter tests: a database and a running bot. The fake Slack Web API
(`api`) comes from tests/fake_slack.py, shared with every other folder."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text

from kpi_tools.database import make_engine
from slack_fakes import TEST_DATABASE_URL, RunningBot, create_slack_tables, start_bot


@pytest.fixture
def sqlite_db(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'council.db'}")
    create_slack_tables(db)
    yield db
    db.dispose()


@pytest.fixture
def postgres_schema():
    """An engine on a fresh, uniquely named (empty) schema of the test PostgreSQL database.

    Skips when the server is unreachable, unless REQUIRE_SERVICES=1 (CI), where it fails.
    The schema is dropped afterwards, so parallel and repeated runs never collide.
    """
    schema = f"slack_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(TEST_DATABASE_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:
        admin.dispose()
        reason = f"PostgreSQL at {TEST_DATABASE_URL} is not reachable ({type(error).__name__}: {str(error).splitlines()[0]})"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason + "; REQUIRE_SERVICES=1 so this test must not skip")
        pytest.skip(reason)
    db = make_engine(TEST_DATABASE_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield db, schema
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_db(postgres_schema):
    """`postgres_schema` with the Slack tables created."""
    db, schema = postgres_schema
    create_slack_tables(db)
    return db, schema


@pytest.fixture
def make_bot(api, sqlite_db):
    """`make_bot(**kwargs)` starts a bot (see `start_bot`) on the test database; all are stopped after."""
    bots: list[RunningBot] = []

    def make(**kwargs) -> RunningBot:
        kwargs.setdefault("db", sqlite_db)
        db = kwargs.pop("db")
        bot = start_bot(api, db, **kwargs)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.stop()


@pytest.fixture
def bot(make_bot) -> RunningBot:
    return make_bot()
