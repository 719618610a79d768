"""`council-assistant slack`: mode selection and clear errors for missing or rejected tokens."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import bot.slack.cli as slack_cli
from bot.slack.cli import slack_command
from slack_fakes import FakeEngine, make_settings


class FakeServices:
    def __init__(self, settings, db, engine_error: Exception | None = None):
        self.settings = settings
        self._db = db
        self.engine_error = engine_error

    def db(self):
        return self._db

    def answer_engine(self):
        if self.engine_error:
            raise self.engine_error
        return FakeEngine()

    def briefings(self):
        return None  # `/council brief` then says briefings are not switched on


@pytest.fixture
def started(monkeypatch):
    """Record which server the command would start instead of blocking in it."""
    seen = []
    monkeypatch.setattr(slack_cli, "run_http", lambda app, host, port, health: seen.append(("http", host, port, health())))
    monkeypatch.setattr(slack_cli, "run_socket_mode", lambda app, token: seen.append(("socket", token)))
    return seen


def invoke(args, services):
    return CliRunner().invoke(slack_command, args, obj=services)


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
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert started == []


def test_http_mode_is_the_default_without_an_app_token(api, sqlite_db, started):
    settings = make_settings(slack_api_url=api.api_url)
    result = invoke(["--port", "0", "--host", "127.0.0.1"], FakeServices(settings, sqlite_db))
    assert result.exit_code == 0, result.output
    assert started == [("http", "127.0.0.1", 0, {"status": "ok", "in_flight": 0})]
    assert api.methods() == ["auth.test"]


def test_socket_mode_is_the_default_with_an_app_token(api, sqlite_db, started):
    settings = make_settings(slack_api_url=api.api_url, slack_app_token="xapp-1-test")
    result = invoke([], FakeServices(settings, sqlite_db))
    assert result.exit_code == 0, result.output
    assert started == [("socket", "xapp-1-test")]


def test_a_rejected_token_and_a_broken_engine_are_clear_errors(api, sqlite_db, started):
    settings = make_settings(slack_api_url=api.api_url)
    broken = invoke(["--http"], FakeServices(settings, sqlite_db, engine_error=RuntimeError("no index built")))
    assert broken.exit_code == 1
    assert "Error: Could not start the answer engine: no index built" in broken.output

    api.errors["auth.test"] = "invalid_auth"
    rejected = invoke(["--http"], FakeServices(settings, sqlite_db))
    assert rejected.exit_code == 1
    assert "Error: Slack rejected SLACK_BOT_TOKEN" in rejected.output
    assert "invalid_auth" in rejected.output


def test_the_command_and_its_options_have_help():
    result = CliRunner().invoke(slack_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--http / --socket", "--host", "--port", "--workers"):
        assert option in result.output
    assert "Run the Slack bot" in result.output


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
    finally:
        shutil.rmtree(path.parent)
