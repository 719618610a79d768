"""The admin switches from the command line (`council-assistant admin ...`) and from Slack
(`/council admin kill-switch|purdah ...`), seen by a running bot through the database."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bot.admin_cli import admin_group
from bot.audit.controls import ControlStore
from bot.audit.log import AuditEvent, AuditLog
from bot.guarded_engine import guard
from bot.settings import Settings
from slack_fake_api import message
from slack_fakes import FakeEngine, make_settings
from tests.security.conftest import FakeServices


@pytest.fixture
def services(audited_db, tmp_path):
    return FakeServices(Settings(data_dir=tmp_path, audit_retention_days=30), audited_db)


def admin(services, *args):
    return CliRunner().invoke(admin_group, list(args), obj=services, catch_exceptions=False)


def test_every_admin_command_has_help():
    def walk(command, path):
        assert command.help, f"{path} has no help text"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(admin_group, "admin")


def test_the_kill_switch_from_the_cli_stops_and_restarts_answering(services, audited_db):
    engine = guard(FakeEngine(), audited_db, Settings(controls_refresh_s=0))
    assert engine.answer("carbon?").text.startswith("The council's own carbon footprint")

    result = admin(services, "kill-switch", "on", "--message", "Paused for the upgrade; back at 2pm.", "--by", "alice")
    assert result.exit_code == 0
    assert result.output.startswith("Answering: OFF (since ")
    assert result.output.endswith(", by alice). Askers see: “Paused for the upgrade; back at 2pm.”\n"
                                  "Pre-election period (purdah): off.\n")
    assert engine.answer("carbon?").text == "Paused for the upgrade; back at 2pm."

    assert admin(services, "kill-switch", "off", "--by", "bob").exit_code == 0
    assert engine.answer("carbon?").text.startswith("The council's own carbon footprint")
    status = json.loads(admin(services, "kill-switch", "status", "--json").output)
    assert (status["kill_switch"]["on"], status["kill_switch"]["updated_by"]) == (False, "bob")

    changes = [(e.source, e.user_id, e.reason, e.answer) for e in reversed(AuditLog(audited_db).entries())]
    assert changes == [("cli", "alice", "kill-switch on", "Paused for the upgrade; back at 2pm."),
                       ("cli", "bob", "kill-switch off", "")]


def test_purdah_from_the_cli(services, audited_db):
    assert admin(services, "purdah", "on", "--by", "clerk").exit_code == 0
    assert ControlStore(audited_db).read().purdah.on
    assert "Pre-election period (purdah): ON (since " in admin(services, "purdah", "status").output
    assert admin(services, "purdah", "off", "--by", "clerk").exit_code == 0
    assert not ControlStore(audited_db).read().purdah.on
    shown = admin(services, "audit", "show").output.splitlines()
    assert [line.split(" ", 2)[2] for line in shown] == ["[cli clerk] purdah off", "[cli clerk] purdah on"]


def test_a_bad_message_is_one_sentence_and_exit_1(services):
    result = CliRunner().invoke(admin_group, ["kill-switch", "on", "--message", " ", "--by", "a"], obj=services)
    assert result.exit_code == 1
    assert result.output == ("Error: The kill-switch message is empty; leave it out to use the default "
                             "message.\n")


def test_audit_show_and_purge(services, audited_db):
    now = datetime.now(timezone.utc)
    old = AuditLog(audited_db, clock=lambda: now - timedelta(days=31))
    old.record(AuditEvent(source="slack", question="an old one", answer="", user_id="U1", channel_id="C1"))
    recent = AuditLog(audited_db, clock=lambda: now - timedelta(days=2))
    recent.record(AuditEvent(source="cli", question="a recent one", answer="", outcome="abstained",
                             user_id="ann", channel_id="cli", latency_ms=12.0))
    shown = admin(services, "audit", "show").output.splitlines()
    assert [line.split("] ", 1)[1] for line in shown] == [
        "offline abstained 12 ms: a recent one", "offline answered: an old one"]
    assert "[cli cli ann]" in shown[0]
    assert json.loads(admin(services, "audit", "show", "--json", "--limit", "1").output)["question"] == "a recent one"

    assert admin(services, "audit", "purge").output == (
        "Deleted 1 audit entry and 0 stored Slack answers older than 30 days.\n")
    assert admin(services, "audit", "purge", "--days", "1").output == (
        "Deleted 1 audit entry and 0 stored Slack answers older than 1 days.\n")
    assert admin(services, "audit", "show").output == ""


def test_without_services_the_commands_say_how_to_run_them():
    result = CliRunner().invoke(admin_group, ["kill-switch", "status"], obj=None)
    assert (result.exit_code, result.output) == (1, "Error: The admin commands need the application's services; "
                                                    "run them as `council-assistant admin ...`.\n")


# -- from Slack -------------------------------------------------------------------------------


def test_slack_admins_switch_answering_off_and_on_for_every_channel(make_bot, api, audited_db):
    settings = make_settings(slack_admin_user_ids=frozenset({"UADMIN"}))
    bot = make_bot(settings=settings, engine=guard(FakeEngine(), audited_db, Settings(controls_refresh_s=0)))
    ack = bot.slack.command("admin kill-switch on Back after the upgrade, at 2pm.", user="UADMIN", channel="D9",
                            response_url=api.response_url("admin"))
    assert ack.json()["text"].startswith("Saved. Answering: OFF (since ")
    assert ack.json()["text"].endswith("by UADMIN). Askers see: “Back after the upgrade, at 2pm.”\n"
                                       "Pre-election period (purdah): off.")

    bot.slack.event(message("What is the carbon footprint?", channel="D1", channel_type="im"))
    assert api.wait_for("chat.update")[0].params["text"] == "Back after the upgrade, at 2pm."

    assert bot.slack.command("admin kill-switch on", user="U1", response_url=api.response_url("x")).json()[
        "text"] == "Only the assistant's admins can change channel settings."
    assert bot.slack.command("admin kill-switch maybe", user="UADMIN", response_url=api.response_url("x")).json()[
        "text"] == "Use `/council admin kill-switch on`, `... off` or `... status`."
    bot.slack.command("admin kill-switch off", user="UADMIN", response_url=api.response_url("x"))
    bot.slack.event(message("What is the carbon footprint?", channel="D1", channel_type="im"))
    assert api.wait_for("chat.update", 2)[1].params["text"].startswith("The council's own carbon footprint")
    bot.idle()
    assert [(e.source, e.user_id, e.reason) for e in AuditLog(audited_db).entries() if e.outcome == "admin"] == [
        ("slack", "UADMIN", "kill-switch off"), ("slack", "UADMIN", "kill-switch on")]
    assert [e.outcome for e in AuditLog(audited_db).entries() if e.source == "slack" and e.mode != "admin"] == [
        "answered", "switched-off"]


def test_slack_purdah_status_and_help(make_bot, api):
    bot = make_bot(settings=make_settings(slack_admin_user_ids=frozenset({"UADMIN"})))
    text = bot.slack.command("admin purdah on", user="UADMIN", response_url=api.response_url("a")).json()["text"]
    assert "Pre-election period (purdah): ON (since " in text
    assert "kill-switch on [message]" in bot.slack.command("admin help", user="UADMIN",
                                                           response_url=api.response_url("b")).json()["text"]
