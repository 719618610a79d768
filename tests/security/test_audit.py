"""The audit log: its migration, what a row holds, retention, holding entries through an outage,
the Slack and CLI call sites, and what never reaches the logs (secrets, contact details)."""
from __future__ import annotations

import importlib.util
import io
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, inspect, select
from sqlalchemy.exc import OperationalError

from bot.answer import Answer, Citation, Figure
from bot.audit.log import AuditEvent, AuditLog, AuditRecord
from bot.audit.recording import audit_log_if_installed, event_for, record_cli_answer
from bot.audit.tables import AUDIT_TABLES, AuditEntry
from bot.guarded_engine import GuardedEngine
from bot.redaction import RedactingFilter, install_log_redaction, redact_personal, redact_secrets
from bot.settings import Settings
from kpi_tools.database import make_engine
from slack_fake_api import message
from slack_fakes import FakeEngine, make_settings
from tests.security.conftest import StaticControls, in_schema

MIGRATION = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0003_audit.py"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def stored_rows(db) -> list[dict]:
    with db.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(AuditEntry).order_by(AuditEntry.id))]


# -- the migration ----------------------------------------------------------------------------


def check_migration_matches_models(db) -> None:
    spec = importlib.util.spec_from_file_location("migration_0003_audit", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert (migration.revision, migration.down_revision) == ("0003_audit", "0002_slack_state")
    models = MetaData()
    for table in AUDIT_TABLES:
        table.to_metadata(models)
    with db.begin() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        with Operations.context(context):
            migration.upgrade()
        assert compare_metadata(context, models) == []
        with Operations.context(context):
            migration.downgrade()
        assert inspect(conn).get_table_names() == []


def test_the_migration_creates_exactly_the_audit_tables_on_sqlite(tmp_path):
    check_migration_matches_models(make_engine(f"sqlite:///{tmp_path / 'migrated.db'}"))


@pytest.mark.postgres
def test_the_migration_creates_exactly_the_audit_tables_on_postgresql(postgres_schema):
    db = in_schema(*postgres_schema)
    try:
        check_migration_matches_models(db)
    finally:
        db.dispose()


def test_the_application_migrations_include_the_audit_tables(tmp_path):
    from kpi_tools.schema import upgrade_to_head

    db = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_to_head(db)
    assert {"audit_log", "assistant_controls"} <= set(inspect(db).get_table_names())
    assert audit_log_if_installed(db) is not None


# -- what a row holds -------------------------------------------------------------------------


def test_a_row_holds_who_where_what_and_how_long_with_contact_details_redacted(audited_db):
    audit = AuditLog(audited_db, clock=Clock())
    event = AuditEvent(source="slack", question="Email me at ann.smith@example.org or call 07700 900123: carbon?",
                       answer="The footprint was 131,610 tonnes. Call 01223 706398 for more.", mode="offline",
                       outcome="answered", user_id="U1", channel_id="D1", team_id="T1",
                       sources=("strategic-framework-2023-28-draft › Greener",) * 2, latency_ms=12.345)
    assert audit.record(event) is True
    (row,) = stored_rows(audited_db)
    assert {key: value for key, value in row.items() if key not in ("id", "created_at")} == {
        "source": "slack", "team_id": "T1", "channel_id": "D1", "user_id": "U1", "mode": "offline",
        "outcome": "answered", "reason": None,
        "question": "Email me at [email] or call [phone]: carbon?",
        "answer": "The footprint was 131,610 tonnes. Call [phone] for more.",
        "sources": '["strategic-framework-2023-28-draft › Greener"]', "latency_ms": 12.3, "reference": None,
    }
    assert row["created_at"].replace(tzinfo=timezone.utc) == T0


def test_event_for_an_answer_lists_its_sources_once(fake_engine):
    answer = Answer("q", "a", citations=(Citation("d1", "Doc", "S", "x"), Citation("d1", "Doc", "S", "y"),
                                         Citation("d2", "Doc 2", None, "z")),
                    figures=(Figure("NEET", "2.5", source="DfE"), Figure("Carbon", "1", doc_id="d1")))
    event = event_for(answer, source="cli", question="q", latency_ms=None)
    assert event.sources == ("d1 › S", "d2", "DfE")
    assert (event.outcome, event.latency_ms) == ("answered", 0.0)
    refused = GuardedEngine(fake_engine, StaticControls()).answer("Tell me a joke")
    assert (event_for(refused, source="cli", question="q", latency_ms=1).outcome,
            event_for(refused, source="cli", question="q", latency_ms=1).reason) == ("refused", "out-of-scope")


def test_record_cli_answer_writes_the_account_and_the_answer(audited_db):
    audit = AuditLog(audited_db, clock=Clock())
    answer = Answer("What is the vision?", "“A great place to live” (Framework › Vision)",
                    citations=(Citation("strategic-framework-2023-28-draft", "Draft", "Vision", "q"),), latency_ms=42.0)
    record_cli_answer(audit, answer, user="ann")
    (entry,) = audit.entries()
    assert entry == AuditRecord(source="cli", question="What is the vision?", answer=answer.text, mode="offline",
                                outcome="answered", user_id="ann", channel_id="cli",
                                sources=("strategic-framework-2023-28-draft › Vision",), latency_ms=42.0,
                                id=entry.id, created_at=entry.created_at)


def test_an_unknown_outcome_is_a_logged_bug_not_a_crash(audited_db, caplog):
    assert AuditLog(audited_db).record(AuditEvent(source="cli", question="q", answer="a", outcome="maybe")) is False
    assert "could not build an audit entry" in caplog.text
    assert stored_rows(audited_db) == []


# -- retention --------------------------------------------------------------------------------


def test_purge_deletes_only_entries_older_than_the_retention(audited_db):
    clock = Clock()
    audit = AuditLog(audited_db, retention_days=30, clock=clock, purge_every=timedelta(days=365))
    for days_ago in (45, 31, 29, 0):
        clock.now = T0 - timedelta(days=days_ago)
        audit.record(AuditEvent(source="cli", question=f"{days_ago} days ago", answer=""))
    clock.now = T0
    assert audit.purge() == 2
    assert [row["question"] for row in stored_rows(audited_db)] == ["29 days ago", "0 days ago"]


def test_writing_purges_at_most_once_per_period(audited_db):
    clock = Clock(T0 - timedelta(days=10))
    audit = AuditLog(audited_db, retention_days=7, clock=clock, purge_every=timedelta(hours=1))
    audit.record(AuditEvent(source="cli", question="old", answer=""))  # purges (nothing to delete yet)
    clock.now = T0
    audit.record(AuditEvent(source="cli", question="new", answer=""))  # 10 days later: purges "old"
    assert [row["question"] for row in stored_rows(audited_db)] == ["new"]
    clock.now = T0 + timedelta(days=8, minutes=30)
    audit._last_purge = T0 + timedelta(days=8)  # purged half an hour ago: not due
    audit.record(AuditEvent(source="cli", question="newer", answer=""))
    assert [row["question"] for row in stored_rows(audited_db)] == ["new", "newer"]


def test_without_a_retention_nothing_is_ever_purged(audited_db):
    clock = Clock(T0 - timedelta(days=4000))
    audit = AuditLog(audited_db, clock=clock)  # e.g. the Slack default before the wiring passes the setting
    audit.record(AuditEvent(source="cli", question="ancient", answer=""))
    clock.now = T0
    audit.record(AuditEvent(source="cli", question="new", answer=""))
    assert [row["question"] for row in stored_rows(audited_db)] == ["ancient", "new"]
    with pytest.raises(ValueError, match="No retention period was given"):
        audit.purge()


def test_a_retention_below_one_day_is_refused():
    with pytest.raises(ValueError, match="AUDIT_RETENTION_DAYS must be at least 1 \\(days\\), not 0."):
        AuditLog(None, retention_days=0)


def test_the_retention_comes_from_the_environment():
    assert Settings.from_env({"AUDIT_RETENTION_DAYS": "30"}).audit_retention_days == 30
    assert Settings.from_env({}).audit_retention_days == 90


# -- an outage --------------------------------------------------------------------------------


class SwitchableDatabase:
    """The real engine, except that `begin()` fails while `down` is set."""

    def __init__(self, engine):
        self.engine = engine
        self.down = False

    def begin(self):
        if self.down:
            raise OperationalError("INSERT", {}, ConnectionRefusedError("connection refused"))
        return self.engine.begin()

    def connect(self):
        return self.engine.connect()


def test_entries_are_held_while_the_database_is_down_and_written_with_their_own_time(audited_db, caplog):
    caplog.set_level(logging.INFO, logger="bot.audit.log")
    db, clock = SwitchableDatabase(audited_db), Clock()
    audit = AuditLog(db, clock=clock)
    db.down = True
    for minute in (1, 2, 3):
        clock.now = T0 + timedelta(minutes=minute)
        assert audit.record(AuditEvent(source="slack", question=f"q{minute}", answer="a")) is False
    assert audit.held == 3 and stored_rows(audited_db) == []
    db.down = False
    clock.now = T0 + timedelta(minutes=10)
    assert audit.record(AuditEvent(source="slack", question="q10", answer="a")) is True
    rows = stored_rows(audited_db)
    assert [(r["question"], r["created_at"].replace(tzinfo=timezone.utc)) for r in rows] == [
        (f"q{m}", T0 + timedelta(minutes=m)) for m in (1, 2, 3, 10)]
    assert audit.held == 0
    levels = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "bot.audit.log"]
    assert levels == [
        ("WARNING", "audit log not writable (OperationalError); 1 entry held until the database is back"),
        ("INFO", "audit log not writable (OperationalError); 2 entries held until the database is back"),
        ("INFO", "audit log not writable (OperationalError); 3 entries held until the database is back"),
        ("WARNING", "audit log writable again: wrote 4 held entries"),
    ]


def test_at_most_max_held_entries_are_kept_and_dropping_is_an_error(audited_db, caplog):
    db = SwitchableDatabase(audited_db)
    audit = AuditLog(db, max_held=2)
    db.down = True
    for n in range(3):
        audit.record(AuditEvent(source="cli", question=f"q{n}", answer=""))
    db.down = False
    audit.flush()
    assert [row["question"] for row in stored_rows(audited_db)] == ["q1", "q2"]
    assert "audit log: dropped the 1 oldest held entries (at most 2 are held)" in caplog.text


# -- the Slack path ---------------------------------------------------------------------------


def test_every_slack_question_is_audited_with_user_channel_mode_sources_and_latency(make_bot, api, audited_db):
    bot = make_bot(engine=GuardedEngine(FakeEngine(), StaticControls()))
    bot.slack.event(message("What is the carbon footprint? Mail ann@example.org", channel="D1", channel_type="im"))
    bot.slack.event(message("Tell me a joke", channel="D2", channel_type="im", user="U2"))
    api.wait_for("chat.update", 2)
    bot.idle()
    rows = sorted(stored_rows(audited_db), key=lambda r: r["channel_id"])
    assert [(r["source"], r["team_id"], r["channel_id"], r["user_id"], r["mode"], r["outcome"], r["reason"],
             r["question"], r["sources"]) for r in rows] == [
        ("slack", "T0001", "D1", "U1", "offline", "answered", None, "What is the carbon footprint? Mail [email]",
         '["strategic-framework-2023-28-draft › Greener"]'),
        ("slack", "T0001", "D2", "U2", "offline", "refused", "out-of-scope", "Tell me a joke", "[]"),
    ]
    assert rows[0]["answer"] == "The council's own carbon footprint in 2021/22 was 131,610 tonnes CO2e."
    assert all(0 < r["latency_ms"] < 10_000 for r in rows)


def test_an_engine_failure_is_audited_with_the_reference_the_asker_was_given(make_bot, api, audited_db):
    bot = make_bot()
    bot.slack.event(message("please explode", channel="D1", channel_type="im"))
    update = api.wait_for("chat.update")[0]
    bot.idle()
    (row,) = stored_rows(audited_db)
    assert (row["outcome"], row["answer"]) == ("error", "")
    assert f"`{row['reference']}`" in update.params["text"]


def test_a_database_without_the_audit_table_runs_unaudited(api, tmp_path, caplog):
    from slack_fakes import create_slack_tables, start_bot

    caplog.set_level(logging.INFO)
    db = make_engine(f"sqlite:///{tmp_path / 'bare.db'}")
    create_slack_tables(db)
    bot = start_bot(api, db)
    try:
        bot.slack.event(message("carbon?", channel="D1", channel_type="im"))
        api.wait_for("chat.update")
        bot.idle()
    finally:
        bot.stop()
    assert "no audit_log table in this database (run the migrations); questions are not audited" in caplog.text


# -- the logs ---------------------------------------------------------------------------------

TOKEN = "xoxb-4242-4242-S3CR3TTOKENVALUE"
SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"


@pytest.fixture
def everything_logged():
    """Every record of every logger, at DEBUG, formatted with tracebacks, as one string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler, stream
    root.removeHandler(handler)
    root.setLevel(level)


def run_a_busy_bot(make_bot, api, settings):
    """Questions, an engine failure, a bad signature, a slash command and admin commands."""
    bot = make_bot(settings=settings)
    bot.slack.event(message("What is the carbon footprint?", channel="D1", channel_type="im"))
    bot.slack.event(message("explode: my email is ann.smith@example.org, phone 07700 900123",
                            channel="D2", channel_type="im"))
    assert bot.slack.event(message("carbon", channel="D3", channel_type="im"), secret="wrong").status == 401
    bot.slack.command("carbon", response_url=api.response_url("r1"))
    bot.slack.command("admin kill-switch status", user="UADMIN", response_url=api.response_url("r2"))
    api.wait_for("chat.update", 2)
    api.wait_for("response_url")
    bot.idle()
    return bot


def test_tokens_and_secrets_never_appear_in_anything_logged(make_bot, api, everything_logged):
    handler, stream = everything_logged  # no redacting filter: this is what the code itself logs
    settings = make_settings(slack_bot_token=TOKEN, slack_signing_secret=SIGNING_SECRET,
                             slack_admin_user_ids=frozenset({"UADMIN"}))
    run_a_busy_bot(make_bot, api, settings)
    logged = stream.getvalue()
    assert "answer engine failed" in logged and "Traceback" in logged  # the capture saw the failure
    assert len(logged) > 2000
    for secret in (TOKEN, SIGNING_SECRET, "S3CR3TTOKENVALUE", SIGNING_SECRET[:12]):
        assert secret not in logged


def test_contact_details_in_questions_are_redacted_in_the_logs(make_bot, api, everything_logged):
    handler, stream = everything_logged
    raw = io.StringIO()
    unfiltered = logging.StreamHandler(raw)  # the same records before the filter, to show it matters
    logging.getLogger().handlers.insert(0, unfiltered)  # handlers run in order; the filter cleans in place
    settings = make_settings(slack_bot_token=TOKEN, slack_signing_secret=SIGNING_SECRET)
    install_log_redaction(settings, [handler])
    try:
        run_a_busy_bot(make_bot, api, settings)
    finally:
        logging.getLogger().removeHandler(unfiltered)
    assert "ann.smith@example.org" in raw.getvalue() and "07700 900123" in raw.getvalue()
    logged = stream.getvalue()
    assert "explode: my email is [email], phone [phone]" in logged
    assert "ann.smith@example.org" not in logged and "07700 900123" not in logged


def test_the_filter_cleans_messages_arguments_and_tracebacks():
    redacting = RedactingFilter(secrets=["hunter2-signing", "hunter2"])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s token %s url %s", (
        "ann@example.org", "xoxb-1-2-abcdef", "postgresql+psycopg://app:pa55word@db:5432/council"), None)
    try:
        raise RuntimeError("secret hunter2-signing and Bearer abcdefghijklmnop from 01223 706398")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert redacting.filter(record) is True
    formatted = logging.Formatter("%(message)s").format(record)
    assert formatted.splitlines()[0] == (
        "user [email] token [secret] url postgresql+psycopg://app:[secret]@db:5432/council")
    assert formatted.splitlines()[-1] == "RuntimeError: secret [secret] and Bearer [secret] from [phone]"


@pytest.mark.parametrize("text, expected", [
    ("mail a.b-c+d@council.gov.uk now", "mail [email] now"),
    ("ring +44 (0)1223 706398 or 0345 045 5200", "ring [phone] or [phone]"),
    ("07700900123", "[phone]"),
    ("Samaritans 116 123, 999, NHS 111", "Samaritans 116 123, 999, NHS 111"),
    ("131,610 tonnes in 2021/22 and £124 million by 2020-21", "131,610 tonnes in 2021/22 and £124 million by 2020-21"),
    ("between 2016 2021 and 2023-2028", "between 2016 2021 and 2023-2028"),
])
def test_redact_personal(text, expected):
    assert redact_personal(text) == expected


def test_redact_secrets_without_a_list_still_catches_token_shapes():
    assert redact_secrets("xapp-1-A0-123-abc and sk-proj-0123456789abcdefXYZ") == "[secret] and [secret]"


def test_json_logs_carry_the_cleaned_traceback():
    import sys

    from bot.observability.logs import JsonFormatter

    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", ("ann@example.org",), None)
    try:
        raise RuntimeError("no such user ann@example.org")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "[email]" in line and "ann@example.org" not in line
