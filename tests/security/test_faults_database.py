"""Faults: the database restarted or down while questions are being answered.

A real PostgreSQL connection is cut: the app connects through a TCP proxy on loopback
(`tcp_proxy.TcpProxy`) to the shared test server, and the proxy, never the server, is cut and
restored. Each test uses its own schema. Skipped when PostgreSQL is unreachable, a failure under
REQUIRE_SERVICES=1.
"""
from __future__ import annotations

import re
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.admin_cli import admin_group
from bot.audit.controls import CachedControls, ControlStore
from bot.audit.log import AuditEvent, AuditLog
from bot.audit.tables import AuditEntry
from bot.engine import AbstainPolicy
from bot.guarded_engine import GuardedEngine, RoutedAnswer
from bot.engine.measures import KpiAnswerer
from bot.settings import Settings
from bot.slack.store import SlackAnswer
from bot.wiring import build_offline_engine
from kpi_tools.tools import KpiTools
from slack_fake_api import message
from slack_fakes import FakeEngine
from tests.kpi.conftest import seed
from tests.security.conftest import FakeServices, create_bot_tables, in_schema
from tests.security.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres

KPI_QUESTION = "What is the latest NEET figure?"
DOCUMENT_QUESTION = "What does the 2021-25 framework promise on broadband?"


class PausingEngine(FakeEngine):
    """The scripted Slack engine; a question containing "pause" waits until the test resumes it."""

    def __init__(self):
        super().__init__()
        self.paused = threading.Event()
        self.resume = threading.Event()

    def answer(self, question, history=()):
        if "pause" in question:
            self.paused.set()
            assert self.resume.wait(30), "the test never resumed the engine"
        return super().answer(question, history)


@pytest.fixture
def proxy():
    proxy = TcpProxy(("127.0.0.1", 5432)).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied(postgres_schema, proxy):
    """An engine on a fresh schema reached through the proxy, configured as `bot.wiring` does
    (pool_pre_ping), with a short connect timeout."""
    url, schema = postgres_schema
    proxied_url = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    assert proxied_url != url, "TEST_DATABASE_URL must name 127.0.0.1:5432 for the proxy to stand in front"
    db = in_schema(proxied_url, schema, pool_pre_ping=True, connect_args={"connect_timeout": 3})
    yield db
    db.dispose()


def rows(db, table) -> list:
    with db.connect() as conn:
        return conn.execute(select(table)).all()


def has_buttons(blocks) -> bool:
    return any(block["type"] == "actions" for block in blocks or [])


# -- the Slack path ---------------------------------------------------------------------------


@pytest.fixture
def slack_bot(proxied, make_bot):
    create_bot_tables(proxied)
    engine = PausingEngine()
    guarded = GuardedEngine(engine, CachedControls(ControlStore(proxied), refresh_s=0))
    bot = make_bot(db=proxied, engine=guarded)
    bot.pausing = engine
    return bot


def ask(bot, api, text: str, channel: str, count: int):
    """Ask in `channel` and return the answer (the `count`-th answer overall)."""
    bot.slack.event(message(text, channel=channel, channel_type="im"))
    api.wait_for("chat.update", count, timeout=20)
    return api.wait_for("chat.update", where=lambda call: call.params["channel"] == channel, timeout=20)[-1]


def test_a_restart_mid_question_costs_nothing(slack_bot, api, proxy, proxied):
    bot = slack_bot
    assert has_buttons(ask(bot, api, "carbon one", "D1", 1).params["blocks"])
    bot.slack.event(message("pause carbon two", channel="D2", channel_type="im"))
    assert bot.pausing.paused.wait(10)
    proxy.reset_connections()  # PostgreSQL restarted: every pooled connection is dead
    bot.pausing.resume.set()
    update = api.wait_for("chat.update", 2, timeout=20)[1]
    bot.idle()
    assert update.params["text"] == "The council's own carbon footprint in 2021/22 was 131,610 tonnes CO2e."
    assert has_buttons(update.params["blocks"])  # stored: the pool reconnected (pre-ping)
    assert sorted(r.question for r in rows(proxied, SlackAnswer)) == ["carbon one", "pause carbon two"]
    assert sorted(r.question for r in rows(proxied, AuditEntry)) == ["carbon one", "pause carbon two"]


def test_down_mid_question_the_answer_still_arrives_and_the_audit_entry_waits(slack_bot, api, proxy, proxied):
    bot = slack_bot
    ask(bot, api, "carbon one", "D1", 1)
    bot.slack.event(message("pause carbon two", channel="D2", channel_type="im"))
    assert bot.pausing.paused.wait(10)
    proxy.cut()
    bot.pausing.resume.set()
    update = api.wait_for("chat.update", 2, timeout=20)[1]
    bot.idle()
    assert update.params["text"] == "The council's own carbon footprint in 2021/22 was 131,610 tonnes CO2e."
    assert not has_buttons(update.params["blocks"])  # not stored, so no buttons that would point nowhere

    proxy.restore()
    third = ask(bot, api, "carbon three", "D3", 3)
    bot.idle()
    assert has_buttons(third.params["blocks"])
    # Nothing lost from the audit log: the held entry was written with the next one.
    assert sorted(r.question for r in rows(proxied, AuditEntry)) == ["carbon one", "carbon three",
                                                                     "pause carbon two"]
    # The answers table lost the answer given during the outage (finding F5, docs/security.md).
    assert sorted(r.question for r in rows(proxied, SlackAnswer)) == ["carbon one", "carbon three"]


def test_down_when_a_question_arrives_the_asker_is_told(slack_bot, api, proxy):
    proxy.cut()
    slack_bot.slack.event(message("carbon", channel="D1", channel_type="im"))
    slack_bot.idle()
    assert api.calls("chat.postMessage") or api.calls("chat.update")


def test_after_an_outage_at_arrival_the_next_question_is_answered(slack_bot, api, proxy):
    proxy.cut()
    slack_bot.slack.event(message("carbon lost", channel="D1", channel_type="im"))
    slack_bot.idle()
    proxy.restore()
    slack_bot.slack.event(message("carbon again", channel="D2", channel_type="im"))
    update = api.wait_for("chat.update", where=lambda call: call.params["channel"] == "D2", timeout=20)[0]
    assert has_buttons(update.params["blocks"])


# -- the engine path (KPI answers read the database) ------------------------------------------


@pytest.fixture
def kpi_engine(proxied, fake_index, fake_embedder, documents):
    seed(proxied)  # migrations (KPI, Slack, audit tables) and the corpus seed
    files, store, _ = fake_index
    engine = build_offline_engine(files, fake_embedder, store, documents,
                                  kpi=KpiAnswerer(KpiTools(proxied), documents), policy=AbstainPolicy(0.05, 0.1))
    return GuardedEngine(engine, CachedControls(ControlStore(proxied), refresh_s=0))


def test_kpi_questions_get_a_clear_message_while_the_database_is_down_and_recover(kpi_engine, proxy, caplog):
    before = kpi_engine.answer(KPI_QUESTION)
    assert not before.abstained and before.figures[0].value == "3.4"
    documents_before = kpi_engine.answer(DOCUMENT_QUESTION)

    proxy.cut()
    during = kpi_engine.answer(KPI_QUESTION)
    assert isinstance(during, RoutedAnswer) and (during.outcome, during.reason) == ("unavailable", "database")
    assert during.text == ("Sorry, I can't answer that just now: the council's performance database is not "
                           "available. Please try again in a few minutes. If it keeps happening, please quote "
                           f"reference `{during.reference}`.")
    # Document questions do not need the database: still answered, word for word as before.
    assert kpi_engine.answer(DOCUMENT_QUESTION).text == documents_before.text
    assert any(during.reference in r.getMessage() for r in caplog.records)

    proxy.restore()
    after = kpi_engine.answer(KPI_QUESTION)
    assert (after.text, after.figures) == (before.text, before.figures)


def test_the_kill_switch_holds_through_an_outage(kpi_engine, proxied, proxy):
    ControlStore(proxied).set_kill_switch(True, by="alice", source="cli", message="Paused.")
    assert kpi_engine.answer(DOCUMENT_QUESTION).text == "Paused."
    proxy.cut()
    assert kpi_engine.answer(DOCUMENT_QUESTION).text == "Paused."  # the last known state stands
    proxy.restore()
    ControlStore(proxied).set_kill_switch(False, by="alice", source="cli")
    assert not kpi_engine.answer(DOCUMENT_QUESTION).abstained


def test_admin_commands_say_the_database_is_unavailable(proxied, proxy):
    create_bot_tables(proxied)
    services = FakeServices(Settings(), proxied)
    proxy.cut()
    result = CliRunner().invoke(admin_group, ["kill-switch", "status"], obj=services)
    assert result.exit_code == 1
    assert re.fullmatch(r"Error: The database at postgresql\+psycopg://postgres@127\.0\.0\.1:\d+/test is not available "
                        r"\(.*Connection refused\); check DATABASE_URL and that the server is running "
                        r"\(reference [0-9A-F]{8}\)\.\n", result.output), result.output
    assert "Traceback" not in result.output
    proxy.restore()
    assert CliRunner().invoke(admin_group, ["kill-switch", "status"], obj=services).output == (
        "Answering: on.\nPre-election period (purdah): off.\n")


def test_audit_entries_written_during_an_outage_arrive_afterwards(proxied, proxy):
    create_bot_tables(proxied)
    audit = AuditLog(proxied)
    proxy.cut()
    for n in range(3):
        audit.record(AuditEvent(source="cli", question=f"q{n}", answer="a"))
    assert audit.held == 3
    proxy.restore()
    assert audit.flush() is True
    with proxied.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEntry)).scalar() == 3

