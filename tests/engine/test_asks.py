"""A long message is read as its question plus the sentence it leans on (phrasings written for these tests)."""
import pytest

from bot.engine.asks import focus


@pytest.mark.parametrize("message, question, context", [
    # who asked, and that they asked, is not what they asked about
    ("a resident phoned asking whether the council has a plan for libraries",
     "the council has a plan for libraries", ""),
    ("caller whose road flooded in march wants to know if the council helps flood groups",
     "the council helps flood groups", ""),
    # the sentence before is what the question may lean on
    ("I'm briefing the Highways committee on Monday. What does the 2023 draft say about cycling?",
     "What does the 2023 draft say about cycling?", "I'm briefing the Highways committee on Monday."),
    # a sentence about the subject is kept as what the question may lean on
    ("The 2016-21 framework names some enablers. Which one is about digital?",
     "Which one is about digital?", "The 2016-21 framework names some enablers."),
    # a long clause of setting before the question in one sentence
    ("the ward newsletter quotes the council as wanting to be greener and two other things, what is the vision?",
     "what is the vision?", "the ward newsletter quotes the council as wanting to be greener and two other things"),
    # a relative clause is not a question
    ("A parish clerk asked me about the library review, which started in 2010. What was it for?",
     "What was it for?", "the library review, which started in 2010."),
])
def test_the_question_is_separated_from_its_setting(message, question, context):
    asked = focus(message)
    assert (asked.question, asked.context) == (question, context)


def test_a_plain_question_has_nothing_to_separate():
    assert focus("what does the 2023 draft say about cycling?") is None
    # a short opening phrase belongs to the question
    assert focus("In the 2010 plan, who signed the introduction?") is None


def test_a_question_pointing_back_keeps_the_sentence_before(fake_engine):
    answer = fake_engine.answer("I'm writing a members' guide to the 2016-21 framework. It names council-wide "
                                "themes called enablers. Please list them.")
    assert "names 5 enablers" in answer.headline
    assert answer.resolved_question.startswith("Please list them, about: It names council-wide themes")


def test_the_setting_does_not_count_against_the_passage_that_answers(fake_engine):
    answer = fake_engine.answer("a resident whose street flooded last winter rang asking if the council "
                                "supports community flood groups")
    assert not answer.abstained
    assert any("Community Flood Groups" in c.quote for c in answer.citations)


def test_a_request_label_and_a_reported_question_are_read_as_the_question():
    asked = focus("Councillor briefing: a resident is asking what the 2010 plan did for carers. And what about the 2021 one?")
    assert asked.question == "what the 2010 plan did for carers. And what about the 2021 one?"
    # someone unnamed who made contact stays, as they may be the topic
    asked = focus("A foster carer has rung up asking whether we pay an allowance. Is that in the strategy?")
    assert asked.context == "foster carer: we pay an allowance."


def test_the_sentence_leaned_on_is_the_nearest_about_the_subject():
    asked = focus("A parish clerk asked me about the Making Cambridgeshire Count project. I'd like to explain it at "
                  "their meeting. What was it for?")
    assert asked.context == "the Making Cambridgeshire Count project."


def test_a_caller_who_rang_in_is_framing_and_both_asks_are_kept():
    asked = focus("A parent has rung in asking what the council's priorities are for schools. "
                  "Can you list them from the adopted framework?")
    assert asked.question.startswith("what the council's priorities are for schools.")
    assert asked.question.endswith("Can you list them from the adopted framework?")


def test_a_sentence_quoting_what_the_asker_remembers_is_the_subject_not_the_asker():
    asked = focus("I'm writing a speech. I remember a slogan about the county being 'a place to thrive'. "
                  "Which document used that phrase?")
    assert asked.context.startswith("I remember a slogan") and not asked.context_is_the_asker


def test_a_full_stop_that_shortens_a_word_does_not_end_the_question():
    assert focus("how will they track no. 5") is None  # one sentence: nothing to separate


def test_a_short_fragment_or_an_and_after_the_question_belongs_to_it():
    asked = focus("reception obesity latest figure? 2019/20 ideally")
    assert asked.question == "reception obesity latest figure? 2019/20 ideally"
    asked = focus("whats the latest bus journeys figure? and the one for 2019 pls")
    assert asked.question.endswith("and the one for 2019 pls")


def test_a_request_worded_as_a_need_is_asked_but_the_askers_plans_are_not():
    asked = focus("Members keep quoting the enablers in the 2016-21 framework. I need them listed for a paper.")
    assert asked.question.startswith("I need them listed")
    asked = focus("I'd like to open my talk on the vision. Which document first used it?")
    assert asked.question == "Which document first used it?"


def test_the_sentence_leaned_on_is_one_that_names_a_topic():
    asked = focus("People say most homes can get superfast broadband now. A resident told me it was 99%. "
                  "What do the figures say?")
    assert asked.context == "People say most homes can get superfast broadband now."
