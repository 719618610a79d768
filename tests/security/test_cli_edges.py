"""The command line's edges: odd characters are cleaned where they come in, every failure goes
through one error helper with one reference-id format, and no traceback reaches the terminal."""
from __future__ import annotations

import logging
import re

import click
import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.cli_errors import failure_message, reports_failures
from bot.failures import REFERENCE_PATTERN, new_reference
from bot.wiring import Services

QUESTION = "What does the 2021-25 framework promise on broadband?"


@pytest.fixture
def services(settings, fake_engine):
    services = Services(settings)
    services.__dict__["_answer_engine"] = fake_engine
    return services


@pytest.mark.parametrize("odd", ["\ud800", "\udcff", "\x00"], ids=["high-surrogate", "escaped-byte", "nul"])
def test_a_question_with_a_lone_surrogate_or_nul_is_answered(services, odd):
    result = CliRunner().invoke(cli, ["ask", QUESTION.replace("broadband", f"broad{odd}band") + f" {odd}"],
                                obj=services)
    assert "Something went wrong" not in result.output and "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    (entry,) = services.audit_log().entries(1)
    assert "\ufffd" in entry.question and odd not in entry.question


def test_one_reference_format_everywhere():
    assert REFERENCE_PATTERN.match(new_reference())
    message = failure_message(RuntimeError("a bug"))
    assert re.fullmatch(r"Something went wrong on our side \(reference [0-9A-F]{8}\)\. The details are in the log\.",
                        message)


def test_a_bug_is_one_line_with_its_traceback_only_at_debug(caplog):
    caplog.set_level(logging.DEBUG, logger="council_assistant")

    @click.command()
    @reports_failures
    def broken():
        raise KeyError("missing")

    result = CliRunner().invoke(broken, [])
    assert result.exit_code == 1
    reference = re.search(r"reference ([0-9A-F]{8})", result.output).group(1)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [f"Unexpected failure (reference {reference}): KeyError: 'missing'"]
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in caplog.records)


def test_a_setting_that_is_not_a_number_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["ask", "x"], env={"AUDIT_RETENTION_DAYS": "ninety",
                                                      "COUNCIL_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "A setting in the environment cannot be used: invalid literal for int() with base 10: 'ninety'" in \
        result.output
    assert "Traceback" not in result.output


def test_there_is_one_error_decorator():
    """Every command module uses `reports_failures`; the old per-module decorators are gone."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for module in ("bot/cli.py", "bot/admin_cli.py", "kpi_tools/cli.py"):
        text = (root / module).read_text()
        assert "@reports_failures" in text, module
        assert "def admin_errors" not in text and "def user_errors" not in text and "uuid" not in text, module
