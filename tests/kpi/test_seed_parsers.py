"""The document parsers, checked row by row without a database."""
from __future__ import annotations

import pytest

from kpi_tools.normalise import normalise_text
from kpi_tools.seed import parse_document
from kpi_tools.seed.figures import FigureRule, extract_figures
from kpi_tools.seed.kpi_table_2016 import measure_code, split_outcomes
from kpi_tools.seed.records import FigureRecord, MeasureRecord, PrintedOutcome, SeedError

LATER, DRAFT = "strategic-framework-2016-21", "strategic-framework-2016-21-draft"
OUTCOMES_2016 = [
    "Older people live well independently",
    "People with disabilities live well independently",
    "Places that work with children help them to reach their full potential",
    "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents",
    "People lead a healthy lifestyle and stay healthy for longer",
    "People live in a safe environment",
    "People at risk of harm are kept safe",
]
NEET = "% of 16-19 year olds not in Education, Employment or training (NEET)"


@pytest.fixture(scope="module")
def parsed(documents):
    return {document.id: parse_document(document) for document in documents}


def _measure(content, name):
    return next(m for m in content.measures if m.name == name)


def test_both_2016_editions_list_the_seven_outcomes_and_46_kpis(parsed):
    for doc_id in (LATER, DRAFT):
        assert [o.title for o in parsed[doc_id].outcomes] == OUTCOMES_2016
        assert len(parsed[doc_id].measures) == 46
        assert [m.position for m in parsed[doc_id].measures] == list(range(1, 47))


def test_neet_row_in_each_edition(parsed):
    later = MeasureRecord(
        kind="KPI", name=NEET, code=None, directorate="CFA", lead_committee="Children & Young People",
        deprivation_indicator=True, deprivation_printed="✓",
        primary_outcome="The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents",
        secondary_outcomes=(PrintedOutcome("Places that work with children help them to reach their full potential", True),),
        position=32, section="Key Performance Indicators", quote=NEET,
    )
    assert _measure(parsed[LATER], NEET) == later
    draft = _measure(parsed[DRAFT], NEET)
    assert (draft.deprivation_indicator, draft.deprivation_printed) == (False, "empty checkbox")


def test_childhood_obesity_is_ticked_only_in_the_later_edition(parsed):
    name = ("Childhood obesity – percentage of children weighed and recorded as obese at reception and year 6 "
            "according to national childhood measurement programme (NCMP)")
    assert _measure(parsed[LATER], name).deprivation_indicator is True
    assert _measure(parsed[DRAFT], name).deprivation_printed == "empty checkbox"


def test_health_visiting_row_continued_on_the_next_page_is_merged(parsed):
    name = ("Health visiting – mandated checks for 0-5 year olds: • % breastfeeding at 6 - 8 weeks • Mothers "
            "receiving antenatal visit • % new birth visits < 14 days • % 6 - 8 week review • % 12 month reviews "
            "< 15 months • % 2 - 2.5 year reviews • % 2 - 2.5 year reviews using ASQ - 3")
    for doc_id in (LATER, DRAFT):
        measure = _measure(parsed[doc_id], name)
        assert measure.directorate == "Public Health"
        assert measure.quote == "Health visiting – mandated checks for 0-5 year olds:"
    assert not any(m.name.startswith(("using ASQ", "<ul", "•")) for m in parsed[LATER].measures)


def test_several_outcomes_in_one_cell_are_split(parsed):
    mental_health = _measure(parsed[LATER], "Children's mental health - Admissions to hospital for self-harm in "
                                            "children and young people.")
    assert mental_health.secondary_outcomes == (
        PrintedOutcome("People lead a healthy lifestyle and stay healthy for longer", True),
        PrintedOutcome("Places that work with children help them to reach their full potential", True),
        PrintedOutcome("People live in a safe environment", True),
    )
    falls = _measure(parsed[LATER], "Older People - Falls in older people – specific indicator to be confirmed.")
    assert falls.secondary_outcomes == (
        PrintedOutcome("Older people live well independently", True),
        PrintedOutcome("People at risk of harm are kept safe", True),
    )


def test_unknown_secondary_outcome_is_kept_as_printed_and_flagged(parsed):
    kpi = _measure(parsed[LATER], "% Clients with SEND who are EET")
    assert kpi.secondary_outcomes == (PrintedOutcome("Developing our economy", False),)
    assert split_outcomes("Developing our economy People live in a safe environment", OUTCOMES_2016) == (
        PrintedOutcome("Developing our economy", False), PrintedOutcome("People live in a safe environment", True))


def test_codes_are_read_only_where_printed(parsed):
    codes = [m.code for m in parsed[LATER].measures if m.code]
    assert codes == ["RBT-I", "BCF 2A PART 2", "1C PART 1a", "1E", "1F"]
    assert measure_code("Sexual Health - % increase in long-acting reversible contraceptives") is None


def test_2016_commitments_are_the_approaches_and_key_principles(parsed):
    commitments = parsed[LATER].commitments
    assert [(c.kind, c.theme) for c in commitments].count(("what will be different", "Healthy and Active People")) == 3
    assert [c.text for c in commitments if c.kind == "what will be different"][3:] == [
        "redesigning our services around people and places",
        "devolving decision-making to the lowest appropriate level",
        "working with partners – in both the public, private and third sector – to ensure that the whole county "
        "can benefit from Cambridgeshire's economic prosperity",
    ]
    principles = [c for c in commitments if c.kind == "key principle"]
    assert [c.theme for c in principles] == (
        ["Promoting people's independence and progression"] * 2 + ["Promoting people's responsibilities"] * 2
        + ["Transforming how we work"] * 6)
    assert principles[4].text == "Building resilient communities"
    assert principles[4].detail == (
        "We will ensure that all of our customer and community-facing staff are part of a Council-wide system of "
        "prevention and community building, facilitating networks and linking to community-based support.")


def test_2016_figures_differ_between_editions(parsed):
    def budget(doc_id):
        return next(f for f in parsed[doc_id].figures if f.name.startswith("Reduction in the County Council's budget"))

    assert budget(LATER) == FigureRecord(
        name="Reduction in the County Council's budget by 2020-21", value_text="£124 million", value=124.0,
        qualifier=None, unit="£ million", period="by 2020-21", area="Cambridgeshire County Council",
        headline="The challenges we face", outcome=None, measure=None, position=2, section="Our Vision and Ambition",
        quote="our budget will have reduced by £124 million")
    assert budget(DRAFT).value_text == "£119 million"


def test_2023_ambitions_with_ambition_7_found_by_its_title(parsed):
    content = parsed["strategic-framework-2023-28-draft"]
    assert [(o.code, o.section) for o in content.outcomes][-2:] == [
        ("Ambition 6", "Ambition 6"),
        ("Ambition 7", "Children and young people have opportunities to thrive"),
    ]
    counts = {}
    for c in content.commitments:
        counts[c.outcome_title] = counts.get(c.outcome_title, 0) + 1
    assert [counts[o.title] for o in content.outcomes] == [8, 10, 7, 6, 8, 5, 9]
    tracking = {}
    for m in content.measures:
        tracking[m.primary_outcome] = tracking.get(m.primary_outcome, 0) + 1
    assert [tracking[o.title] for o in content.outcomes] == [2, 3, 3, 2, 2, 2, 3]


def test_ambition_1_commitments_and_tracking_measures_exactly(parsed):
    content = parsed["strategic-framework-2023-28-draft"]
    title = content.outcomes[0].title
    assert [c.text for c in content.commitments if c.outcome_title == title] == [
        "Planning for and managing climate risk, so we can cope with the impacts our changing climate brings",
        "Reducing the council's direct carbon emissions to net zero by 2030 and supporting partners and communities "
        "to reduce theirs",
        "Helping build a local circular economy to increase reuse and recycling while minimising waste",
        "Embedding net-zero by design and climate resilience into our transport delivery and maintenance programmes",
        "Delivering energy efficient and flexible street lighting infrastructure",
        "Maximising the extent and the quality of nature areas across Cambridgeshire, giving more people access to "
        "green space",
        "Supporting Local Nature Groups that manage and enhance their communities' green spaces",
        "Supporting Community Flood Groups to build resilience in areas at risk of flooding",
    ]
    assert [m.name for m in content.measures if m.primary_outcome == title] == [
        "Monitoring our annual county-wide carbon footprint data",
        "Measuring biodiversity to establish where and how we can bring the biggest benefits to nature",
    ]


def test_ambition_3_commitments_keep_their_sub_heading(parsed):
    content = parsed["strategic-framework-2023-28-draft"]
    themes = [c.theme for c in content.commitments if c.outcome_title == "Health inequalities are reduced"]
    assert themes == (["Working with partners and the Cambridgeshire and Peterborough Health and Wellbeing Board "
                       "to support the Integrated Care System"] * 3
                      + ["Delivering the Health and Wellbeing Strategy and Integrated Care System Strategy priorities"] * 4)


def test_2023_infographic_figures(parsed):
    figures = {(f.name, f.area): f for f in parsed["strategic-framework-2023-28-draft"].figures}
    county = figures[("Carbon footprint of Cambridgeshire (the county)", "Cambridgeshire")]
    assert (county.value_text, county.value, county.unit, county.period, county.quote) == (
        "6.89", 6.89, "million tonnes CO2e", "2020", "Carbon footprint for Cambridgeshire in 2020 6.89MILLION TONNES CO2e")
    council = figures[("Carbon footprint of Cambridgeshire County Council as an organisation",
                       "Cambridgeshire County Council")]
    assert (council.value_text, council.value, council.period) == ("131,610", 131610.0, "2021/22")
    life = {area: f.value_text for (name, area), f in figures.items() if name == "Life expectancy of males"}
    assert life == {"Fenland": "77.4", "South Cambridgeshire": "82.4"}
    lsoas = {area: f.value for (name, area), f in figures.items() if name.startswith("Lower layer")}
    assert lsoas == {"Cambridgeshire": 16, "Fenland": 11, "Cambridge City": 3, "Huntingdonshire": 2}
    carers = figures[("Carers supported at any one time", "Cambridgeshire")]
    assert (carers.value_text, carers.qualifier) == ("Around 2,500", "around")
    assert not [f for f in figures.values() if f.unit.startswith("£")]  # "Financial details to follow"


def test_2010_objectives_commitments_and_measures(parsed):
    content = parsed["integrated-plan-2010"]
    assert [(o.code, o.title) for o in content.outcomes][:2] == [
        ("SO1", "Enabling people to thrive, achieve their potential and improve their quality of life"),
        ("SO2", "Supporting and protecting vulnerable people"),
    ]
    assert [len([c for c in content.commitments if c.outcome_title == o.title]) for o in content.outcomes] == [7, 6, 4, 5, 4]
    assert [len([m for m in content.measures if m.primary_outcome == o.title]) for o in content.outcomes] == [7, 6, 6, 3, 2]
    wrapped = next(c for c in content.commitments if c.text.startswith("Continue to train"))
    assert wrapped.text == (
        "Continue to train and develop the social care workforce so that they can provide high quality support to "
        "vulnerable people and those experiencing inequalities who are making decisions about the services they "
        "want to use")


def test_2010_placeholder_is_never_a_figure(parsed):
    figures = parsed["integrated-plan-2010"].figures
    assert not [f for f in figures if "XX" in f.value_text or "XX" in f.quote]
    assert {f.name: f.value_text for f in figures if f.headline == "2009 achievements"} == {
        "Increase in the number of local bus passengers during 2009": "over 2 million",
        "Libraries improved during 2009 (in Huntingdon and Cambridge)": "two",
        "Hours of support provided to disabled children at home during 2009": "60,000",
        "Disabled children supported at home during 2009": "260",
        "Cost of the waste recycling plant opened in 2009": "£42 million",
        "Older people cared for in their own homes during 2009": "nearly 8,700",
    }


def test_2021_priorities_and_promises(parsed):
    content = parsed["strategic-framework-2021-25"]
    assert [o.title for o in content.outcomes] == [
        "Communities at the heart of everything we do",
        "A good quality of life for everyone",
        "Helping our children learn, develop and live life to the full",
        "Cambridgeshire: A well-connected, safe, clean, green environment",
        "Protecting and caring for those who need us",
    ]
    assert [len([c for c in content.commitments if c.outcome_title == o.title]) for o in content.outcomes] == [4, 3, 3, 4, 5]
    assert content.measures == () and content.figures == ()


def test_every_parsed_quote_occurs_in_its_document(parsed, documents):
    for document in documents:
        text = normalise_text(document.read_text())
        content = parsed[document.id]
        for record in (*content.outcomes, *content.measures, *content.commitments, *content.figures):
            assert record.quote in text, (document.id, record.quote)
        for figure in content.figures:
            assert figure.value_text in figure.quote


def test_a_figure_rule_that_stops_matching_fails_the_seed():
    rule = FigureRule(name="Budget", pattern=r"reduced by (?P<value>£\d+ million)", unit="£ million", section="Intro")
    assert extract_figures("doc", "Intro: reduced by £7 million", (rule,))[0].value == 7.0
    with pytest.raises(SeedError, match=r"doc: figure rule 'Budget' matched 0 times, expected once"):
        extract_figures("doc", "Intro: reduced by a lot", (rule,))
    with pytest.raises(SeedError, match="matched 2 times"):
        extract_figures("doc", "Intro: reduced by £7 million, reduced by £8 million", (rule,))
