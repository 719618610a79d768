"""`council-assistant slack`: mode selection, a start that listens at once while the engine is
built, and one-line start-up errors (never a traceback) with a non-zero exit."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import threading
import time

import pytest
from click.testing import CliRunner

import bot.slack.cli as slack_cli
from bot.slack import messages
from bot.slack.cli import slack_command
from kpi_tools.database import make_engine
from kpi_tools.schema import upgrade_to_head
from slack_fake_api import SlackSender, mention
from slack_fakes import SIGNING_SECRET, FakeEngine, make_settings


class FakeServices:
    """What the command uses from `bot.wiring.Services`. `gate`, when given, holds the engine
    build until it is set (a slow first index build); `engine_error` makes the build fail."""

    def __init__(self, settings, db, engine_error: Exception | None = None, gate: threading.Event | None = None,
                 db_error: Exception | None = None):
        self.settings = settings
        self._db = db
        self.engine_error = engine_error
        self.db_error = db_error
        self.gate = gate
        self.engine = FakeEngine()

    def db(self):
        if self.db_error:
            raise self.db_error
        return self._db

    def answer_engine(self):
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.engine_error:
            raise self.engine_error
        return self.engine

    def briefings(self):
        return None  # `/council brief` then says briefings are not switched on


@pytest.fixture
def started(monkeypatch):
    """Record which server the command would start instead of blocking in it."""
    seen = []

    def fake_http(server, slot, build):
        seen.append(("http", server.url))
        server.stop()

    monkeypatch.setattr(slack_cli, "run_http", fake_http)
    monkeypatch.setattr(slack_cli, "run_socket_mode", lambda app, token, slot, build: seen.append(("socket", token)))
    return seen


@pytest.fixture
def migrated_db(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'council.db'}")
    upgrade_to_head(db)
    yield db
    db.dispose()


def invoke(args, services):
    return CliRunner().invoke(slack_command, args, obj=services)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_one_line_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and message in lines[0], result.output


@pytest.mark.parametrize(
    ("overrides", "args", "message"),
    [
        ({"slack_bot_token": None}, [], "Error: SLACK_BOT_TOKEN is not set."),
        ({"slack_signing_secret": None}, ["--http"], "Error: SLACK_SIGNING_SECRET is not set; HTTP mode needs it"),
        ({}, ["--socket"], "Error: SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token"),
    ],
)
def test_a_missing_variable_is_named_without_a_traceback(overrides, args, message, sqlite_db, started):
    result = invoke(args, FakeServices(make_settings(**overrides), sqlite_db))
    assert_one_line_error(result, message)
    assert started == []


def test_http_mode_is_the_default_without_an_app_token_and_binds_loopback(api, sqlite_db, started):
    settings = make_settings(slack_api_url=api.api_url)
    result = invoke(["--port", "0"], FakeServices(settings, sqlite_db))
    assert result.exit_code == 0, result.output
    assert [(mode, re.sub(r":\d+$", ":PORT", url)) for mode, url in started] == [("http", "http://127.0.0.1:PORT")]
    assert api.methods() == ["auth.test"]


def test_socket_mode_is_the_default_with_an_app_token(api, sqlite_db, started):
    settings = make_settings(slack_api_url=api.api_url, slack_app_token="xapp-1-test")
    result = invoke([], FakeServices(settings, sqlite_db))
    assert result.exit_code == 0, result.output
    assert started == [("socket", "xapp-1-test")]


def test_a_rejected_bot_token_is_one_line(api, sqlite_db, started):
    api.errors["auth.test"] = "invalid_auth"
    result = invoke(["--http"], FakeServices(make_settings(slack_api_url=api.api_url), sqlite_db))
    assert_one_line_error(result, "Slack rejected SLACK_BOT_TOKEN (invalid_auth)")


def test_the_database_down_at_start_is_one_line(api, sqlite_db, started):
    from sqlalchemy.exc import OperationalError

    down = OperationalError("connect", {}, ConnectionRefusedError("connection refused\nmore detail"))
    result = invoke(["--http"], FakeServices(make_settings(slack_api_url=api.api_url), sqlite_db, db_error=down))
    assert_one_line_error(result, "is not available (")
    assert started == []


def test_a_port_in_use_is_one_line(api, sqlite_db):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(["--http", "--port", str(port)], FakeServices(make_settings(slack_api_url=api.api_url),
                                                                       sqlite_db))
    assert_one_line_error(result, f"Port {port} on 127.0.0.1 is already in use")


def test_an_engine_that_cannot_start_stops_the_server_with_one_line(api, sqlite_db):
    services = FakeServices(make_settings(slack_api_url=api.api_url), sqlite_db,
                            engine_error=RuntimeError("no index built"))
    result = invoke(["--http", "--port", "0"], services)
    assert_one_line_error(result, "Could not start the answer engine: RuntimeError: no index built")


def test_a_rejected_app_token_is_one_line(api, sqlite_db):
    api.errors["apps.connections.open"] = "invalid_auth"
    settings = make_settings(slack_api_url=api.api_url, slack_app_token="xapp-1-revoked")
    result = invoke(["--socket"], FakeServices(settings, sqlite_db))
    assert_one_line_error(result, "Slack rejected SLACK_APP_TOKEN (invalid_auth)")
    assert "Bolt app is running" not in result.output


def test_a_socket_mode_connection_that_cannot_be_made_is_reported_not_retried_for_ever(api, sqlite_db, monkeypatch):
    monkeypatch.setattr(slack_cli, "SOCKET_CONNECT_TIMEOUT_S", 1.0)
    settings = make_settings(slack_api_url=api.api_url, slack_app_token="xapp-1-test")
    result = invoke(["--socket"], FakeServices(settings, sqlite_db))
    assert_one_line_error(result, "Could not connect to Slack with Socket Mode")
    assert "Bolt app is running" not in result.output


def test_the_bot_listens_at_once_and_says_it_is_starting_until_the_engine_is_built(api, migrated_db):
    """The real command, in this (main) thread; a helper thread plays Slack and then sends
    SIGTERM, as a container stop would."""
    port = free_port()
    gate = threading.Event()
    services = FakeServices(make_settings(slack_api_url=api.api_url), migrated_db, gate=gate)
    slack = SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET)
    seen: dict = {}

    def play_slack() -> None:
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    seen["starting"] = slack.get("/healthz")
                    break
                except OSError:
                    assert time.monotonic() < deadline, "the bot never listened"
                    time.sleep(0.05)
            challenge = json.dumps({"token": "legacy", "challenge": "c1", "type": "url_verification"})
            seen["challenge"] = slack.post(challenge, "application/json")
            slack.event(mention("What is the council's carbon footprint?", ts="1700003000.000100"))
            seen["told"] = api.wait_for("chat.postMessage")[0].params["text"]
            gate.set()
            deadline = time.monotonic() + 10
            while (health := slack.get("/healthz")).status != 200:
                assert time.monotonic() < deadline, health.body
                time.sleep(0.05)
            seen["ready"] = health
        finally:
            gate.set()
            os.kill(os.getpid(), signal.SIGTERM)

    helper = threading.Thread(target=play_slack)
    helper.start()
    result = invoke(["--http", "--port", str(port)], services)
    helper.join(10)
    assert result.exit_code == 0, result.output
    assert (seen["starting"].status, seen["starting"].json()["status"]) == (503, "starting")
    assert (seen["challenge"].status, seen["challenge"].json()) == (200, {"challenge": "c1"})
    assert seen["told"] == messages.STARTING_UP
    assert (seen["ready"].status, seen["ready"].json()["status"]) == (200, "ok")
    assert f"Listening on http://127.0.0.1:{port}/slack/events" in result.output


def test_the_command_and_its_options_have_help():
    result = CliRunner().invoke(slack_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--http / --socket", "--host", "--port", "--workers"):
        assert option in result.output
    assert "Run the Slack bot" in result.output
    assert "127.0.0.1" in result.output


def test_build_app_without_a_database_keeps_state_in_a_private_sqlite_file(api, caplog):
    import shutil
    from pathlib import Path

    from slack_sdk import WebClient

    from bot.slack.app import build_app

    build_app(make_settings(), FakeEngine(), client=WebClient(token="xoxb-1", base_url=api.api_url))
    (warning,) = [r for r in caplog.records if r.name == "bot.slack.app" and r.levelname == "WARNING"]
    # The message, not record.args: the CLI's log redaction may already have formatted the record.
    path = Path(re.search(r"kept in (\S+) for this process", warning.getMessage()).group(1))
    try:
        assert path.name == "slack-state.db" and path.exists()
        assert api.methods() == ["auth.test"]
        assert not [r for r in caplog.records if "will be unused" in r.getMessage()]
    finally:
        shutil.rmtree(path.parent)
