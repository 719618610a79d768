"""One entry never costs another: NUL and lone surrogates are cleaned, an unstorable entry is
dropped (logged and counted) while the rest are written, and nothing held is lost when the
process stops. On the shared PostgreSQL server (its own schema per test), through the TCP proxy
where the database is cut; skipped when PostgreSQL is unreachable, a failure under REQUIRE_SERVICES=1."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.audit.log import AuditEvent, AuditLog, audit_row
from bot.audit.tables import AuditEntry
from bot.observability.questions import question_metrics
from tests.security.conftest import create_bot_tables, in_schema
from tests.security.tcp_proxy import TcpProxy

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def questions(db) -> list[str]:
    with db.connect() as conn:
        return [row.question for row in conn.execute(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def pg(postgres_schema):
    db = in_schema(*postgres_schema)
    create_bot_tables(db)
    yield db
    db.dispose()


@pytest.fixture
def proxy():
    proxy = TcpProxy(("127.0.0.1", 5432)).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied(postgres_schema, proxy):
    url, schema = postgres_schema
    db = in_schema(url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), schema, pool_pre_ping=True,
                   connect_args={"connect_timeout": 3})
    create_bot_tables(db)
    yield db
    db.dispose()


def dropped_metric(reason: str) -> float:
    for line in question_metrics().render().splitlines():
        if line.startswith(f'council_audit_entries_dropped_total{{reason="{reason}"}}'):
            return float(line.split()[-1])
    return 0.0


@pytest.mark.postgres
@pytest.mark.parametrize("odd", ["What is the plan?\x00 DROP", "What is the plan \ud800 for roads?"],
                         ids=["nul", "lone-surrogate"])
def test_an_odd_question_then_twenty_normal_ones_are_all_audited(pg, odd):
    audit = AuditLog(pg, clock=Clock())
    assert audit.record(AuditEvent(source="slack", question=odd, answer=f"answer to {odd}")) is True
    for n in range(20):
        assert audit.record(AuditEvent(source="slack", question=f"normal question {n}", answer="a")) is True
    stored = questions(pg)
    assert stored == [odd.replace("\x00", "\ufffd").replace("\ud800", "\ufffd")] + [
        f"normal question {n}" for n in range(20)]
    assert (audit.held, audit.dropped) == (0, 0)


@pytest.mark.postgres
def test_an_entry_the_database_refuses_is_dropped_alone_logged_and_counted(pg, caplog):
    """Even a row that escaped cleaning (here forced into the held batch raw) costs only itself."""
    audit = AuditLog(pg, clock=Clock())
    before = dropped_metric("unstorable")
    bad = audit_row(AuditEvent(source="cli", question="x", answer="a"), T0)
    bad["question"] = "raw \x00 NUL"  # what cleaning would have removed
    audit._held.extend([audit_row(AuditEvent(source="cli", question="held 1", answer=""), T0), bad])
    assert audit.record(AuditEvent(source="cli", question="after", answer="")) is True
    assert questions(pg) == ["held 1", "after"]
    assert (audit.held, audit.dropped) == (0, 1)
    assert dropped_metric("unstorable") == before + 1
    assert "audit log: dropped an entry of 2026-03-01 12:00:00+00:00 that cannot be stored (DataError: " in caplog.text
    for n in range(20):
        audit.record(AuditEvent(source="cli", question=f"q{n}", answer=""))
    assert len(questions(pg)) == 22


@pytest.mark.postgres
def test_cutting_the_database_mid_run_loses_nothing(proxied, proxy):
    audit = AuditLog(proxied, clock=Clock())
    for n in range(10):
        assert audit.record(AuditEvent(source="slack", question=f"q{n}", answer="a")) is True
    proxy.cut()
    for n in range(10, 15):
        assert audit.record(AuditEvent(source="slack", question=f"q{n}", answer="a")) is False
    assert audit.held == 5
    proxy.restore()
    for n in range(15, 20):
        assert audit.record(AuditEvent(source="slack", question=f"q{n}", answer="a")) is True
    assert sorted(questions(proxied), key=lambda q: int(q[1:])) == [f"q{n}" for n in range(20)]
    assert (audit.held, audit.dropped) == (0, 0)


@pytest.mark.postgres
def test_entries_held_when_the_process_stops_are_spooled_and_written_by_the_next_one(proxied, proxy, tmp_path):
    spool = tmp_path / "audit-pending.jsonl"
    first = AuditLog(proxied, clock=Clock(), spool=spool)
    first.record(AuditEvent(source="cli", question="before the outage", answer=""))
    proxy.cut()
    clock = Clock(T0 + timedelta(hours=1))
    first._clock = clock
    for n in range(3):
        first.record(AuditEvent(source="cli", question=f"during {n}", answer="", user_id="ann"))
    assert first.close() == 0  # nothing lost: kept in the spool
    kept = [json.loads(line) for line in spool.read_text().splitlines()]
    assert [(row["question"], row["user_id"]) for row in kept] == [(f"during {n}", "ann") for n in range(3)]
    proxy.restore()
    second = AuditLog(proxied, clock=Clock(T0 + timedelta(hours=2)), spool=spool)
    assert second.record(AuditEvent(source="cli", question="next process", answer="")) is True
    with proxied.connect() as conn:
        rows = [(r.question, r.created_at.astimezone(timezone.utc)) for r in
                conn.execute(select(AuditEntry).order_by(AuditEntry.created_at))]
    assert [q for q, _ in rows] == ["before the outage", "during 0", "during 1", "during 2", "next process"]
    assert rows[1][1] == T0 + timedelta(hours=1, seconds=1)  # the time it was asked, not when written
    assert spool.read_text() == ""


def test_a_process_that_exits_with_the_database_away_keeps_its_entries(tmp_path):
    """A real process stop: the entry is written to the spool at exit, never lost."""
    spool = tmp_path / "pending.jsonl"
    code = f"""
import sys; sys.path.insert(0, {str(REPO)!r})
from sqlalchemy import create_engine
from bot.audit.log import AuditEvent, AuditLog
db = create_engine("sqlite:///file:{tmp_path}/absent.db?mode=ro&uri=true")  # never opens
audit = AuditLog(db, spool={str(spool)!r})
print(audit.record(AuditEvent(source="cli", question="asked while the database was down", answer="")))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"
    assert "Traceback" not in result.stderr
    (row,) = [json.loads(line) for line in spool.read_text().splitlines()]
    assert row["question"] == "asked while the database was down"


def test_without_a_spool_an_entry_lost_at_stop_is_logged_and_counted(tmp_path, caplog):
    from sqlalchemy import create_engine

    caplog.set_level(logging.ERROR, logger="bot.audit.log")
    before = dropped_metric("stopped")
    audit = AuditLog(create_engine(f"sqlite:///file:{tmp_path}/absent.db?mode=ro&uri=true"))
    audit.record(AuditEvent(source="cli", question="q", answer=""))
    assert audit.close() == 1
    assert "audit log: 1 entry could not be written before the process stopped and is lost" in caplog.text
    assert dropped_metric("stopped") == before + 1


def test_an_unstorable_entry_on_sqlite_is_cleaned_not_lost(audited_db):
    audit = AuditLog(audited_db, clock=Clock())
    audit.record(AuditEvent(source="cli", question="bad \udcff byte", answer="\ud83d half an emoji",
                            user_id="u\x00", sources=("doc \ud800",)))
    with audited_db.connect() as conn:
        row = conn.execute(select(AuditEntry)).one()
    assert (row.question, row.answer, row.user_id, row.sources) == (
        "bad \ufffd byte", "\ufffd half an emoji", "u\ufffd", '["doc \ufffd"]')


@pytest.mark.postgres
@pytest.mark.parametrize("odd", ["carbon \x00 footprint?", "carbon \ud800 footprint?"], ids=["nul", "lone-surrogate"])
def test_through_slack_an_odd_question_then_twenty_normal_ones_are_all_audited(pg, make_bot, api, odd):
    from bot.guarded_engine import GuardedEngine
    from slack_fake_api import message
    from slack_fakes import FakeEngine
    from tests.security.conftest import StaticControls

    bot = make_bot(db=pg, engine=GuardedEngine(FakeEngine(), StaticControls()))
    bot.slack.event(message(odd, channel="D0", channel_type="im"))
    api.wait_for("chat.update", 1, timeout=20)
    for n in range(1, 21):
        bot.slack.event(message(f"carbon question {n}", channel=f"D{n}", channel_type="im"))
    api.wait_for("chat.update", 21, timeout=60)
    bot.idle()
    stored = questions(pg)
    assert sorted(q for q in stored if q.startswith("carbon question")) == sorted(
        f"carbon question {n}" for n in range(1, 21))
    assert len(stored) == 21
