"""The number check: which numbers an answer may use, exactly."""
from __future__ import annotations

import pytest

from bot.llm.grounding import check_numbers, find_numbers

SOURCE = ("CARBON FOOTPRINT for Cambridgeshire County Council as an organisation 2021/22: 131,610 TONNES CO2e. "
          "Carbon footprint for Cambridgeshire in 2020 · 6.89 MILLION TONNES CO2e. "
          "By 2020-21 our budget will have reduced by £124 million. Draft Strategic Framework 2023-2028. "
          "Take-up was over 62% in Apr 2019.")


@pytest.mark.parametrize("answer", [
    "The council's footprint was 131,610 tonnes CO2e in 2021/22.",
    "The council's footprint was 131610 tonnes.",
    "The county's footprint was 6.89 million tonnes in 2020.",
    "The county's footprint was 6,890,000 tonnes.",
    "The budget will have reduced by £124m by 2020-21.",
    "The budget will have reduced by £124,000,000.",
    "The budget will have reduced by £124 million, i.e. 124.",
    "The 2023-28 framework, or 2023-2028 or 2023/28, is a draft.",
    "The footprint was 131,610 tonnes in 2022, and in 2021.",
    "Take-up was over 62 per cent in April 2019.",
    "1. Take-up was over 62%.\n2) The budget fell by £124m.",
    "Ambition SO2 and CO2e are codes, as is [P1] and [R12].",
    "The footprint was 131,610.00 tonnes.",
])
def test_numbers_printed_in_the_sources_pass(answer):
    assert check_numbers(answer, [SOURCE]).ok


@pytest.mark.parametrize("answer, unsupported", [
    ("The budget will have reduced by £125 million.", ("125 million",)),
    ("The footprint was 131,611 tonnes.", ("131,611",)),
    ("The footprint was 131,610 tonnes in 2024.", ("2024",)),
    ("The county's footprint was 6.9 million tonnes.", ("6.9 million",)),
    ("The budget will have reduced by 124 billion.", ("124 billion",)),
    ("Take-up was 62 million.", ("62 million",)),
    ("The 2023-29 framework.", ("2023-29",)),
    ("The footprint was 131,610 tonnes in 2021/23.", ("2021/23",)),
    ("By 2020-20 the budget fell by £124m.", ("2020-20",)),
    ("Take-up was over 62% in 2019, rising to 75% by 2030.", ("75", "2030")),
    ("See [1] for the figure 62%.", ("1",)),
    ("Take-up was over 0.62.", ("0.62",)),
])
def test_invented_numbers_are_caught(answer, unsupported):
    report = check_numbers(answer, [SOURCE])
    assert report.unsupported == unsupported
    assert not report.ok


def test_the_report_lists_every_number_checked_once_in_order():
    report = check_numbers("By 2020-21 the budget fell by £124m; again, £124m by 2020-21 [R1].", [SOURCE])
    assert report.checked == ("2020-21", "124m")
    assert report.unsupported == ()


def test_only_the_given_sources_count_not_the_question_or_an_empty_turn():
    assert check_numbers("It was 131,610 tonnes.", []).unsupported == ("131,610",)
    assert check_numbers("No figure is given.", []).ok


def test_forms_of_a_mention():
    assert [(m.text, sorted(m.required), sorted(m.forms)) for m in find_numbers("£124m in 2021/22, 3.50%, 07")] == [
        ("124m", ["124000000"], ["124", "124000000"]),
        ("2021/22", ["2021-2022"], ["2021", "2021-2022", "2022"]),
        ("3.50", ["3.5"], ["3.5"]),
        ("07", ["7"], ["7"]),
    ]


def test_list_numbering_is_skipped_but_a_number_starting_a_line_is_not():
    assert [m.text for m in find_numbers("1. First point\n 2) second\n3.5 million people\n12 homes")] == [
        "3.5 million", "12"]


def test_superscript_footnote_marks_are_not_digits():
    assert [m.text for m in find_numbers("since the last census in 2011¹")] == ["2011"]
