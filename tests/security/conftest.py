"""Fixtures for the security tests: the Slack fakes from tests/slack, audited databases, a fake
`Services` for the CLI, and switches held in memory.

Slack tests use the shared fake Web API (`api`, from tests/fake_slack.py) and tests/slack's bot
starter (`slack_fakes`); their databases also carry the audit tables, so the bot records every
question.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, text

from bot.audit.controls import Controls, Switch
from bot.audit.tables import AUDIT_TABLES
from bot.settings import Settings
from bot.slack.store import SLACK_TABLES
from bot.database import BotBase
from kpi_tools.database import make_engine
from slack_fakes import TEST_DATABASE_URL, RunningBot, start_bot


def fuzz(max_examples: int):
    """Hypothesis settings for these tests: a fixed number of examples, derandomised (the same
    inputs every run, so CI is reproducible), no example database, no per-example deadline."""
    from hypothesis import HealthCheck, settings

    return settings(max_examples=max_examples, derandomize=True, database=None, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


FUZZED: Counter = Counter()  # inputs tried per target ("target: outcome" keys count outcomes), reported at the end


def pytest_terminal_summary(terminalreporter):
    if FUZZED:
        total = sum(count for name, count in FUZZED.items() if ": " not in name)
        parts = ", ".join(f"{name} {count}" for name, count in sorted(FUZZED.items()))
        terminalreporter.write_line(f"security fuzzing: {total} inputs ({parts})")


def create_bot_tables(db: Engine) -> None:
    BotBase.metadata.create_all(db, tables=[*SLACK_TABLES, *AUDIT_TABLES])


class StaticControls:
    """A `ControlsSource` the test sets directly."""

    def __init__(self, controls: Controls = Controls()):
        self.state = controls

    def current(self) -> Controls:
        return self.state

    def set(self, *, kill: bool = False, message: str | None = None, purdah: bool = False) -> None:
        self.state = Controls(kill_switch=Switch(kill, message), purdah=Switch(purdah))


@dataclass
class FakeServices:
    """What the CLI commands use from `bot.wiring.Services`: settings and a migrated database."""

    settings: Settings
    database: Engine

    def db(self) -> Engine:
        return self.database


@pytest.fixture
def audited_db(tmp_path):
    """A SQLite file with the Slack, audit and switch tables."""
    db = make_engine(f"sqlite:///{tmp_path / 'council.db'}")
    create_bot_tables(db)
    yield db
    db.dispose()


@pytest.fixture
def make_bot(api, audited_db):
    """`make_bot(**kwargs)` starts a bot (tests/slack `start_bot`) on `audited_db` unless `db=` is given."""
    bots: list[RunningBot] = []

    def make(**kwargs) -> RunningBot:
        db = kwargs.pop("db", audited_db)
        bot = start_bot(api, db, **kwargs)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.stop()


def postgres_or_skip() -> str:
    """TEST_DATABASE_URL if PostgreSQL answers; otherwise skip (fail under REQUIRE_SERVICES=1)."""
    from tests.conftest import require_or_skip

    engine = make_engine(TEST_DATABASE_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:
        require_or_skip(f"PostgreSQL at {TEST_DATABASE_URL} is not reachable "
                        f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})")
    finally:
        engine.dispose()
    return TEST_DATABASE_URL


@pytest.fixture
def postgres_schema():
    """(admin URL, schema): a fresh, uniquely named schema in the test database, dropped afterwards."""
    url = postgres_or_skip()
    schema = f"security_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url, schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def in_schema(url: str, schema: str, **kwargs) -> Engine:
    return make_engine(url, connect_args={"options": f"-csearch_path={schema}", **kwargs.pop("connect_args", {})},
                       **kwargs)
