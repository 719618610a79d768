"""`council-assistant brief`: text, JSON, lineage, and clear sentences for user mistakes."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from bot.briefing.cli import brief_command


class FakeServices:
    def __init__(self, db):
        self._db = db

    def db(self):
        return self._db


class BrokenServices:
    def db(self):
        raise RuntimeError("database on fire")


@pytest.fixture
def run(seeded_db):
    def invoke(*args, obj=None):
        return CliRunner().invoke(brief_command, list(args), obj=obj or FakeServices(seeded_db))
    return invoke


def test_a_briefing_as_text(run):
    result = run("Ambition", "3")  # unquoted words are one topic
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[:5] == ["Ambition 3: Health inequalities are reduced [1]", "Draft Strategic Framework 2023-2028", "",
                         "Delivering the ambition", "  • Improving outcomes for our children and young people [1]"]
    assert "  • Life expectancy of males: 77.4 years (Fenland) [2]" in lines
    assert 'More detail: council-assistant brief "Ambition 3" --full' in lines
    assert lines[-3:] == [
        "Sources",
        "  [1] Draft Strategic Framework 2023-2028 › Ambition 3",
        "  [2] Draft Strategic Framework 2023-2028 › The Cambridgeshire County Council Vision",
    ]


def test_the_whole_briefing_with_full(run):
    lines = run("Ambition", "3", "--full").output.splitlines()
    assert "  • Life expectancy of males: 77.4 years (Fenland) [5]" in lines
    assert not any(line.startswith("More detail") for line in lines)
    assert lines[-6:] == [
        "Sources",
        "  [1] Draft Strategic Framework 2023-2028 › Ambition 3",
        "  [2] Cambridgeshire County Council Draft Integrated Plan 2010 › Enabling people to thrive, achieve their "
        "potential and improve their quality of life",
        "  [3] Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21) › Appendix: "
        "Cambridgeshire County Council's Outcomes",
        "  [4] Strategic Framework 2021 – 2025 › Our Five Strategic Priorities",
        "  [5] Draft Strategic Framework 2023-2028 › The Cambridgeshire County Council Vision",
    ]


def test_every_number_in_the_text_points_to_a_listed_source(run):
    lines = run("older people").output.splitlines()
    listed = {int(m.group(1)) for line in lines if (m := re.match(r"  \[(\d+)\] ", line))}
    used = {int(n) for line in lines if not line.startswith("  [")
            for group in re.findall(r"\[([\d, ]+)\]$", line) for n in group.split(",")}
    assert used == listed == set(range(1, len(listed) + 1))


def test_a_briefing_as_json(run):
    result = run("flooding", "--json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert set(document) >= {"question", "answer", "abstained", "mode", "citations", "figures", "notes", "briefing",
                             "chart_files"}
    assert document["question"] == "brief flooding"
    assert document["briefing"]["heading"].startswith("Ambition 1: Net zero carbon emissions")
    assert document["briefing"]["matched"] == (
        "Briefing on “flooding” from what the frameworks say about it: 1 commitment, 1 statement.")
    assert document["chart_files"] == []
    assert {c["doc_id"] for c in document["citations"]} == {"strategic-framework-2016-21",
                                                            "strategic-framework-2023-28-draft"}
    assert document["figures"] == []  # the documents print no figure on flooding
    assert document["answer"].splitlines()[4:6] == [
        "Commitments", "  • Supporting Community Flood Groups to build resilience in areas at risk of flooding"]


def test_lineage_as_text_and_json(run):
    text = run("children", "--lineage").output.splitlines()
    assert text[0] == ("Children and young people — how the council's commitment has changed since 2010, framework by "
                       "framework:")
    assert len([line for line in text if line.startswith("• ")]) == 5
    document = json.loads(run("older", "people", "--lineage", "--since", "2021", "--json").output)
    assert [step["year"] for step in document["timeline"]["steps"]] == [2021, 2023]
    assert document["timeline"]["since"] == 2021
    assert len(document["citations"]) == 2


def test_an_unknown_topic_is_a_clear_sentence(run):
    result = run("potato")
    assert result.exit_code == 1
    assert result.output.startswith("Error: I couldn't match “potato” to an ambition, outcome or topic")
    assert "• Ambition 7: Children and young people have opportunities to thrive" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["children", "--since", "2016"], "--since goes with --lineage."),
    (["children", "--lineage", "--chart-dir", "x"], "--chart-dir goes with a briefing, not with --lineage."),
    (["children", "--lineage", "--full"], "--full goes with a briefing, not with --lineage."),
])
def test_misused_options_are_usage_errors(run, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert f"Error: {message}" in result.output


def test_a_chart_dir_with_nothing_to_draw_says_so(run, tmp_path):
    result = run("Ambition 3", "--chart-dir", str(tmp_path / "charts"))
    assert result.exit_code == 0
    assert result.stderr == "No measure in this briefing has two or more imported values, so no chart was drawn.\n"
    assert list((tmp_path / "charts").iterdir()) == []


def test_an_unexpected_failure_shows_a_reference_not_a_traceback(run, caplog):
    result = run("Ambition 3", obj=BrokenServices())
    assert result.exit_code == 1
    match = re.fullmatch(r"Error: Something went wrong on our side \(reference ([0-9A-F]{8})\)\. The details are in "
                         r"the log\.\n", result.output)
    assert match
    assert f"brief failed (reference {match.group(1)})" in caplog.text and "database on fire" in caplog.text


def test_the_command_and_its_options_are_documented():
    assert brief_command.help.startswith("Brief on an ambition, outcome or topic")
    assert all(option.help for option in brief_command.params if option.param_type_name == "option")
