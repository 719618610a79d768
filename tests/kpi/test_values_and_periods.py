"""Reading printed numbers and periods: the rules both the seed and the importer rely on."""
from __future__ import annotations

import pytest

from kpi_tools.periods import period_sort_key
from kpi_tools.values import PrintedValue, parse_optional_number, parse_printed_value


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("131,610", PrintedValue("131,610", 131610.0)),
        ("6.89", PrintedValue("6.89", 6.89)),
        ("12.5%", PrintedValue("12.5", 12.5)),
        ("1,234", PrintedValue("1,234", 1234.0)),
        ("more than 95%", PrintedValue("more than 95", 95.0, "more than")),
        ("over 62%", PrintedValue("over 62", 62.0, "over")),
        ("Around 2,500", PrintedValue("Around 2,500", 2500.0, "around")),
        ("£124 million", PrintedValue("£124 million", 124.0)),
        ("over 2 million", PrintedValue("over 2 million", 2.0, "over")),
        ("three and a half", PrintedValue("three and a half", 3.5)),
        ("-3.2", PrintedValue("-3.2", -3.2)),
        ("  2.7  ", PrintedValue("2.7", 2.7)),
    ],
)
def test_printed_values_keep_their_text_and_qualifier(printed, expected):
    assert parse_printed_value(printed) == expected


@pytest.mark.parametrize("printed", ["n/a", "", "-", "abc", "12,34", "1.2.3", "nan", "inf", "£XX", "overall"])
def test_what_is_not_a_number_is_refused(printed):
    with pytest.raises(ValueError, match="is not a number"):
        parse_printed_value(printed)


def test_optional_numbers_treat_blank_and_na_as_none():
    assert parse_optional_number("") is None
    assert parse_optional_number("n/a") is None
    assert parse_optional_number("85%") == 85.0
    with pytest.raises(ValueError):
        parse_optional_number("high")


@pytest.mark.parametrize(
    ("period", "key"),
    [
        ("2019", 201912),
        ("2019-20", 202003),
        ("2015/16", 201603),
        ("2019/2020", 202003),
        ("Nov 2017", 201711),
        ("September 2021", 202109),
        ("Dec 2020 to Feb 2021", 202102),
        ("Dec 2011 to Nov 2012", 201211),
        ("Q1 2023-24", 202306),
        ("Q4 2023-24", 202403),
        ("Q2 2023", 202306),
        ("2024-03", 202403),
        ("2024-03-31", 202403),
    ],
)
def test_periods_sort_by_their_end(period, key):
    assert period_sort_key(period) == key


@pytest.mark.parametrize("period", ["last year", "2019-22", "Smarch 2020", "2024-13", ""])
def test_unrecognised_periods_are_refused_with_help(period):
    with pytest.raises(ValueError, match=r"is not recognised; use a year \(2021\)"):
        period_sort_key(period)


@pytest.mark.parametrize(
    ("value_text", "unit", "shown"),
    [
        ("2.7", "%", "2.7%"),
        ("more than 95", "%", "more than 95%"),
        ("131,610", "tonnes CO2e", "131,610 tonnes CO2e"),
        ("6.89", "million tonnes CO2e", "6.89 million tonnes CO2e"),
        ("£124 million", "£ million", "£124 million"),
        ("over 2 million", "million passengers", "over 2 million passengers"),
        ("Around 2,500", "carers", "Around 2,500 carers"),
        ("12", None, "12"),
    ],
)
def test_values_are_shown_with_their_unit_once(value_text, unit, shown):
    from kpi_tools.series import format_value

    assert format_value(value_text, unit) == shown
