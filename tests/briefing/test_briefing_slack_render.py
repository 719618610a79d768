"""`render_briefing_blocks`: whole block lists, escaping, and Slack's limits."""
from __future__ import annotations

from bot.answer import Citation
from bot.briefing.model import Briefing, BriefingItem, BriefingSection, ChartPoint, ChartSeries
from bot.slack.briefing_render import briefing_fallback_text, render_briefing_blocks
from bot.slack.render import MAX_BLOCKS

DOC = Citation("strategic-framework-2023-28-draft", "Draft Strategic Framework 2023-2028", "Ambition 9",
               "Ambition 9 Roads & <bridges> are mended")
COMMITMENT = Citation("strategic-framework-2023-28-draft", "Draft Strategic Framework 2023-2028", "Ambition 9",
                      "Mending <5% of potholes & more")
SERIES = ChartSeries("Potholes mended", "POT", "%", "Cambridgeshire",
                     (ChartPoint("2022", 4.0, "4"), ChartPoint("2023", 5.0, "5")), ("Highways data",))


def small_briefing(**changes) -> Briefing:
    values = dict(
        topic="roads", heading="Ambition 9: Roads & <bridges> are mended", doc_id=DOC.doc_id, framework=DOC.title,
        summary=BriefingItem("Ambition 9: Roads & <bridges> are mended", DOC),
        sections=(
            BriefingSection("Delivering the ambition", (BriefingItem("Mending <5% of potholes & more", COMMITMENT),),
                            omitted=2),
            BriefingSection("How progress is tracked", (
                BriefingItem("Potholes mended: 5% (2023, Cambridgeshire); no target imported", source="Highways data",
                             note="A relative of the KPI, not the KPI."),)),
        ),
        charts=(SERIES,), notes=("The 2023-28 Strategic Framework is a draft, as published.",),
        matched="“roads” belongs to the theme “transport and roads”: Ambition 9.",
    )
    values.update(changes)
    return Briefing(**values)


def test_a_briefing_renders_to_these_blocks():
    assert render_briefing_blocks(small_briefing()) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Ambition 9: Roads &amp; &lt;bridges&gt; are mended* [1]"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            "Draft Strategic Framework 2023-2028\n_“roads” belongs to the theme “transport and roads”: Ambition 9._")}]},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*Delivering the ambition*\n• Mending &lt;5% of potholes &amp; more [1]\n• _… and 2 more_")}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "*How progress is tracked*\n• Potholes mended: 5% (2023, Cambridgeshire); no target imported [2]\n"
            "      _A relative of the KPI, not the KPI._")}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            ":warning: The 2023-28 Strategic Framework is a draft, as published.")}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            ":chart_with_upwards_trend: Trend charts follow for: Potholes mended.")}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            ":page_facing_up: [1] Draft Strategic Framework 2023-2028 › Ambition 9\n[2] Imported data: Highways data")}]},
    ]


def test_a_private_briefing_says_its_charts_are_not_attached():
    blocks = render_briefing_blocks(small_briefing(), charts_attached=False)
    assert blocks[5] == {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        ":chart_with_upwards_trend: Trend charts (Potholes mended) are posted only with briefings shared in the "
        "channel.")}]}


def test_without_charts_or_match_there_is_no_line_for_them():
    blocks = render_briefing_blocks(small_briefing(charts=(), matched=None, notes=()))
    assert [b["type"] for b in blocks] == ["section", "context", "section", "section", "divider", "context"]
    assert blocks[1]["elements"][0]["text"] == "Draft Strategic Framework 2023-2028"


def test_fallback_text():
    assert briefing_fallback_text(small_briefing()) == "Briefing: Ambition 9: Roads &amp; &lt;bridges&gt; are mended"


def test_a_huge_briefing_keeps_to_slacks_limits():
    long_items = tuple(BriefingItem(f"Promise {n} " + "x" * 900, COMMITMENT) for n in range(10))
    sections = tuple(BriefingSection(f"Section {n}", long_items) for n in range(30))
    blocks = render_briefing_blocks(small_briefing(sections=sections))
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1]["type"] == "context"
    assert blocks[-1]["elements"][0]["text"].endswith(
        "of this briefing did not fit in one Slack message; `council-assistant brief` prints all of it._")
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            assert all(len(line) <= 2 + 400 + 5 for line in block["text"]["text"].splitlines())
        if block["type"] == "context":
            assert len(block["elements"][0]["text"]) <= 3000


def test_a_real_briefing_fits(briefings):
    for topic in ("Ambition 7", "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"):
        blocks = render_briefing_blocks(briefings.brief(topic))
        assert len(blocks) < MAX_BLOCKS
        assert "did not fit" not in str(blocks)


def test_brief_is_a_slash_command_keyword_only():
    from bot.slack.parsing import ParsedRequest, parse_request

    assert parse_request("brief Ambition 3", slash_command=True) == ParsedRequest("brief", "Ambition 3")
    assert parse_request("private briefing older people", slash_command=True) == ParsedRequest(
        "brief", "older people", private=True)
    assert parse_request("brief", slash_command=True) == ParsedRequest("brief", "")
    assert parse_request("<@UBOT> Brief history of the 2016 plan?", "UBOT") == ParsedRequest(
        "question", "Brief history of the 2016 plan?")
