"""The commitments look-up: current first, earlier frameworks marked with what replaced them, one
line each with document and ambition, no "tracked by" unless asked, one Slack message."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.briefing.answers import commitments_answer
from bot.briefing.commitments import TEXT_LIMIT, commitments_text, parse_brief_request, parse_commitments_request
from bot.briefing.errors import UnknownTopic
from bot.slack.commitments_render import commitments_section_text, render_commitments_blocks
from kpi_tools.cli import kpi_group

EXPECTED = {
    'broadband': (
        'The 2023-28 Strategic Framework (draft) makes no commitment on “broadband”. The nearest '
        'ambition is Ambition 6: Places and communities prosper because they have a resilient and '
        'inclusive economy, access to good quality public services and social justice is prioritised. '
        'Earlier frameworks did:\n'
        'Earlier — 2021-25 Strategic Framework, replaced by the 2023-28 Strategic Framework (draft):\n'
        '• All of our communities, urban and rural, wherever they are in the county, will enjoy '
        'reliable, fast broadband and mobile connectivity — 2021-25 Strategic Framework, strategic '
        'priority “Cambridgeshire: A well-connected, safe, clean, green environment”'
    ),
    'flooding': (
        'Commitments on “flooding”:\n'
        'Current — 2023-28 Strategic Framework (draft):\n'
        '• Supporting Community Flood Groups to build resilience in areas at risk of flooding — 2023-28 '
        'Strategic Framework (draft), Ambition 1\n'
        'Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and '
        'natural environment are supported to adapt and thrive as the climate changes.'
    ),
    'older people': (
        'The 2023-28 Strategic Framework (draft) makes no commitment on “older people”. The nearest '
        'ambition is Ambition 4: People enjoy healthy, safe, and independent lives through timely '
        'support that is most suited to their needs. Earlier frameworks did:\n'
        'Earlier — 2010 Integrated Plan (draft), replaced by the 2016-21 Strategic Framework:\n'
        '• Work with partners to pilot new ways of supporting older people in the community — 2010 '
        'Integrated Plan (draft), SO2\n'
        'SO2: Supporting and protecting vulnerable people.'
    ),
    'road safety': (
        'Commitments on “road safety”:\n'
        'Current — 2023-28 Strategic Framework (draft):\n'
        '• Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or '
        'serious injuries by 2040 — 2023-28 Strategic Framework (draft), Ambition 2\n'
        'Ambition 2: Travel across the county is safer and more environmentally sustainable.'
    ),
    'bus services': (
        'Commitments on “bus services”:\n'
        'Current — 2023-28 Strategic Framework (draft):\n'
        '• Working with the Cambridgeshire and Peterborough Combined Authority and the Greater Cambridge '
        'Partnership to enhance bus services and to create a sustainable long term local funding '
        'solution for bus services — 2023-28 Strategic Framework (draft), Ambition 2\n'
        '• Embedding net-zero by design and climate resilience into our transport delivery and '
        'maintenance programmes — 2023-28 Strategic Framework (draft), Ambition 1\n'
        '• Working with our partners to deliver a single vision for transport across Cambridgeshire — '
        '2023-28 Strategic Framework (draft), Ambition 2\n'
        '• Managing our Park and Ride sites, and the Cambridgeshire Guided Busway, to contribute to '
        'sustainable and high-quality travel options — 2023-28 Strategic Framework (draft), Ambition 2\n'
        'Earlier — 2010 Integrated Plan (draft), replaced by the 2016-21 Strategic Framework:\n'
        '• Encourage the use of public and sustainable transport — 2010 Integrated Plan (draft), SO3\n'
        '• Develop community transport schemes — 2010 Integrated Plan (draft), SO3\n'
        'Ambition 2: Travel across the county is safer and more environmentally sustainable.\n'
        'Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and '
        'natural environment are supported to adapt and thrive as the climate changes.\n'
        'SO3: Managing and delivering the growth and development of sustainable communities.'
    ),
}


@pytest.mark.parametrize("topic", list(EXPECTED))
def test_the_look_up_for_these_topics(briefings, topic):
    assert commitments_text(briefings.commitments(topic)) == EXPECTED[topic]


def test_current_commitments_come_first_and_every_earlier_one_is_marked(briefings):
    for topic in ["bus services", "children", "care", "transport", "health", "skills", "poverty", "carbon",
                  "schools", "safeguarding"]:
        lookup = briefings.commitments(topic)
        currents = [group.current for group in lookup.groups]
        assert currents == sorted(currents, reverse=True), topic  # the current group, if any, first
        for group in lookup.groups:
            assert group.heading.startswith("Current — 2023-28" if group.current else "Earlier — "), topic
            if not group.current:
                assert ", replaced by the " in group.heading, topic
            assert all(line.framework in group.heading for line in group.lines), topic
        assert len(commitments_section_text(lookup)) <= 3000, topic
        assert "tracked by" not in commitments_text(lookup)


def test_tracked_by_only_when_asked_and_only_measures_on_the_subject(briefings):
    lookup = briefings.commitments("road safety", tracked=True)
    assert commitments_text(lookup).splitlines()[2] == (
        "• Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or serious "
        "injuries by 2040 — 2023-28 Strategic Framework (draft), Ambition 2; tracked by: Monitoring the numbers of "
        "killed or seriously injured casualties")
    flooding = commitments_text(briefings.commitments("flooding", tracked=True)).splitlines()[2]
    assert flooding.endswith("Ambition 1; tracked by: no measure on this subject")


def test_a_long_look_up_is_cut_to_one_message_and_says_how_many_more(briefings):
    lookup = briefings.commitments("children")
    text = commitments_text(lookup)
    assert len(text) <= TEXT_LIMIT
    assert lookup.groups[0].heading == "Current — 2023-28 Strategic Framework (draft):"
    assert [(len(g.lines), g.omitted) for g in lookup.groups] == [(7, 0), (4, 1), (1, 1)]
    assert text.splitlines().count("• … and 1 more from this framework") == 2


def test_a_topic_no_framework_promises_anything_on_says_so(briefings):
    assert commitments_text(briefings.commitments("zebra crossings")) == (
        "None of the council's frameworks makes a commitment on “zebra crossings”.")
    with pytest.raises(UnknownTopic, match="Tell me which ambition, outcome or topic"):
        briefings.commitments("the")


def test_a_named_ambition_lists_its_own_commitments(briefings):
    lookup = briefings.commitments("Ambition 5")
    assert [(g.heading, len(g.lines)) for g in lookup.groups] == [
        ("Current — 2023-28 Strategic Framework (draft):", 8)]


@pytest.mark.parametrize(("text", "topic"), [
    ("commitments on flooding", "flooding"),
    ("Commitments bus services", "bus services"),
    ("commitment to road safety?", "road safety"),
    ("the council's commitments on care at home", "care at home"),
    ("What has the council committed to on potholes now?", "potholes"),
    ("what have the council promised about libraries", "libraries"),
    ("what are the commitments in Ambition 2", "Ambition 2"),
    ("What has the council promised on flooding?", "flooding"),
    ("list commitments: older people", "older people"),
    ("show me the commitments for “broadband”", "broadband"),
])
def test_a_request_for_the_look_up_is_recognised_however_it_is_worded(text, topic):
    assert parse_commitments_request(text) == topic


@pytest.mark.parametrize("text", ["commitments", "What is the council's budget?", "Tell me about Ambition 3",
                                  "Is flooding a commitment?", "commitmentsflooding", ""])
def test_other_questions_are_not_the_look_up(text):
    assert parse_commitments_request(text) is None


def test_brief_full_is_recognised():
    assert parse_brief_request("road safety --full") == ("road safety", True)
    assert parse_brief_request("Ambition 3 in full") == ("Ambition 3", True)
    assert parse_brief_request("older people") == ("older people", False)


def test_the_look_up_as_an_answer_and_as_slack_blocks(briefings):
    lookup = briefings.commitments("flooding")
    answer = commitments_answer(lookup, "commitments on flooding")
    assert (answer.question, answer.text) == ("commitments on flooding", EXPECTED["flooding"])
    assert [(c.doc_id, c.section, c.quote) for c in answer.citations] == [
        ("strategic-framework-2023-28-draft", "Ambition 1",
         "Supporting Community Flood Groups to build resilience in areas at risk of flooding")]
    assert render_commitments_blocks(lookup) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "Commitments on “flooding”:\n"
            "*Current — 2023-28 Strategic Framework (draft):*\n"
            "• Supporting Community Flood Groups to build resilience in areas at risk of flooding — 2023-28 Strategic "
            "Framework (draft), Ambition 1\n"
            "_Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and natural "
            "environment are supported to adapt and thrive as the climate changes._")}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            ":page_facing_up: Draft Strategic Framework 2023-2028 › Ambition 1")}]},
    ]


def test_briefings_answer_only_requests_for_the_look_up(briefings):
    assert briefings.answer_commitments("What does the council say about flooding?") is None
    assert briefings.answer_commitments("commitments on flooding").text == EXPECTED["flooding"]
    assert briefings.answer_commitments("What has the council promised on flooding?").text == EXPECTED["flooding"]


class FakeServices:
    def __init__(self, db):
        self._db = db

    def db(self):
        return self._db


def test_kpi_commitments_prints_the_look_up(seeded_db):
    result = CliRunner().invoke(kpi_group, ["commitments", "road safety"], obj=FakeServices(seeded_db))
    assert (result.exit_code, result.output) == (0, EXPECTED["road safety"] + "\n")
    tracked = CliRunner().invoke(kpi_group, ["commitments", "road safety", "--tracked"], obj=FakeServices(seeded_db))
    assert "; tracked by: Monitoring the numbers of killed or seriously injured casualties" in tracked.output
