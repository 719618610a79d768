""""How has X changed since 2010?": which questions are lineage questions, and the cited timeline."""
from __future__ import annotations

import pytest

from bot.answer import Citation
from bot.briefing.lineage import LineageQuestion, parse_lineage_question
from kpi_tools.normalise import normalise_text

P2010 = "Cambridgeshire County Council Draft Integrated Plan 2010"
F2016 = "Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21)"
F2021 = "Strategic Framework 2021 – 2025"
F2023 = "Draft Strategic Framework 2023-2028"


@pytest.mark.parametrize(("question", "expected"), [
    ("How has the council's commitment to children changed since 2010?",
     LineageQuestion("the council's commitment to children", 2010)),
    ("How have services for older people evolved across administrations?",
     LineageQuestion("services for older people", None)),
    ("How did support for vulnerable people change since 2016", LineageQuestion("support for vulnerable people", 2016)),
    ("What is the history of flooding policy since 2016?", LineageQuestion("flooding policy", 2016)),
    ("How has road safety changed over time?", LineageQuestion("road safety", None)),
    ("How has the approach to climate change shifted between the frameworks?",
     LineageQuestion("the approach to climate change", None)),
    # numbers over time are a measure's trend, not a lineage
    ("How has the NEET rate changed since 2020?", None),
    ("How has the carbon footprint changed since 2020?", None),
    ("How has the number of children in care changed over time?", None),
    # no period, or not a change question
    ("How have things changed?", None),
    ("What does Ambition 7 promise?", None),
    ("", None),
])
def test_lineage_questions(question, expected):
    assert parse_lineage_question(question) == expected


def test_the_children_timeline_is_dated_quoted_and_cited(briefings, manifest):
    answer = briefings.answer_lineage("How has the council's commitment to children changed since 2010?")
    assert answer.text.splitlines() == [
        "Children and young people — how the council's commitment has changed since 2010, framework by framework:",
        "• 2010 – 2010 Integrated Plan (draft), SO1: Enabling people to thrive, achieve their potential and improve "
        "their quality of life: “We want children to be happy so we will help them to succeed, develop and to feel safe "
        "in their communities.” [1]",
        "• 2010 – 2010 Integrated Plan (draft), SO2: Supporting and protecting vulnerable people: “For children in "
        "our care, we will make sure that their lives are enjoyable and that they meet their potential.” [2]",
        "• 2016 – 2016-21 Strategic Framework, Places that work with children help them to reach their full potential: "
        "“Our aspiration is for every child in Cambridgeshire to achieve the best they can.” [3]",
        "• 2021 – 2021-25 Strategic Framework, Helping our children learn, develop and live life to the full: “Our "
        "children will have the best start in life, with a positive focus on their early years, kickstarting their "
        "abilities for future learning and they will learn in local schools that strive to be the best they can be.” "
        "[4]",
        "• 2023 – 2023-28 Strategic Framework (draft), Ambition 7: “Children and young people have opportunities to "
        "thrive” [5]",
    ]
    assert [(c.doc_id, c.title, c.section) for c in answer.citations] == [
        ("integrated-plan-2010", P2010, "Enabling people to thrive, achieve their potential and improve their quality "
                                        "of life"),
        ("integrated-plan-2010", P2010, "Supporting and protecting vulnerable people"),
        ("strategic-framework-2016-21", F2016, "Appendix: Cambridgeshire County Council's Outcomes"),
        ("strategic-framework-2021-25", F2021, "Our Five Strategic Priorities"),
        ("strategic-framework-2023-28-draft", F2023, "Children and young people have opportunities to thrive"),
    ]
    assert all(normalise_text(c.quote) in manifest[c.doc_id][1] for c in answer.citations)
    assert answer.notes == (
        "The 2010 Integrated Plan and the 2023-28 Strategic Framework are drafts, as published.",
        "The 2016-21 Strategic Framework is quoted from its later edition, which replaced the draft.",
    )
    assert not answer.abstained


def test_since_a_later_year_starts_with_the_framework_in_force_then(briefings):
    answer = briefings.answer_lineage("How has the council's commitment to older people changed since 2018?")
    lines = answer.text.splitlines()
    assert lines[0] == ("Older people and independent living — how the council's commitment has changed since 2018, "
                        "framework by framework (from the 2016-21 Strategic Framework, in force in 2018):")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "• 2016 – 2016-21 Strategic Framework", "• 2016 – 2016-21 Strategic Framework",
        "• 2021 – 2021-25 Strategic Framework", "• 2023 – 2023-28 Strategic Framework (draft)"]
    assert answer.notes == (
        "The 2023-28 Strategic Framework is a draft, as published.",
        "The 2016-21 Strategic Framework is quoted from its later edition, which replaced the draft.",
    )


def test_a_commitment_quote_is_cited_to_its_own_section(briefings):
    timeline = briefings.timeline("safeguarding")
    assert [(s.year, s.label.split(":")[0], s.citation.section) for s in timeline.steps] == [
        (2010, "SO2", "Supporting and protecting vulnerable people"),
        (2016, "People at risk of harm are kept safe", "Appendix: Cambridgeshire County Council's Outcomes"),
        (2021, "Protecting and caring for those who need us", "Our Five Strategic Priorities"),
        (2023, "Ambition 4", "Ambition 4"),
        (2023, "Ambition 7", "Children and young people have opportunities to thrive"),
    ]
    assert timeline.steps[3].citation == Citation(
        "strategic-framework-2023-28-draft", F2023, "Ambition 4",
        "Ensuring adults at risk are safeguarded from harm in ways that meet their desired outcomes")


def test_an_outcome_named_by_code_follows_all_its_themes(briefings):
    timeline = briefings.timeline("Ambition 4")
    assert timeline.subject.startswith("Ambition 4: People enjoy")
    assert [s.label.split(":")[0] for s in timeline.steps] == [
        "SO2", "Older people live well independently", "People with disabilities live well independently",
        "People at risk of harm are kept safe", "Protecting and caring for those who need us", "Ambition 4"]


@pytest.mark.parametrize("question", [
    "How has the weather changed since 2010?",  # no theme, and no free-text search for lineage
    "How has the NEET rate changed since 2020?",  # a measure's trend
    "What is the council's carbon footprint?",
])
def test_other_questions_are_left_to_the_engine(briefings, question):
    assert briefings.answer_lineage(question) is None


@pytest.mark.parametrize("question, heading", [
    ("Tell me about Ambition 3", "Ambition 3: Health inequalities are reduced"),
    ("What is SO2?", "SO2: Supporting and protecting vulnerable people"),
    ("brief me on ambition seven", "Ambition 7: Children and young people have opportunities to thrive"),
])
def test_a_question_about_a_numbered_ambition_gets_its_briefing(briefings, question, heading):
    answer = briefings.answer_about(question)
    assert answer.text.splitlines()[0].startswith(heading)
    assert answer.citations and not answer.abstained


@pytest.mark.parametrize("question", ["Tell me about flooding", "What is the council's budget?",
                                      "Tell me about Ambition 3 and the budget cuts"])
def test_other_questions_are_left_to_search(briefings, question):
    assert briefings.answer_about(question) is None
