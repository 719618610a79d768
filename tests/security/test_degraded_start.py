"""The database down, misconfigured or damaged at start: `ask` still answers from the documents
(KPI parts say the data is unavailable), every other command prints one line and exits non-zero,
never a traceback, and `Services.health()` says what is wrong."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

import bot.wiring
from bot.cli import cli
from bot.engine import AbstainPolicy
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from bot.wiring import Services
from tests.fakes import HashEmbedder

REPO = Path(__file__).resolve().parents[2]
DOWN_URL = "postgresql+psycopg://postgres@127.0.0.1:1/test"  # nothing listens on port 1
DOCUMENT_QUESTION = "What does the 2021-25 framework promise on broadband?"
KPI_QUESTION = "What is the latest NEET figure?"


def command(data_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    """`council-assistant ARGS` in a fresh process, as a user runs it."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(COUNCIL_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=REPO)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [("brief", "Ambition 3"), ("admin", "kill-switch", "status"),
                                  ("admin", "audit", "show"), ("kpi", "measures", "NEET")],
                         ids=["brief", "admin-status", "admin-audit", "kpi"])
def test_every_database_command_prints_one_line_when_the_database_is_down(tmp_path, args):
    line = one_line_error(command(tmp_path, DOWN_URL, *args))
    assert line.startswith("Error: The database at postgresql+psycopg://postgres@127.0.0.1:1/test is not available (")
    assert line.endswith("; check DATABASE_URL and that the server is running.")


def test_a_malformed_database_url_is_one_line(tmp_path):
    line = one_line_error(command(tmp_path, "nonsense-url", "admin", "kill-switch", "status"))
    assert line.startswith("Error: DATABASE_URL is not usable (")


def test_a_damaged_sqlite_database_names_the_file_and_the_fix(tmp_path):
    (tmp_path / "council.db").write_bytes(b"this is not a database" * 200)
    line = one_line_error(command(tmp_path, None, "brief", "Ambition 3"))
    assert line == (f"Error: The SQLite database {tmp_path / 'council.db'} is damaged (file is not a database). "
                    "Move it aside (or restore it from a backup) and run the command again: a new database is built "
                    "from the corpus, and KPI values imported since must be imported again.")


@pytest.fixture
def lenient_engine(monkeypatch):
    """The real wiring, but the offline engine with the hash embedder's similarity floors."""
    build = bot.wiring.build_offline_engine

    def lenient(*args, **kwargs):
        kwargs["policy"] = AbstainPolicy(min_similarity=0.05, weak_similarity=0.1)
        return build(*args, **kwargs)

    monkeypatch.setattr(bot.wiring, "build_offline_engine", lenient)


@pytest.mark.parametrize("database_url", [DOWN_URL, "nonsense-url"], ids=["down", "misconfigured"])
def test_ask_answers_document_questions_and_says_kpi_data_is_unavailable(tmp_path, lenient_engine, database_url):
    services = Services(Settings(data_dir=tmp_path, corpus_dir=DEFAULT_CORPUS_DIR, database_url=database_url))
    services.__dict__["embedder"] = HashEmbedder()
    runner = CliRunner()
    document = runner.invoke(cli, ["ask", DOCUMENT_QUESTION], obj=services)
    assert document.exit_code == 0, document.output
    assert "Traceback" not in document.output
    assert "(strategic-framework-2021-25)" in document.output
    kpi = runner.invoke(cli, ["ask", KPI_QUESTION], obj=services)
    assert kpi.exit_code == 0
    assert kpi.output.startswith("Sorry, I can't answer that just now: the council's performance database is not "
                                 "available.")
    # Both questions wait in the spool for the database, written when this process stops.
    services.audit_log().close()
    assert services.audit_spool.read_text().count('"source": "cli"') == 2


def test_health_reports_ok_then_each_problem(tmp_path):
    services = Services(Settings(data_dir=tmp_path, corpus_dir=DEFAULT_CORPUS_DIR))
    db = services.db()
    assert services.health() == (True, "ok")
    with db.begin() as conn:
        conn.execute(text("DROP TABLE slack_feedback"))
    assert services.health() == (False, "The database is missing tables (slack_feedback); the schema does not match "
                                        "its migrations.")
    with db.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0002_slack_state'"))
    ok, reason = services.health()
    assert not ok and reason.startswith("The database schema is at 0002_slack_state, not ")
    with db.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    assert services.health()[1].startswith("The database schema is at no migration, not ")


def test_health_when_the_database_is_down_or_misconfigured(tmp_path):
    ok, reason = Services(Settings(data_dir=tmp_path, database_url=DOWN_URL)).health()
    assert not ok and reason.startswith("The database at postgresql+psycopg://postgres@127.0.0.1:1/test is not "
                                        "available (")
    ok, reason = Services(Settings(data_dir=tmp_path, database_url="nonsense-url")).health()
    assert not ok and reason.startswith("DATABASE_URL is not usable (")


def test_a_secret_in_the_url_never_reaches_the_message(tmp_path):
    url = "postgresql+psycopg://app:pa55word@127.0.0.1:1/council"
    line = one_line_error(command(tmp_path, url, "admin", "purdah", "status"))
    assert "pa55word" not in line and "app:***@127.0.0.1:1/council" in line
