"""The read-only KPI tools, on SQLite and PostgreSQL: exact results and exact error text."""
from __future__ import annotations

from dataclasses import asdict

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from kpi_tools.errors import Ambiguous, InvalidArgument, NotFound
from kpi_tools.models import Measure

LATER = "strategic-framework-2016-21"
F2023 = "strategic-framework-2023-28-draft"
NEET = "% of 16-19 year olds not in Education, Employment or training (NEET)"
ECONOMY = "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"
CHILDREN = "Places that work with children help them to reach their full potential"
LATER_TITLE = "Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21)"


def without_ids(value):
    """The result as plain data without database ids, which differ between backends."""
    if hasattr(value, "__dataclass_fields__"):
        value = asdict(value)
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, (list, tuple)):
        return [without_ids(item) for item in value]
    return value


def ref(name, kind="KPI", doc_id=LATER, code=None):
    return {"code": code, "name": name, "kind": kind, "doc_id": doc_id}


def outcome(title, doc_id=LATER, kind="outcome", code=None):
    return {"doc_id": doc_id, "kind": kind, "code": code, "title": title}


def test_find_measures_by_committee_lists_the_adults_kpis(kpi):
    assert [(m.code, m.name[:45]) for m in kpi.find_measures(committee="Adults")] == [
        ("RBT-I", "RBT-I - Total number of new users requiring n"),
        ("BCF 2A PART 2", "BCF 2A PART 2 - Admissions to residential and"),
        (None, "BCF Average number of bed-day delays, per 100"),
        (None, "Average number of ASC attributable bed-day de"),
        ("1C PART 1a", "1C PART 1a - Proportion of eligible service u"),
        (None, "Percentage of ASC/OPMH reviews completed with"),
        ("1E", "1E - Proportion of adults with learning disab"),
        ("1F", "1F - Adults in contact with secondary mental "),
    ]


def test_find_measures_by_deprivation_flag_prefers_the_later_edition(kpi):
    flagged = kpi.find_measures(deprivation=True, limit=100)
    assert len(flagged) == 14
    assert {m.doc_id for m in flagged} == {LATER}
    assert NEET in [m.name for m in flagged]
    assert len(kpi.find_measures(deprivation=True, include_superseded=True, limit=100)) == 14 + 12


def test_find_measures_by_words_ranks_and_summarises(kpi):
    found = kpi.find_measures("NEET")
    assert [without_ids(m) for m in found] == [
        {"code": None, "name": NEET, "kind": "KPI", "doc_id": LATER, "directorate": "CFA",
         "lead_committee": "Children & Young People", "deprivation_indicator": True, "unit": None,
         "primary_outcome": ECONOMY, "secondary_outcomes": [CHILDREN], "related_kpi": None, "has_values": False},
        {"code": "NEET-16-17", "name": "16-17 year olds not in education, employment or training (NEET)",
         "kind": "defined measure", "doc_id": None, "directorate": None, "lead_committee": None,
         "deprivation_indicator": None, "unit": "%", "primary_outcome": None, "secondary_outcomes": [],
         "related_kpi": ref(NEET), "has_values": True},
        {"code": "NEET-NK-16-17", "name": "16-17 year olds NEET or whose activity is not known",
         "kind": "defined measure", "doc_id": None, "directorate": None, "lead_committee": None,
         "deprivation_indicator": None, "unit": "%", "primary_outcome": None, "secondary_outcomes": [],
         "related_kpi": ref(NEET), "has_values": True},
    ]
    assert [m.name[:50] for m in kpi.find_measures("care homes")] == [
        "BCF 2A PART 2 - Admissions to residential and nurs",
        "Monitoring the number of permanent admissions to c",
        "More adults and older people are supported to live",
    ]


def test_find_measures_by_outcome_and_framework(kpi):
    assert [m.name for m in kpi.find_measures(outcome="Ambition 7")] == [
        "Monitoring the educational outcomes of our children in care",
        "Monitoring the educational attainments as key stages of learning",
        "Monitoring the number of children with a child protection plan",
    ]
    assert [m.code for m in kpi.find_measures(framework="2010", outcome="SO4")] == [None, None, None]
    assert kpi.find_measures(framework="strategic-framework-2021-25") == ()


def test_get_measure_neet_with_difference_and_related_measures(kpi):
    detail = kpi.get_measure(NEET)
    assert without_ids(detail) == {
        "code": None, "name": NEET, "kind": "KPI", "doc_id": LATER, "doc_title": LATER_TITLE,
        "section": "Key Performance Indicators", "quote": NEET, "directorate": "CFA",
        "lead_committee": "Children & Young People", "deprivation_indicator": True, "unit": None,
        "definition": None, "publisher": None,
        "outcomes": [{"role": "primary", "text": ECONOMY, "outcome": outcome(ECONOMY)},
                     {"role": "secondary", "text": CHILDREN, "outcome": outcome(CHILDREN)}],
        "related_kpi": None, "related_outcome": None,
        "related_measures": [
            ref("16-17 year olds not in education, employment or training (NEET)", "defined measure", None, "NEET-16-17"),
            ref("16-17 year olds NEET or whose activity is not known", "defined measure", None, "NEET-NK-16-17")],
        "edition_differences": [
            "Deprivation Indicator?: strategic-framework-2016-21 prints ticked (✓); "
            "strategic-framework-2016-21-draft printed not ticked (empty checkbox)."],
        "value_count": 0,
        "description": f"'{NEET}' is a KPI of strategic-framework-2016-21, led by the CFA directorate and the "
                       f"Children & Young People committee; it serves '{ECONOMY}'; it is a deprivation indicator.",
    }
    assert kpi.get_measure(detail.id) == detail
    assert kpi.get_measure("bcf 2a part 2").code == "BCF 2A PART 2"


def test_list_outcomes_of_the_2023_framework(kpi):
    ambitions = kpi.list_outcomes("2023")
    assert [a.outcome.code for a in ambitions] == [f"Ambition {n}" for n in range(1, 8)]
    first = ambitions[0]
    assert [m.name for m in first.measures] == [
        "Monitoring our annual county-wide carbon footprint data",
        "Measuring biodiversity to establish where and how we can bring the biggest benefits to nature"]
    assert [m.code for m in first.defined_measures] == ["CARBON-CCC", "CARBON-COUNTY"]
    assert len(first.commitments) == 8
    assert first.commitments[-1] == "Supporting Community Flood Groups to build resilience in areas at risk of flooding"
    with pytest.raises(Ambiguous, match=r"^'strategic-framework' matches several frameworks\. Candidates: "
                                        r"strategic-framework-2016-21; strategic-framework-2021-25; "
                                        r"strategic-framework-2023-28-draft\.$"):
        kpi.list_outcomes("strategic-framework")


def test_find_commitments_on_flooding(kpi):
    found = kpi.find_commitments("What has the council promised on flooding?")
    text = "Supporting Community Flood Groups to build resilience in areas at risk of flooding"
    assert [without_ids(c) for c in found] == [{
        "text": text, "kind": "delivering the ambition", "theme": None, "detail": None, "doc_id": F2023,
        "doc_title": "Draft Strategic Framework 2023-2028", "doc_status": "draft", "section": "Ambition 1",
        "quote": text,
        "outcome": outcome("Net zero carbon emissions for Cambridgeshire by 2045, and our communities and natural "
                           "environment are supported to adapt and thrive as the climate changes", F2023, "ambition",
                           "Ambition 1"),
        # Ambition 1 tracks carbon and biodiversity, neither of which is about flooding.
        "tracked_by": [],
    }]


@pytest.mark.parametrize(("topic", "tracked"), [
    ("Vision Zero", {"Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or "
                     "serious injuries by 2040": ["Monitoring the numbers of killed or seriously injured casualties"]}),
    ("bus", {
        "Working with the Cambridgeshire and Peterborough Combined Authority and the Greater Cambridge Partnership to "
        "enhance bus services and to create a sustainable long term local funding solution for bus services": [],
        "Encourage the use of public and sustainable transport": [
            "More journeys are undertaken by bus",
            "More people can access local services and facilities by public transport, walking and cycling"],
    }),
    ("direct payments", {
        "Protecting and enhancing the choice and control of service users, adopting a rights-based approach to "
        "service delivery and expanding opportunities for use of direct payments, individual budgets, and personal "
        "assistants": []}),
])
def test_a_commitment_is_tracked_only_by_measures_on_its_subject(kpi, topic, tracked):
    found = {c.text: [m.name for m in c.tracked_by] for c in kpi.find_commitments(topic)}
    assert {text: found.get(text) for text in tracked} == tracked


def test_find_commitments_by_topic_across_frameworks(kpi):
    found = kpi.find_commitments("children in care", limit=20)
    assert [(c.doc_id, c.text[:60]) for c in found][:3] == [
        ("strategic-framework-2021-25", "The children in care we look after will receive the best car"),
        ("strategic-framework-2021-25", "We will look after and support children in care, ensuring th"),
        (F2023, "Ensuring that young people who experience care can access th"),
    ]
    assert "Work with schools in relatively deprived areas to raise young people's career aspirations" in [
        c.text for c in found]  # "young people" matches; "career" does not count as "care"
    assert len(found) == 15
    assert [c.text for c in kpi.find_commitments(framework="2021", outcome="Helping our children")][0].startswith(
        "Our children will have the best start in life")


def test_get_figures_budget_shows_the_edition_difference(kpi):
    assert [without_ids(f) for f in kpi.get_figures("budget reduction")] == [{
        "name": "Reduction in the County Council's budget by 2020-21", "value_text": "£124 million", "value": 124.0,
        "qualifier": None, "unit": "£ million", "period": "by 2020-21", "area": "Cambridgeshire County Council",
        "headline": "The challenges we face", "doc_id": LATER, "doc_title": LATER_TITLE,
        "doc_status": "later-edition", "section": "Our Vision and Ambition",
        "quote": "our budget will have reduced by £124 million", "outcome": None, "measure": None,
        "superseded_by": None,
        "edition_note": "The draft edition (strategic-framework-2016-21-draft) printed £119 million.",
    }]
    both = kpi.get_figures("budget", include_superseded=True)
    assert [(f.doc_id, f.value_text, f.edition_note) for f in both] == [
        ("strategic-framework-2016-21-draft", "£119 million",
         "The later edition (strategic-framework-2016-21) printed £124 million. "
         "strategic-framework-2016-21 supersedes this edition."),
        (LATER, "£124 million", "The draft edition (strategic-framework-2016-21-draft) printed £119 million."),
    ]


def test_get_figures_by_area_and_text(kpi):
    assert [(f.name, f.value_text, f.unit, f.doc_id) for f in kpi.get_figures("life expectancy", area="Fenland")] == [
        ("Gap in women's life expectancy between South Cambridgeshire and Fenland", "three and a half", "years",
         "integrated-plan-2010"),
        ("Life expectancy of males", "77.4", "years", F2023),
        ("Life expectancy of females", "82.3", "years", F2023),
    ]
    carbon = kpi.get_figures("carbon footprint", period="2021/22")
    assert [(f.value_text, f.unit, f.area, f.outcome.code) for f in carbon] == [
        ("131,610", "tonnes CO2e", "Cambridgeshire County Council", "Ambition 1")]
    by_measure = kpi.get_figures(measure="Monitoring our annual county-wide carbon footprint data")
    assert [(f.value_text, f.period) for f in by_measure] == [("6.89", "2020")]


def test_latest_value_keeps_the_printed_qualifier_and_names_the_measure_held(kpi):
    latest = kpi.latest_value("BROADBAND-SUPERFAST")
    assert without_ids(latest.value) == {
        "measure": ref("Premises able to get superfast broadband (24Mbps+)", "defined measure", None,
                       "BROADBAND-SUPERFAST"),
        "period": "2019", "value_text": "over 97", "value": 97.0, "qualifier": "over", "unit": "%",
        "area": "Cambridgeshire", "target": None, "source": "https://www.connectingcambridgeshire.co.uk/about/",
        "note": "printed as 'over 97%'", "is_comparator": False}
    assert latest.summary == (
        "Premises able to get superfast broadband (24Mbps+): over 97% in Cambridgeshire for 2019 (source: "
        "https://www.connectingcambridgeshire.co.uk/about/). These values are for 'Premises able to get superfast "
        "broadband (24Mbps+)' (BROADBAND-SUPERFAST), published by Connecting Cambridgeshire; it informs the "
        "framework KPI '% of premises in Cambridgeshire with access to at least superfast broadband' but is not the "
        "same measure.")


def test_latest_value_returns_comparators_for_the_same_period(kpi):
    latest = kpi.latest_value("ASC-SHORT-TERM")
    assert (latest.value.period, latest.value.value_text, latest.value.area) == ("2022-23", "85.3", "Cambridgeshire")
    assert [(c.area, c.value_text, c.is_comparator) for c in latest.comparators] == [
        ("All English councils (median)", "78.2", True)]
    median = kpi.latest_value("ASC-SHORT-TERM", area="all english councils (median)")
    assert (median.value.value_text, median.comparators[0].area) == ("78.2", "Cambridgeshire")


def test_latest_value_of_a_kpi_without_values_says_what_it_is(kpi):
    latest = kpi.latest_value(NEET)
    assert (latest.value, latest.comparators, latest.relation_note) == (None, (), None)
    assert latest.summary == (
        f"No values have been imported for '{NEET}'. '{NEET}' is a KPI of strategic-framework-2016-21, led by the "
        f"CFA directorate and the Children & Young People committee; it serves '{ECONOMY}'; it is a deprivation "
        "indicator. Related measures with values (not the same definition): NEET-16-17 (16-17 year olds not in "
        "education, employment or training (NEET)); NEET-NK-16-17 (16-17 year olds NEET or whose activity is not "
        "known).")


def test_trend_is_ordered_by_period_not_by_text(kpi):
    trend = kpi.trend("NEET-16-17")
    assert [(p.period, p.value_text) for p in trend.points] == [
        ("Dec 2020 to Feb 2021", "2.7"), ("Dec 2021 to Feb 2022", "2.6"), ("Dec 2022 to Feb 2023", "2.5"),
        ("Dec 2023 to Feb 2024", "3.3"), ("Dec 2024 to Feb 2025", "3.4")]
    assert (trend.area, trend.change, trend.direction) == ("Cambridgeshire", 0.7, "rising")
    carbon = kpi.trend("CARBON-COUNTY")
    assert ([p.period for p in carbon.points], carbon.direction) == (["2020", "2021", "2023"], "falling")
    assert kpi.trend("ROAD-KSI", area="Fenland").summary == (
        "No values have been imported for People killed or seriously injured on Cambridgeshire's roads in Fenland. "
        "These values are for 'People killed or seriously injured on Cambridgeshire's roads' (ROAD-KSI), published "
        "by Local press reporting police and council figures; it informs the framework KPI 'The number of people "
        "killed or seriously injured on the roads over the past 12 months' but is not the same measure.")


def test_related_outcomes_follow_the_children_chain(kpi):
    related = kpi.related_outcomes(CHILDREN)
    assert [(r.target.doc_id, r.target.code or r.target.title) for r in related] == [
        ("integrated-plan-2010", "SO1"),
        ("integrated-plan-2010", "SO2"),
        ("strategic-framework-2021-25", "Helping our children learn, develop and live life to the full"),
        (F2023, "Ambition 7"),
    ]
    at_risk = kpi.related_outcomes("People at risk of harm are kept safe")
    assert at_risk[0].target.code == "Ambition 7"
    assert at_risk[0].evidence.startswith("'The number of children with a Child Protection Plan per 10,000 children' "
                                          "is a 2016-21 KPI")
    via = kpi.related_outcomes("BCF 2A PART 2")
    assert [(r.source.title, r.target.code or r.target.title, r.via_measure.code) for r in via] == [
        ("Older people live well independently", "Ambition 4", "BCF 2A PART 2"),
        ("Older people live well independently", "Protecting and caring for those who need us", "BCF 2A PART 2"),
        ("Older people live well independently", "SO2", "BCF 2A PART 2"),
    ]


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE kpi_measures; --",
    "\" OR 1=1 --",
    "_",
    "Robert'); DELETE FROM kpi_observations WHERE ('1'='1",
])
def test_sql_looking_arguments_are_only_text(kpi, seeded_engine, hostile):
    assert kpi.find_measures(hostile) == ()
    assert kpi.get_figures(area=hostile) == ()
    assert kpi.find_measures(committee=hostile) == ()
    try:
        assert kpi.find_commitments(hostile) == ()
    except InvalidArgument as exc:  # nothing searchable left
        assert "has no words to search for" in str(exc)
    with pytest.raises(NotFound, match=r"^No measure has the code or name "):
        kpi.latest_value(hostile)
    assert "kpi_measures" in inspect(seeded_engine).get_table_names()
    with Session(seeded_engine) as session:
        assert session.scalar(select(func.count()).select_from(Measure)) == 147


def test_like_wildcards_in_arguments_are_taken_literally(kpi):
    percent = kpi.find_measures(committee="%")
    assert percent == ()  # no committee name contains a literal "%"
    with pytest.raises(Ambiguous, match=r"^'%' matches several measures"):
        kpi.latest_value("%")  # eight KPI names contain a literal "%"


def test_mistakes_get_sentences(kpi):
    with pytest.raises(NotFound, match=r"^No measure has the code or name 'NEET 16-17'\. Did you mean: "
                                       r"NEET-16-17 \(16-17 year olds"):
        kpi.get_measure("NEET 16-17")
    with pytest.raises(Ambiguous, match=r"^'NEET' matches several measures; use a code or id\. Candidates: "):
        kpi.latest_value("NEET")
    with pytest.raises(InvalidArgument, match=r"^limit must be a whole number from 1 to 100\.$"):
        kpi.find_measures("roads", limit=0)
    with pytest.raises(InvalidArgument, match=r"^text is longer than 300 characters\.$"):
        kpi.find_measures("x" * 301)
    with pytest.raises(InvalidArgument, match=r"^Give a topic, a framework or an outcome"):
        kpi.find_commitments()
    with pytest.raises(InvalidArgument, match=r"^topic 'the' has no words to search for"):
        kpi.find_commitments("the")
    with pytest.raises(NotFound, match=r"^No framework matches '1999'\. Did you mean: integrated-plan-2010; "):
        kpi.list_outcomes("1999")
    with pytest.raises(NotFound, match=r"^No measure has the id 999999\.$"):
        kpi.trend(999999)
    with pytest.raises(InvalidArgument, match=r"^measure is required\.$"):
        kpi.get_measure("  ")
