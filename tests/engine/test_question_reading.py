"""Reading a question as people type it: spelling, form and slots, follow-ups, document cards.

Phrasings here are written for these tests; none is copied from an evaluation file.
"""
import pytest

from bot.answer import Turn
from bot.engine.cards import answer_who, asks_about_people, build_cards
from bot.engine.followups import resolve_follow_up
from bot.engine.forms import COMPARE, HOW_MANY, LIST, TREND, WHEN, WHO, YES_NO, period_matches, read_question
from bot.engine.spelling import QuestionSpeller
from retrieval.terms import salient_terms

VOCABULARY = {"council": 40, "obesity": 5, "targets": 3, "broadband": 6, "strategy": 9, "vision": 4, "net": 7,
              "zero": 7, "carbon": 12, "footprint": 3, "fenland": 2}
ENGLISH = {"filled", "potholes", "last", "how", "many", "were"}


@pytest.fixture
def speller():
    return QuestionSpeller(VOCABULARY, english=ENGLISH, phrases={})  # spelling alone, no everyday phrases


@pytest.mark.parametrize("typed, read", [
    ("councl obsity targts", "council obesity targets"),   # one or two edits from a corpus word
    ("broadbnad in the stratgey", "broadband in the strategy"),  # swapped letters cost one edit
    ("netzero plans", "net zero plans"),                    # two corpus words typed together
    ("budget cut of £12m", "budget cut of £12 million"),    # shortened money
    ("£1.5bn programme", "£1.5 billion programme"),
    ("whats the vision", "what is the vision"),             # an abbreviation from corpus/language.yaml
    ("cambs carbon footprnt", "cambridgeshire carbon footprint"),
])
def test_typed_words_become_the_documents_words(speller, typed, read):
    assert speller.correct(typed).text == read


def test_real_english_words_are_left_alone_even_when_the_documents_never_use_them(speller):
    spelled = speller.correct("how many potholes were filled in the past year")
    assert spelled.text == "how many potholes were filled in the past year"
    assert spelled.corrections == ()


def test_corrections_are_reported_as_typed_and_read(speller):
    assert speller.correct("fenlnd obsity").corrections == (("fenlnd", "fenland"), ("obsity", "obesity"))


def test_speller_refuses_an_empty_vocabulary():
    with pytest.raises(ValueError, match="vocabulary"):
        QuestionSpeller({})


@pytest.mark.parametrize("question, form", [
    ("who put their name to the 2021 framework", WHO),
    ("By what year should emissions reach zero?", WHEN),
    ("how many bus journeys started in the county", HOW_MANY),
    ("list the enablers of the 2016 framework", LIST),
    ("Does the 2021 framework mention museums?", YES_NO),
    ("obesity in reception vs year 6", COMPARE),
    ("has the NEET rate gone up over the years", TREND),
])
def test_form_is_read_from_the_grammar_not_the_topic(documents, question, form):
    assert read_question(question, documents).form == form


def test_slots_hold_years_financial_years_and_areas(documents):
    form = read_question("council's own emissions 19/20 compared with 2021-22", documents)
    assert form.periods == ("2021-22", "2019-20")
    assert "Cambridgeshire County Council" in form.areas
    assert read_question("obesity in fenland in 2015", documents).areas == ("Fenland",)
    assert read_question("what did the 2016 framework promise", documents).periods == ()  # a framework year


@pytest.mark.parametrize("asked, held, matches", [
    ("2021", "Dec 2020 to Feb 2021", True), ("2019", "2019-20", True), ("2019", "2018-19", True),
    ("2019-20", "2019-20", True), ("2019-20", "2018-19", False), ("2015", "2015/16", True),
    ("2019", "2021-22", False), ("2017", "Nov 2017", True),
])
def test_a_held_period_matches_the_year_asked(asked, held, matches):
    assert period_matches(asked, held) is matches


@pytest.mark.parametrize("earlier, follow_up, resolved", [
    ("How big was the budget cut by 2020-21 in the final edition?", "what about the draft edition?",
     "How big was the budget cut by 2020-21 in the draft?"),
    ("What does the 2021-25 framework say on libraries?", "and the 2016 framework?",
     "What does the 2016 framework say on libraries?"),
    ("Tell me the vision of the 2021-25 framework", "who put their name to it?", "who put their name to the 2021-25 framework?"),
    ("Road deaths in Cambridgeshire in 2018", "what about 2020?", "Road deaths in Cambridgeshire in 2020?"),
    ("What does the 2023 draft say about flooding", "and about bus services?",
     "What does the 2023 draft say about bus services?"),
])
def test_a_follow_up_becomes_a_full_question(documents, earlier, follow_up, resolved):
    assert resolve_follow_up(follow_up, [Turn(earlier)], documents) == resolved


def test_a_question_that_stands_on_its_own_is_not_rewritten(documents):
    history = [Turn("What does the 2021-25 framework say on libraries?")]
    assert resolve_follow_up("What does the 2010 plan say about waste collection?", history, documents) is None
    assert resolve_follow_up("what about the draft edition?", [], documents) is None


def test_a_chain_of_follow_ups_keeps_its_topic(documents):
    first = "What does the 2021-25 framework say on libraries?"
    second = resolve_follow_up("and the 2016 framework?", [Turn(first)], documents)
    third = resolve_follow_up("what about the 2010 plan?", [Turn(first), Turn(second)], documents)
    assert "libraries" in third and "2010 plan" in third


def test_cards_name_signatories_with_roles_and_quote_the_signature(documents, fake_index):
    from retrieval.index import load_index

    files, _, _ = fake_index
    cards = build_cards(documents, load_index(files).chunks)
    card = cards["strategic-framework-2021-25"]
    assert [(s.name, s.role) for s in card.signatories] == [
        ("Steve Count", "Leader of Cambridgeshire County Council"),
        ("Gillian Beasley", "Chief Executive of Cambridgeshire County Council")]
    for signatory in card.signatories:
        assert signatory.name in signatory.quote  # every name stated is printed in its citation
    answer = answer_who("who put their name to it", [card], salient_terms("who signed this"))
    assert answer.headline == (
        "The Strategic Framework 2021 – 2025 (2021-2025, adopted) is signed by its leadership: Steve Count (Leader "
        "of Cambridgeshire County Council) and Gillian Beasley (Chief Executive of Cambridgeshire County Council) "
        "sign the framework's introduction.")
    assert {c.doc_id for c in answer.citations} == {"strategic-framework-2021-25"}
    assert cards["strategic-framework-2016-21"].signatories == ()


def test_who_leads_a_measure_is_not_a_question_about_signatories():
    assert asks_about_people(salient_terms("who signed the plan"))
    assert asks_about_people(salient_terms("who is the chief exec"))
    assert not asks_about_people(salient_terms("who leads the NEET indicator"))


@pytest.mark.parametrize("typed, read", [
    ("road deaths in twenty twenty one", "road deaths in 2021"),
    ("budget for two thousand and nineteen", "budget for 2019"),
    ("obesity in twenty-nineteen", "obesity in 2019"),
    ("twenty one councillors", "twenty one councillors"),   # a count, not a year
])
def test_a_year_said_in_words_is_read_as_the_year(speller, typed, read):
    assert speller.correct(typed).text == read


def test_a_school_year_typed_short_is_read_in_full(speller):
    assert speller.correct("obesity in y6 and yr 6").text == "obesity in year 6 and year 6"


def test_an_acronym_in_capitals_gains_its_meaning_but_the_verb_does_not():
    speller = QuestionSpeller(VOCABULARY, english=ENGLISH | {"send"}, acronyms={"SEND": "special educational needs"})
    assert speller.correct("SEND provision").text == "SEND (special educational needs) provision"
    assert speller.correct("SEND provision").corrections == ()
    assert speller.correct("send me the council vision").text == "send me the council vision"


def test_words_that_frame_a_request_are_not_its_topic():
    assert salient_terms("Cllr wants the obesity figure for a briefing note tomorrow") == ["obesi"]
    assert salient_terms("give me the three carbon targets") == ["carbo", "targe"]


def test_it_means_the_topic_of_the_thread_unless_the_question_is_about_the_document(documents):
    history = [Turn("is there a KPI on library visits in the 2016-21 framework?")]
    resolved = resolve_follow_up("how is it measured?", history, documents)
    assert "library visits" in resolved and resolved.startswith("how is it measured")
    assert resolve_follow_up("who signed it?", history, documents) == "who signed the 2016-21 framework?"


def test_a_follow_up_that_only_names_the_draft_keeps_the_earlier_question(documents):
    history = [Turn("what population growth does the 2016-21 framework expect by 2020-21?")]
    assert resolve_follow_up("was that the same figure in the draft?", history, documents) == (
        "what population growth does the 2016-21 framework expect by 2020-21 in the draft?")


def test_an_english_word_one_edit_away_beats_a_document_word_two_edits_away():
    speller = QuestionSpeller({**VOCABULARY, "estate": 4, "libraries": 3}, english=ENGLISH | {"estimate", "library"})
    assert speller.correct("growth estimte").text == "growth estimate"   # not the documents' "estate"
    assert speller.correct("libary opening").text == "library opening"   # no document word is near


def test_a_follow_up_naming_the_other_group_swaps_it_in(documents):
    history = [Turn("healthy life expectancy for men in Huntingdonshire")]
    assert resolve_follow_up("and for women?", history, documents) == "healthy life expectancy for women in Huntingdonshire?"
    history = [Turn("share of reception pupils who are overweight")]
    assert resolve_follow_up("and year 6?", history, documents) == "share of year 6 pupils who are overweight?"


def test_one_in_a_follow_up_stands_for_the_earlier_noun(documents):
    history = [Turn("which directorate runs the library visits KPI in the 2016 framework?")]
    assert resolve_follow_up("and the museum one?", history, documents) == (
        "which directorate runs the museum KPI in the 2016 framework?")


def test_a_when_question_inside_another_is_a_when_question(documents):
    assert read_question("does the plan say when the consultation closes?", documents).form == WHEN


def test_an_abbreviation_is_expanded_even_when_a_document_prints_it():
    speller = QuestionSpeller({**VOCABULARY, "yr": 2}, english=ENGLISH)
    assert speller.correct("carbon footprint last yr").text == "carbon footprint last year"


def test_equally_near_english_words_are_chosen_the_same_way_every_time():
    # "gritter" and "glitters" are both one edit from "gritters": the one keeping more of the typed
    # beginning wins, whatever order Python's hash seed puts the dictionary in.
    speller = QuestionSpeller(VOCABULARY, english=ENGLISH | {"glitters", "gritter"})
    assert speller.correct("how many gritters").text == "how many gritter"


def test_a_new_year_replaces_the_whole_span_of_the_earlier_question(documents):
    from bot.answer import Turn
    from bot.engine.followups import resolve_follow_up

    resolved = resolve_follow_up("and 2017?", [Turn("school exclusions 2019 to 2022 - how has it changed?")], documents)
    assert resolved == "school exclusions 2017 - how has it changed?"


def test_an_abbreviation_the_sources_print_is_read_as_printed():
    speller = QuestionSpeller({"asc": 2, "reviews": 3, "council": 4}, english=ENGLISH,
                              abbreviations={"asc": "adult social care", "yr": "year"})
    assert speller.correct("asc reviews").text == "asc reviews"  # the KPI table prints "ASC"
    assert speller.correct("council yr").text == "council year"  # too short to stand as printed


def test_who_inside_a_measures_name_does_not_make_a_who_question(documents):
    assert read_question("which committee looks after pupils with send who are in work?", documents).form != WHO
    assert read_question("tell me who wrote the 2021 foreword", documents).form == WHO
    assert read_question("the 2021 framework, who signed it?", documents).form == WHO


@pytest.mark.parametrize("history, question, resolved", [
    ("who signed the 2021-25 strategic framework", "what are its priorities then",
     "what are the 2021-25 strategic framework's priorities then?"),
    ("who signed the 2023 draft", "and the vision?", "the vision in the 2023 draft?"),
    ("cambs NEET rate dec 2023 to feb 2024", "is that the latest?", "cambs NEET rate latest?"),
    ("what's the latest road deaths figure", "and 2019?", "what's the road deaths figure in 2019?"),
])
def test_a_follow_up_fills_the_slot_it_names(documents, history, question, resolved):
    assert resolve_follow_up(question, [Turn(history)], documents) == resolved


def test_a_question_naming_both_editions_compares_them():
    from bot.engine.editions import EDITION_QUESTION

    assert EDITION_QUESTION.search("budget reduction: the draft framework or the final one?")
    assert not EDITION_QUESTION.search("what does the draft framework say about buses?")


def test_the_councils_own_is_the_organisation_however_it_is_written(documents):
    assert "Cambridgeshire County Council" in read_question("ccc's own carbon footprint 2021-22", documents).areas


def test_a_terse_look_up_of_a_role_is_a_who_question(documents):
    assert read_question("2010 plan leader", documents).form == WHO
    assert read_question("chief exec 2023 draft", documents).form == WHO
    assert read_question("neet kpi lead committee", documents).form != WHO  # a KPI row's field


def test_an_acronym_typed_small_is_still_the_acronym_unless_it_is_an_english_word():
    speller = QuestionSpeller({"areas": 3, "council": 4}, english=ENGLISH | {"send"},
                              acronyms={"LSOAs": "lower layer super output areas", "SEND": "special educational needs"})
    assert speller.correct("lsoas in fenland").text == "lsoas (lower layer super output areas) in fenland"
    assert speller.correct("send me the council plan").text == "send me the council plan"


def test_a_month_range_with_short_years_is_read_in_full():
    speller = QuestionSpeller({"neet": 3}, english=ENGLISH)
    assert speller.correct("neet dec 23 - feb 24").text == "neet dec 2023 to feb 2024"


def test_a_terse_look_up_naming_a_district_wants_its_figure(documents):
    form = read_question("huntingdonshire deprived areas", documents)
    assert form.form == HOW_MANY and form.inferred
    assert read_question("2023-28 draft total budget £", documents).asks_figure
    assert "Cambridgeshire County Council" in read_question("ccc carbon 2020-21", documents).areas
    assert "Cambridgeshire County Council" not in read_question("ccc's plan for 2023", documents).areas


def test_a_left_out_letter_is_preferred_to_an_extra_one():
    speller = QuestionSpeller({"looked": 2, "look": 5, "after": 3}, english=ENGLISH)
    assert speller.correct("lookd after").text == "looked after"


def test_an_everyday_phrase_gains_the_documents_word():
    speller = QuestionSpeller({"council": 3}, english=ENGLISH | {"who", "keeps", "an", "eye", "on", "spending"},
                              phrases={"keeps an eye on": "monitors"})
    assert speller.correct("who keeps an eye on spending").text == "who keeps an eye on (monitors) spending"


def test_what_a_document_says_about_a_number_is_asked_in_words(documents):
    form = read_question("what did the 2016 framework say would happen to the number of complaints?", documents)
    assert form.form != HOW_MANY and not form.asks_figure
    assert read_question("how many complaints did the 2016 framework expect?", documents).asks_figure


def test_chat_spellings_of_question_words_and_a_bare_million_are_read_in_full(speller):
    assert speller.correct("wot is the vision").text == "what is the vision"
    assert speller.correct("hw big is a 40m cut").text == "how big is a 40 million cut"


def test_what_how_many_counts_and_which_amounts_a_question_names():
    from bot.engine.forms import counted_noun, quantities_named

    assert counted_noun("how many libraries are there in the plan?") == "libraries"
    assert counted_noun("how many of them are in Fenland?") is None
    # "rise" says how a figure moved; "coverage" and "rate" name what the figure measures
    assert quantities_named("what was the rise in broadband coverage rate") == ["coverage", "rate"]


def test_the_x_one_names_an_item_of_the_earlier_answers_list(documents):
    earlier = Turn("list the outcomes of the 2016-21 framework",
                   "The framework names 3 outcomes.\n\n  • Older people live well independently\n"
                   "  • People live in a safe environment\n  • People at risk of harm are kept safe")
    resolved = resolve_follow_up("tell me more about the safe environment one", [earlier], documents)
    assert resolved == "tell me more about “People live in a safe environment” in the 2016-21 framework?"
    # words that name no single item leave the question to the usual reading
    assert "“" not in (resolve_follow_up("tell me more about the people one", [earlier], documents) or "")


def test_a_figure_and_the_draft_with_no_topic_of_their_own_lean_on_the_thread(documents):
    earlier = Turn("How far was the budget to fall by 2020-21 in the 2016-21 framework?")
    resolved = resolve_follow_up("my draft copy says 119 million though, which is correct?", [earlier], documents)
    assert resolved is not None and "budget" in resolved


def test_a_month_range_typed_without_spaces_is_read_in_full():
    speller = QuestionSpeller({"neet": 3}, english=ENGLISH, phrases={})
    assert speller.correct("neet nov22-jan23").text == "neet nov 2022 to jan 2023"


def test_a_left_out_letter_beats_a_changed_one_at_the_same_distance():
    speller = QuestionSpeller({"delivery": 9, "delivered": 2}, english=ENGLISH, phrases={})
    assert speller.correct("plans deliverd").text == "plans delivered"


def test_the_words_of_a_glossed_everyday_phrase_are_not_the_topic():
    from retrieval.terms import PHRASES

    phrase, word = next((p, w) for p, w in PHRASES.items() if " " in p)
    assert set(salient_terms(f"who {phrase} ({word}) spending")) == set(salient_terms(f"who ({word}) spending"))


def test_the_year_before_with_a_new_question_is_not_the_old_question_moved(documents):
    earlier = [Turn("who wrote the introduction to the 2010 plan")]
    resolved = resolve_follow_up("and what did she say about savings the year before", earlier, documents)
    assert resolved is not None and "savings" in resolved and "2009" not in resolved
    assert resolve_follow_up("and the year before?", [Turn("road deaths in 2019")], documents) == "road deaths in 2018?"


def test_asking_for_the_numbers_of_a_measure_the_thread_named_asks_for_its_figures(documents):
    earlier = [Turn("which committee leads the road deaths indicator?")]
    resolved = resolve_follow_up("have we got numbers for that?", earlier, documents)
    assert resolved.startswith("what are its figures over time") and "road deaths" in resolved


def test_the_framework_year_is_the_one_next_to_the_document_word(documents):
    from bot.engine.scope import resolve_scope

    scope = resolve_scope("population change since the 2011 census - 2016 framework", documents)
    assert scope.doc_ids == frozenset({"strategic-framework-2016-21"})


def test_where_asks_for_places_and_a_follow_up_asking_where_keeps_the_topic(documents):
    assert read_question("and where are they?", documents).has("where")
    earlier = [Turn("how many LSOAs are among the most deprived in the county?")]
    resolved = resolve_follow_up("where are they?", earlier, documents)
    assert resolved.startswith("where are they") and "LSOAs" in resolved


def test_a_question_read_twice_keeps_one_gloss_per_acronym():
    speller = QuestionSpeller({"areas": 3}, english=ENGLISH, phrases={}, acronyms={"LSOAs": "small areas"})
    once = speller.correct("how many LSOAs").text
    assert once == "how many LSOAs (small areas)"
    assert speller.correct(once).text == once


def test_the_words_that_ask_for_a_date_are_not_the_topic():
    from bot.engine.forms import without_date_words

    assert salient_terms(without_date_words("is there a target year for cutting road deaths")) == \
        salient_terms("is there a for cutting road deaths")


def test_a_bare_pair_from_18_19_on_is_a_financial_year_but_16_17_stays_an_age_band(documents):
    assert read_question("social care turnover 19-20", documents).periods == ("2019-20",)
    assert read_question("neet 16-17 cambs", documents).periods == ()
    assert read_question("18-24 year olds in work", documents).periods == ()


def test_a_follow_up_naming_the_median_puts_it_in_place_of_the_area(documents):
    earlier = [Turn("how easy do service users find it to get information about care, 2016-17")]
    resolved = resolve_follow_up("and the median across english councils that year?", earlier, documents)
    assert resolved.endswith("2016-17 in All English councils (median)?")


def test_a_period_the_question_names_replaces_the_one_it_carries(documents):
    from bot.engine.forms import leaning_on

    form = read_question(leaning_on("care workforce turnover 2022-23", "care workforce turnover 19-20"), documents)
    assert form.periods == ("2022-23",)


def test_who_after_a_dash_is_a_who_question(documents):
    assert read_question("2021 framework – who signed it?", documents).form == "who"


def test_that_in_a_figure_follow_up_is_the_measure_not_the_framework(documents):
    earlier = [Turn("which committee leads the reablement KPI in the 2016 framework?")]
    resolved = resolve_follow_up("what's the latest published figure for that?", earlier, documents)
    assert "reablement" in resolved and not resolved.startswith("what's the latest published figure for the 2016")


def test_he_or_she_is_someone_the_thread_named_and_the_ones_is_its_group(documents):
    resolved = resolve_follow_up("when did he start at the council?", [Turn("and the chief executive's foreword?")],
                                 documents)
    assert resolved.startswith("when did he start at the council") and "chief executive" in resolved
    widened = resolve_follow_up("what if you include the ones whose activity is not known?",
                                [Turn("NEET rate for 16-17 year olds in 2023")], documents)
    assert widened is not None and "NEET" in widened


def test_the_figures_we_hold_are_asked_for_as_figures_and_more_recent_is_the_latest(documents):
    assert read_question("what do the figures we hold say about bus journeys?", documents).asks_figure
    assert read_question("do we hold anything more recent for bus journeys?", documents).latest
