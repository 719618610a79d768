"""Briefings on every 2023 ambition and 2016 outcome contain only cited items, and quote truly."""
from __future__ import annotations

import pytest

from bot.answer import Citation, Figure
from bot.briefing import BriefingItem
from bot.briefing.answers import briefing_answer
from kpi_tools import mapping
from kpi_tools.normalise import normalise_text

AMBITIONS = [f"Ambition {n}" for n in range(1, 8)]
OUTCOMES_2016 = [mapping.OLDER, mapping.DISABILITIES, mapping.CHILDREN, mapping.ECONOMY, mapping.HEALTHY,
                 mapping.SAFE_PLACE, mapping.AT_RISK]


def uncited(briefing, manifest, imported_sources) -> list[str]:
    """Every item whose citation does not hold in its document, or whose source is unknown."""
    problems = []
    for item in briefing.items(full=True) + briefing.items():
        if item.citation is None and item.source is None:
            problems.append(f"no citation or source: {item.text}")
        if item.citation is not None:
            title, text = manifest[item.citation.doc_id]
            if item.citation.title != title:
                problems.append(f"wrong title {item.citation.title!r} for {item.citation.doc_id}")
            if not item.citation.quote or normalise_text(item.citation.quote) not in text:
                problems.append(f"quote not in {item.citation.doc_id}: {item.citation.quote!r}")
            if not item.citation.section:
                problems.append(f"no section: {item.text}")
        if item.source is not None and item.source not in imported_sources:
            problems.append(f"unknown source {item.source!r}")
        if item.figure is not None and item.figure.doc_id is not None:
            if item.figure.value not in item.citation.quote:  # a printed figure is in its quote
                problems.append(f"figure {item.figure.value!r} not in its quote {item.citation.quote!r}")
    return problems


@pytest.mark.parametrize("topic", AMBITIONS + OUTCOMES_2016)
def test_briefings_contain_only_cited_items(briefings, manifest, imported_sources, topic):
    briefing = briefings.brief(topic)
    assert briefing.heading.startswith(topic) or briefing.heading == topic
    assert len(briefing.items(full=True)) >= 5
    assert uncited(briefing, manifest, imported_sources) == []


@pytest.mark.parametrize("topic", ["SO1", "SO2", "SO3", "SO4", "SO5", mapping.COMMUNITIES, mapping.QUALITY_OF_LIFE,
                                   mapping.CHILDREN_2021, mapping.ENVIRONMENT_2021, mapping.CARING_2021])
def test_briefings_on_2010_objectives_and_2021_priorities_are_cited_too(briefings, manifest, imported_sources, topic):
    assert uncited(briefings.brief(topic), manifest, imported_sources) == []


def test_an_item_without_citation_or_source_cannot_be_made():
    with pytest.raises(ValueError, match="A briefing item needs a citation or a source: 'It rains'"):
        BriefingItem("It rains")
    with pytest.raises(ValueError, match="needs a citation or a source"):
        BriefingItem("It rains", source="  ")


def test_the_ambition_1_briefing(briefings):
    briefing = briefings.brief("Ambition 1")
    assert briefing.heading == (
        "Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and natural "
        "environment are supported to adapt and thrive as the climate changes")
    assert (briefing.doc_id, briefing.framework, briefing.matched) == (
        "strategic-framework-2023-28-draft", "Draft Strategic Framework 2023-2028", None)
    assert [(s.title, len(s.items), s.omitted) for s in briefing.sections] == [
        ("Delivering the ambition", 4, 0), ("Latest figures", 3, 0)]
    assert [(s.title, len(s.items), s.omitted) for s in briefing.detail] == [
        ("Delivering the ambition", 8, 0), ("How progress is tracked", 4, 0),
        ("Related measures in earlier frameworks", 1, 0), ("Earlier frameworks", 3, 0), ("Headline figures", 3, 0),
    ]
    tracked = briefing.detail[1].items
    assert [item.text for item in tracked] == [
        # The document prints the county footprint for this measure: never "no values imported yet" beside it.
        "Monitoring our annual county-wide carbon footprint data: 6.89 million tonnes CO2e (2020, Cambridgeshire) as "
        "printed in the document",
        "Measuring biodiversity to establish where and how we can bring the biggest benefits to nature: no values "
        "imported yet",
        "Cambridgeshire County Council's own greenhouse gas emissions (scopes 1-3): 131,610 tonnes CO2e (2021-22, "
        "Cambridgeshire County Council) ↑ from 113,477 tonnes CO2e (2020-21); no target imported",
        "Greenhouse gas emissions of the county of Cambridgeshire: 6.45 million tonnes CO2e (2023, Cambridgeshire) "
        "↓ from 6.78 million tonnes CO2e (2021); no target imported",
    ]
    assert tracked[0].citation == Citation(
        "strategic-framework-2023-28-draft", "Draft Strategic Framework 2023-2028",
        "The Cambridgeshire County Council Vision", "Carbon footprint for Cambridgeshire in 2020 6.89MILLION TONNES CO2e")
    assert tracked[1].citation == Citation("strategic-framework-2023-28-draft", "Draft Strategic Framework 2023-2028",
                                           "Ambition 1", "Measuring biodiversity to establish where and how we can "
                                                         "bring the biggest benefits to nature")
    assert (tracked[3].citation, tracked[3].source) == (
        None, "https://www.cambridgeshire.gov.uk/residents/climate-change-energy-and-environment/"
              "carbon-footprinting-how-big-is-the-problem")
    assert [item.text for item in briefing.detail[4].items] == [
        "Carbon footprint of Cambridgeshire County Council as an organisation: 131,610 tonnes CO2e (2021/22)",
        "Year by which Cambridgeshire is to reach net zero carbon emissions: 2045",
        "Year by which the council's direct carbon emissions are to be net zero: 2030 (Cambridgeshire County Council)",
    ]
    assert [(c.code, [p.period for p in c.points]) for c in briefing.charts] == [
        ("CARBON-CCC", ["2019-20", "2020-21", "2021-22"]), ("CARBON-COUNTY", ["2020", "2021", "2023"])]
    assert briefing.notes == (  # the headline cites only the 2023-28 framework
        "The 2010 Integrated Plan and the 2023-28 Strategic Framework are drafts, as published.",)
    assert briefing.as_full().notes == (
        "The 2010 Integrated Plan and the 2023-28 Strategic Framework are drafts, as published.",
        "The 2016-21 Strategic Framework is quoted from its later edition, which replaced the draft.",
    )


def test_no_measure_shown_with_a_value_is_also_without_values(briefings):
    for topic in AMBITIONS + OUTCOMES_2016 + ["net zero", "broadband", "road safety", "older people", "children"]:
        briefing = briefings.brief(topic)
        items = briefing.items(full=True) + briefing.items()
        with_value = {i.text.split(":")[0] for i in items if i.figure is not None}
        without = {i.text.split(":")[0] for i in items if i.text.endswith("no values imported yet")}
        assert with_value & without == set(), topic


def test_related_measures_come_from_the_linked_outcomes_of_earlier_frameworks(briefings):
    related = {topic: [item.text.split(":")[0] for item in _section(briefings.brief(topic), "Related measures")]
               for topic in ("Ambition 2", "Ambition 4", "Ambition 7")}
    assert related == {
        "Ambition 2": [
            "The number of people killed or seriously injured on the roads over the past 12 months",
            "People killed on Cambridgeshire's roads",
            "People killed or seriously injured on Cambridgeshire's roads",
            "More people can access local services and facilities by public transport, walking and cycling",
            "Fewer people are killed or seriously injured on our roads",
        ],
        "Ambition 4": ["BCF 2A PART 2 - Admissions to residential and nursing care homes (aged 65+), per 100,000 "
                       "population"],
        "Ambition 7": ["Attainment gap at Early years Foundation Stage profile between those eligible for FSM and their "
                       "peers", "The number of children with a Child Protection Plan per 10,000 children"],
    }


def test_a_relative_of_a_kpi_says_so(briefings):
    (deaths,) = [i for i in _section(briefings.brief("Ambition 2"), "Related measures")
                 if i.text.startswith("People killed on")]
    assert deaths.text == ("People killed on Cambridgeshire's roads: 43 people (2021, Cambridgeshire) ↑ from 28 people "
                           "(2020); no target imported")
    assert deaths.note.startswith("These values are for 'People killed on Cambridgeshire's roads' (ROAD-DEATHS)")
    assert "is not the same measure" in deaths.note


def test_a_2016_outcome_shows_what_it_became(briefings):
    briefing = briefings.brief(mapping.OLDER)
    assert briefing.heading == mapping.OLDER
    assert [s.title for s in briefing.detail] == [
        "What it means", "How progress is tracked", "Related measures in earlier frameworks", "Earlier frameworks",
        "Carried forward in later frameworks"]
    assert briefing.detail[0].items[0].text == (
        "Ensuring that older people can maintain their independence for as long as possible will result in a better "
        "quality of life for themselves, their families and their carers.")
    assert [i.text.split(":")[0] for i in briefing.detail[-1].items] == [
        "2021-25 Strategic Framework, Protecting and caring for those who need us",
        "2023-28 Strategic Framework (draft), Ambition 4"]


def test_long_sections_keep_ten_items_measures_with_values_first_and_count_the_rest(briefings):
    (tracked,) = [s for s in briefings.brief(mapping.ECONOMY).detail if s.title == "How progress is tracked"]
    assert (len(tracked.items), tracked.omitted) == (10, 11)
    assert [item.text.split(":")[0] for item in tracked.items if item.figure is not None] == [
        "Premises able to get superfast broadband (24Mbps+)", "Take-up of superfast broadband in the intervention area",
        "Bus passenger journeys in Cambridgeshire",
        "16-17 year olds not in education, employment or training (NEET)",
        "16-17 year olds NEET or whose activity is not known",
    ]
    assert all(item.figure is not None for item in tracked.items[:5])


def test_a_briefing_as_an_answer(briefings):
    briefing = briefings.brief("Ambition 1")
    answer = briefing_answer(briefing)
    assert answer.question == "brief Ambition 1"
    assert answer.text.splitlines()[:4] == [briefing.heading, "Draft Strategic Framework 2023-2028", "",
                                            "Delivering the ambition"]
    assert "[1]" not in answer.text  # numbers belong to the renderers; the answer carries its citations
    assert answer.citations[0] == briefing.summary.citation
    assert len(answer.citations) == len({i.citation for i in briefing.items() if i.citation})
    assert answer.figures[:3] == (
        Figure("Carbon footprint of Cambridgeshire (the county)", "6.89", "million tonnes CO2e", "2020", "Cambridgeshire",
               "strategic-framework-2023-28-draft", briefing.heading),
        Figure("Cambridgeshire County Council's own greenhouse gas emissions (scopes 1-3)", "131,610", "tonnes CO2e",
               "2021-22", "Cambridgeshire County Council", None, briefing.heading,
               "https://www.cambridgeshire.gov.uk/news/carbon-footprint-continues-overall-reduction-from-baseline-year"),
        Figure("Greenhouse gas emissions of the county of Cambridgeshire", "6.45", "million tonnes CO2e", "2023",
               "Cambridgeshire", None, briefing.heading,
               "https://www.cambridgeshire.gov.uk/residents/climate-change-energy-and-environment/"
               "carbon-footprinting-how-big-is-the-problem"),
    )
    assert len(answer.figures) == 3  # the headline block's; the whole briefing's with full=True
    assert len(briefing_answer(briefing, full=True).figures) == 6
    assert answer.notes == briefing.notes


def _section(briefing, prefix: str):
    (section,) = [s for s in briefing.detail if s.title.startswith(prefix)]
    return section.items
