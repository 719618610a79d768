"""The adapter's tables: dedupe claims, history, feedback, escalation, channel settings,
and the migration 0002_slack_state matching the models."""
from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, inspect

from bot.answer import Turn
from bot.slack.store import SLACK_TABLES, AnswerRecord, ChannelConfig, SlackStore
from kpi_tools.database import make_engine

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0002_slack_state.py"


class Clock:
    def __init__(self):
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(sqlite_db, clock):
    return SlackStore(sqlite_db, clock=clock)


def record(answer_id: str, *, thread_ts="1.1", user="U1", private=False, channel="C1", at=None) -> AnswerRecord:
    return AnswerRecord(id=answer_id, team_id="T1", channel_id=channel, thread_ts=thread_ts, message_ts="2.2",
                        user_id=user, question=f"q {answer_id}", answer_text=f"a {answer_id}",
                        private=private, created_at=at)


def test_an_event_can_be_claimed_once(store, clock):
    assert store.claim_event("Ev1", "T1") is True
    assert store.claim_event("Ev1", "T1") is False
    assert store.claim_event("Ev2", "T1") is True
    clock.now += timedelta(days=3)
    assert store.claim_event("Ev3") is True
    assert store.prune_events(timedelta(days=2)) == 2
    assert store.claim_event("Ev1") is True  # forgotten after the retry window


def test_history_is_oldest_first_and_hides_other_peoples_private_turns(store, clock):
    start = clock.now
    store.save_answer(record("a1", at=start))
    store.save_answer(record("a2", user="U2", private=True, at=start + timedelta(seconds=1)))
    store.save_answer(record("a3", at=start + timedelta(seconds=2)))
    store.save_answer(record("a4", thread_ts="9.9", at=start + timedelta(seconds=3)))

    assert store.history("C1", "1.1", "U1") == (Turn("q a1", "a a1"), Turn("q a3", "a a3"))
    assert store.history("C1", "1.1", "U2") == (Turn("q a1", "a a1"), Turn("q a2", "a a2"), Turn("q a3", "a a3"))
    assert store.history("C1", "1.1", "U1", limit=1) == (Turn("q a3", "a a3"),)


def test_dm_history_keeps_only_recent_top_level_turns(store, clock):
    start = clock.now
    store.save_answer(record("old", channel="D1", thread_ts=None, at=start - timedelta(hours=2)))
    store.save_answer(record("new", channel="D1", thread_ts=None, at=start - timedelta(minutes=5)))
    assert store.history("D1", None, "U1", since=start - timedelta(minutes=30)) == (Turn("q new", "a new"),)


def test_feedback_is_one_row_per_user_and_answer(store, clock):
    store.save_answer(record("a1"))
    assert store.record_feedback("missing", "U1", "up") is None
    assert store.record_feedback("a1", "U2", "up").id == "a1"
    clock.now += timedelta(minutes=1)
    store.record_feedback("a1", "U2", "down")
    store.record_feedback("a1", "U3", "up")
    rows = [(r["user_id"], r["rating"], r["question"], r["answer_text"], r["channel_id"]) for r in store.feedback_rows()]
    assert rows == [("U2", "down", "q a1", "a a1", "C1"), ("U3", "up", "q a1", "a a1", "C1")]
    with pytest.raises(ValueError, match=r"rating must be one of \('up', 'down'\), not 'meh'"):
        store.record_feedback("a1", "U2", "meh")


def test_an_answer_is_escalated_once(store):
    store.save_answer(record("a1"))
    assert store.claim_escalation("a1", "U1") is True
    assert store.claim_escalation("a1", "U2") is False
    assert store.get_answer("a1").escalated_by == "U1"
    store.release_escalation("a1")
    assert store.claim_escalation("a1", "U2") is True


def test_channel_settings_default_and_partial_updates(store):
    assert store.channel_config("C1") == ChannelConfig()
    store.update_channel_config("C1", team_id="T1", updated_by="UADMIN", private_answers=True)
    updated = store.update_channel_config("C1", team_id="T1", updated_by="UADMIN",
                                          escalation_contacts=("<@U7>", "<!subteam^S1>"))
    assert updated == ChannelConfig(mention_only=False, private_answers=True,
                                    escalation_contacts=("<@U7>", "<!subteam^S1>"))
    assert store.channel_config("C2") == ChannelConfig()


def load_migration():
    spec = importlib.util.spec_from_file_location("migration_0002_slack_state", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_migration_matches_models(db) -> None:
    migration = load_migration()
    assert (migration.revision, migration.down_revision) == ("0002_slack_state", "0001_kpi_schema")
    models = MetaData()
    for table in SLACK_TABLES:
        table.to_metadata(models)
    with db.begin() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        with Operations.context(context):
            migration.upgrade()
        assert compare_metadata(context, models) == []
        with Operations.context(context):
            migration.downgrade()
        assert inspect(conn).get_table_names() == []


def test_the_migration_creates_exactly_the_models_tables_on_sqlite(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    check_migration_matches_models(db)


@pytest.mark.postgres
def test_the_migration_creates_exactly_the_models_tables_on_postgresql(postgres_schema):
    db, _schema = postgres_schema
    check_migration_matches_models(db)


@pytest.mark.postgres
def test_claims_race_safely_on_postgresql(postgres_db):
    from concurrent.futures import ThreadPoolExecutor

    db, _schema = postgres_db
    store = SlackStore(db)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: store.claim_event("EvRace"), range(16)))
    assert results.count(True) == 1
