"""Property tests of the question path: whatever arrives as a question (any Unicode, control and
invisible characters, bytes, None, megabytes), the guarded offline engine returns an Answer with
a sentence, no traceback, and no figure that the documents do not print.

The engine is the real offline engine over the real corpus with the hash embedder
(`fake_engine`); hypothesis runs derandomised, so CI sees the same inputs every run.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answer import Answer
from bot.guarded_engine import GuardedEngine, RoutedAnswer
from tests.security.conftest import FUZZED, StaticControls, fuzz

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
TRACEBACK_SIGNS = ("Traceback (most recent call last)", 'File "/', "Error:", "Exception")
COUNCIL_WORDS = (
    "carbon", "footprint", "budget", "2016", "2021-25", "framework", "draft", "later", "edition", "flooding",
    "broadband", "children", "EHCP", "NEET", "KPI", "ambition", "outcome", "how", "many", "what", "does", "the",
    "council", "promise", "£", "million", "%", "2020-21", "care", "leavers", "roads", "?", "which", "current",
)


@pytest.fixture(scope="module")
def guarded(fake_engine):
    return GuardedEngine(fake_engine, StaticControls())


@pytest.fixture(scope="module")
def printed_numbers(documents) -> frozenset[str]:
    """Every number the corpus prints (text and titles), without thousands separators."""
    text = " ".join(d.read_text() + " " + d.title for d in documents)
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def check(answer: Answer, printed: frozenset[str]) -> None:
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str) and answer.text.strip()
    assert not any(sign in answer.text for sign in TRACEBACK_SIGNS), answer.text
    if isinstance(answer, RoutedAnswer):  # a fixed sentence of the guard
        assert answer.abstained and answer.outcome in ("rejected", "refused", "signposted")
        return
    invented = {n for n in _NUMBER.findall(answer.text) if n.replace(",", "") not in printed}
    assert not invented, f"numbers not printed in any document: {invented} in {answer.text!r}"
    if not answer.abstained:
        assert answer.citations, "an answer that does not abstain cites its sources"


@fuzz(200)
@given(question=st.text(max_size=400))
def test_any_unicode_text(guarded, printed_numbers, question):
    FUZZED["questions"] += 1
    check(guarded.answer(question), printed_numbers)


@fuzz(200)
@given(words=st.lists(st.sampled_from(COUNCIL_WORDS) | st.text(max_size=10), min_size=1, max_size=14))
def test_council_words_mixed_with_noise_reach_search_and_stay_grounded(guarded, printed_numbers, words):
    FUZZED["questions"] += 1
    check(guarded.answer(" ".join(words)), printed_numbers)


@fuzz(80)
@given(question=st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Co", "So"]) |
                        st.sampled_from("abcdefgh carbon"), max_size=300))
def test_control_invisible_and_private_use_characters(guarded, printed_numbers, question):
    FUZZED["questions"] += 1
    check(guarded.answer(question), printed_numbers)


@fuzz(25)
@given(length=st.integers(2_001, 400_000), char=st.sampled_from(["a", " ", "£", "\u200b", "ﷺ", "😀", "\n"]))
def test_huge_inputs_get_the_length_sentence(guarded, printed_numbers, length, char):
    FUZZED["questions"] += 1
    answer = guarded.answer(char * length)
    check(answer, printed_numbers)
    if char not in (" ", "\u200b", "\n"):  # blank input is "please type a question" instead
        assert answer.text.startswith("Your question is ")


@fuzz(50)
@given(raw=st.binary(max_size=300) | st.none() | st.integers() | st.lists(st.text(max_size=5), max_size=3))
def test_values_that_are_not_text(guarded, printed_numbers, raw):
    FUZZED["questions"] += 1
    check(guarded.answer(raw), printed_numbers)


@fuzz(60)
@given(query=st.text(max_size=120) | st.lists(st.sampled_from(COUNCIL_WORDS), max_size=5).map(" ".join))
def test_measure_lookups(guarded, printed_numbers, query):
    FUZZED["questions"] += 1
    check(guarded.describe_measure(query), printed_numbers)


def test_the_check_passes_real_answers_and_catches_an_invented_figure(guarded, printed_numbers):
    real = guarded.answer("By how much will the budget have reduced by 2020-21?")
    assert not real.abstained and "£124 million" in real.text
    check(real, printed_numbers)
    invented = Answer(real.question, "The budget will have reduced by £1,000,000,001.", citations=real.citations)
    with pytest.raises(AssertionError, match="numbers not printed in any document"):
        check(invented, printed_numbers)
    with pytest.raises(AssertionError):
        check(Answer("q", 'Traceback (most recent call last):\n  File "/x.py"'), printed_numbers)
