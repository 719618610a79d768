"""KPI questions answered from the seeded database through the engine."""
import pytest

from bot.answer import Turn
from bot.engine.measures import KpiAnswerer
from bot.wiring import prepare_database
from kpi_tools.database import make_engine
from kpi_tools.tools import KpiTools


@pytest.fixture(scope="module")
def kpi_engine(tmp_path_factory, fake_index, fake_embedder, documents):
    from bot.engine import AbstainPolicy
    from bot.settings import DEFAULT_CORPUS_DIR, Settings
    from bot.wiring import build_offline_engine

    folder = tmp_path_factory.mktemp("kpi-db")
    settings = Settings(data_dir=folder, corpus_dir=DEFAULT_CORPUS_DIR)
    database = make_engine(settings.effective_database_url)
    prepare_database(database, settings)
    files, store, _ = fake_index
    answerer = KpiAnswerer(KpiTools(database), documents)
    return build_offline_engine(files, fake_embedder, store, documents, kpi=answerer,
                                policy=AbstainPolicy(min_similarity=0.05, weak_similarity=0.1))


def test_latest_value_comes_from_imported_data_with_provenance(kpi_engine):
    answer = kpi_engine.answer("What is the latest NEET figure?")
    assert not answer.abstained
    figure = answer.figures[0]
    assert (figure.name, figure.value, figure.unit, figure.period, figure.area) == (
        "16-17 year olds not in education, employment or training (NEET)", "3.4", "%", "Dec 2024 to Feb 2025",
        "Cambridgeshire")
    assert "dfe-analytical-services/nccis_localauthority_dashboard" in figure.source
    assert figure.outcome == "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"
    # The held measure is a relative of the framework KPI, and the answer says so.
    assert "is not the same measure" in answer.text
    assert answer.citations[0].doc_id == "strategic-framework-2016-21"


def test_qualified_values_keep_their_qualifier(kpi_engine):
    answer = kpi_engine.answer("What is the most recent figure for superfast broadband coverage?")
    assert answer.figures[0].value == "over 97"
    assert answer.figures[0].period == "2019"


def test_trend_lists_every_point_oldest_first(kpi_engine):
    answer = kpi_engine.answer("How has adult social care workforce turnover changed over time?")
    assert [f.period for f in answer.figures] == ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21",
                                                  "2021-22", "2022-23"]
    assert answer.figures[-1].value == "38.71"


def test_kpi_lookup_without_values_says_what_it_measures(kpi_engine):
    answer = kpi_engine.describe_measure("BCF 2A PART 2")
    assert answer.text == (
        "'BCF 2A PART 2 - Admissions to residential and nursing care homes (aged 65+), per 100,000 population' "
        "is a KPI of strategic-framework-2016-21, led by the CFA directorate and the Adults committee; it serves "
        "'Older people live well independently'.")
    assert answer.figures == ()


def test_document_figures_carry_their_ambition_from_the_database(kpi_engine):
    answer = kpi_engine.answer("How many carers get support from the council at any one time?")
    carers = next(f for f in answer.figures if "2,500" in f.value)
    assert (carers.name, carers.value, carers.unit, carers.area, carers.doc_id) == (
        "Carers supported at any one time", "Around 2,500", "carers", "Cambridgeshire",
        "strategic-framework-2023-28-draft")
    assert carers.outcome.startswith("Ambition 4: People enjoy healthy, safe, and independent lives")
    assert carers.value in " ".join(c.quote for c in answer.citations)


def test_tracking_question_lists_the_ambitions_measures(kpi_engine):
    answer = kpi_engine.answer("How is progress on ambition 5 going to be tracked?")
    assert answer.text.splitlines() == [
        "The Draft Strategic Framework 2023-2028 tracks Ambition 5: People are helped out of poverty and income "
        "inequality by:",
        "  • Monitoring the number of universal credit claimants",
        "  • Monitoring the percentage of learners who go on to further learning, work, or apprenticeships",
    ]
    assert {c.doc_id for c in answer.citations} == {"strategic-framework-2023-28-draft"}


def test_outcome_list_of_a_framework_named_by_year(kpi_engine):
    answer = kpi_engine.answer("Which outcomes were set by the 2016-21 framework?")
    assert answer.headline.startswith("The Section 1 – Strategic Framework: our Vision and the Challenge "
                                      "(2016-17 to 2020-21) names 7 outcomes: Older people live well independently;")
    assert "  • People at risk of harm are kept safe" in answer.text.splitlines()
    assert [c.doc_id for c in answer.citations] == ["strategic-framework-2016-21"]


def test_edition_question_reports_the_recorded_difference(kpi_engine):
    answer = kpi_engine.answer("Do the draft and final 2016 framework differ on the budget figure?")
    assert "£124 million in the later edition" in answer.text
    assert "printed £119 million" in answer.text
    assert answer.citations[0].doc_id == "strategic-framework-2016-21"


def test_deprivation_indicator_list(kpi_engine):
    answer = kpi_engine.answer("Which KPIs are deprivation indicators?")
    assert "flags 14 KPIs as deprivation indicators" in answer.text
    assert "% of 16-19 year olds not in Education, Employment or training (NEET)" in answer.text


def test_committee_named_in_the_question_lists_its_kpis(kpi_engine):
    answer = kpi_engine.answer("Which KPIs are led by the Adults committee?")
    assert "the Adults committee leads 8 KPIs:" in answer.text
    assert "  • 1E - Proportion of adults with learning disabilities in paid employment" in answer.text.splitlines()


def test_which_version_to_use_points_to_the_later_edition(kpi_engine):
    answer = kpi_engine.answer("Which edition of the 2016 framework should I be using?")
    assert answer.text.startswith("Use the later edition: Section 1 – Strategic Framework")


def test_a_passage_that_changed_between_editions_is_shown_side_by_side(kpi_engine):
    answer = kpi_engine.answer("was the wording about devolution different in the draft edition of the 2016 framework?")
    assert answer.text.startswith("The editions differ here. “a devolution settlement for Cambridgeshire and "
                                  "Peterborough.” in the draft became “devolution.” in the later edition.")
    assert [c.doc_id for c in answer.citations] == ["strategic-framework-2016-21", "strategic-framework-2016-21-draft"]


def test_a_passage_both_editions_print_alike_is_said_to_be_the_same(kpi_engine):
    answer = kpi_engine.answer("is the 92,500 population estimate the same in the draft and the final 2016-21 edition?")
    assert answer.text.startswith("Both editions print the same here.")
    assert "92,500" in answer.citations[0].quote


def test_a_committee_asked_to_list_its_kpis_gets_the_list(kpi_engine):
    answer = kpi_engine.answer("please list the KPIs the Adults committee leads in the 2016-21 framework")
    assert "the Adults committee leads 8 KPIs:" in answer.text


def test_how_a_published_figure_is_worked_out_comes_from_its_definition(kpi_engine):
    answer = kpi_engine.answer("how is the superfast broadband take-up figure worked out?")
    assert answer.text.startswith("Take-up of superfast broadband in the intervention area: Share of premises")
    assert not answer.abstained


def test_two_measures_named_together_are_both_answered(kpi_engine):
    answer = kpi_engine.answer("obese pupils in reception and in year 6, 2012/13")
    assert sorted((f.name, f.value) for f in answer.figures) == [
        ("Reception pupils measured as obese", "7.6"), ("Year 6 pupils measured as obese", "15.7")]


def test_the_year_before_moves_the_period_of_the_earlier_question(kpi_engine):
    first = "how many people were killed on Cambridgeshire's roads in 2021"
    follow = kpi_engine.answer("and the year before?", [Turn(first)])
    assert follow.resolved_question == "how many people were killed on Cambridgeshire's roads in 2020?"
    assert [f.period for f in follow.figures] == ["2020"]


def test_two_figures_quoted_from_the_editions_get_the_editions_compared(kpi_engine):
    answer = kpi_engine.answer("the 119 or the 124 - which is right for the 2020-21 budget reduction?")
    assert answer.text.startswith("The editions differ here. “£119 million” in the draft became “£124 million” "
                                  "in the later edition. The later edition is the current text.")


def test_two_questions_in_one_get_both_answers(kpi_engine):
    answer = kpi_engine.answer("how many people died on the county's roads in 2021, and what was the reception obesity "
                               "rate in 2015/16?")
    assert sorted((f.name, f.value) for f in answer.figures) == [
        ("People killed on Cambridgeshire's roads", "43"), ("Reception pupils measured as obese", "6.9")]


def test_an_ambitions_tracking_line_with_no_values_gives_way_to_the_ambitions_published_measure(kpi_engine):
    answer = kpi_engine.answer("county carbon footprint for 2021")
    assert not answer.abstained
    figure = answer.figures[0]
    assert (figure.name, figure.value, figure.period) == ("Greenhouse gas emissions of the county of Cambridgeshire",
                                                          "6.78", "2021")


def test_a_kpi_asked_about_among_the_deprivation_indicators_gets_its_row_and_the_drafts_tick(kpi_engine):
    answer = kpi_engine.answer("Was the NEET KPI classed as one of the deprivation indicators?")
    assert "flagged as a deprivation indicator" in answer.text
    assert "DRAFT) printed not ticked" in answer.text


def test_the_median_asked_for_and_not_held_is_said_plainly(kpi_engine):
    answer = kpi_engine.answer("year 6 obesity compared with the england median")
    assert answer.abstained and answer.figures == ()
    assert "No published figure for Year 6 pupils measured as obese is held for All English councils (median)" in answer.text


def test_who_publishes_a_measure_is_its_publisher(kpi_engine):
    answer = kpi_engine.answer("who publishes the bus journeys figures?")
    assert "published by Local press reporting Department for Transport figures" in answer.text


def test_a_change_over_time_in_a_document_with_one_edition_is_not_an_edition_comparison(kpi_engine):
    answer = kpi_engine.answer("How many children have an EHCP in the 2023-28 draft and how has that changed?")
    assert not answer.abstained
    assert "6,800" in answer.text and "Use the later edition" not in answer.text


def test_a_measure_named_outright_that_no_document_prints_comes_from_the_published_data(kpi_engine):
    answer = kpi_engine.answer("what is the take-up of superfast broadband in the intervention area?")
    assert not answer.abstained
    assert answer.figures and answer.figures[0].name == "Take-up of superfast broadband in the intervention area"


def test_a_target_asked_of_a_published_measure_is_not_held_and_a_target_year_is_a_date(kpi_engine):
    answer = kpi_engine.answer("what target is set for adult social care workforce turnover?")
    assert answer.abstained and answer.figures == ()
    assert answer.text.startswith("No target is held for Adult social care workforce turnover rate")
    dated = kpi_engine.answer("is there a target year for fewer road deaths in the 2023-28 draft?")
    assert "No target is held" not in dated.text


def test_the_earliest_or_peak_value_held_is_the_one_asked_for(kpi_engine):
    earliest = kpi_engine.answer("year 6 obesity, earliest figure we have")
    assert (earliest.figures[0].value, earliest.figures[0].period) == ("15.7", "2012/13")
    peak = kpi_engine.answer("adult social care workforce turnover peak year")
    assert (peak.figures[0].value, peak.figures[0].period) == ("40.33", "2018-19")
    # "the highest needs" describes people, not a value held
    assert not kpi_engine.answer("what happens to care for people with the highest needs?").figures


def test_a_question_whether_a_target_will_be_met_is_a_forecast(kpi_engine):
    answer = kpi_engine.answer("is the county going to hit net zero by 2045 or is it behind?")
    assert answer.abstained and answer.citations == ()


def test_whether_a_target_is_being_met_is_not_reported_even_inside_a_two_part_question(kpi_engine):
    answer = kpi_engine.answer("What targets were set for the NEET indicator, and is the county currently meeting them?")
    assert answer.abstained and answer.figures == ()
    assert "don't report whether a target was met" in answer.text


def test_the_peak_asked_after_a_years_value_is_the_peak_of_all_years(kpi_engine):
    first = kpi_engine.answer("adult social care workforce turnover 19-20")
    assert first.figures[0].period == "2019-20"
    peak = kpi_engine.answer("peak year?", history=[Turn(first.resolved_question or first.question, first.text)])
    assert (peak.figures[0].value, peak.figures[0].period) == ("40.33", "2018-19")


def test_secondary_outcomes_of_a_kpi_are_its_row_not_the_list_of_outcomes(kpi_engine):
    answer = kpi_engine.answer("the self harm admissions kpi - what secondary outcomes does it have?")
    assert answer.text.startswith("In the Section 1 – Strategic Framework")
    assert "Children's mental health - Admissions to hospital for self-harm" in answer.text


def test_a_tick_in_the_draft_too_or_only_the_final_compares_the_editions(kpi_engine):
    answer = kpi_engine.answer("did the NEET kpi have the deprivation tick in the draft too or only the final?")
    assert not answer.abstained
    assert "% of 16-19 year olds not in Education, Employment or training (NEET)" in answer.text
    assert "printed not ticked" in answer.text
