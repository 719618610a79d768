"""Putting reporting periods in order: "2019-20", "2015/16", "Nov 2017", "Dec 2020 to Feb 2021".

Sources name periods in many ways; a trend needs them in time order. Each recognised period
gets a sort key (year * 100 + month of the period's end). An unrecognised period is refused
at import time rather than guessed, so a series is never silently out of order.
"""
from __future__ import annotations

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_YEAR = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_FIN_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_CAL_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_RANGE = re.compile(r"^(.+?)\s+(?:to|until|–|-)\s+(.+)$")

PERIOD_HELP = (
    "use a year (2021), a financial or academic year (2021-22 or 2021/22), a month (Mar 2021), "
    "a quarter (Q1 2021-22) or a range (Dec 2020 to Feb 2021)"
)


def period_sort_key(period: str) -> int:
    """Year * 100 + month of the end of `period`; ValueError when the period is not recognised."""
    text = " ".join(str(period).split()).lower()
    key = _key(text)
    if key is None:
        raise ValueError(f"period {period!r} is not recognised; {PERIOD_HELP}")
    return key


def _key(text: str) -> int | None:
    if match := _YEAR.match(text):
        return int(match[1]) * 100 + 12
    if match := _SPAN.match(text):
        start, end = int(match[1]), _end_year(match[1], match[2])
        if end == start + 1:  # "2010-11" is a financial year before it is November 2010
            return end * 100 + 3
    if match := _FIN_QUARTER.match(text):
        quarter, start = int(match[1]), int(match[2])
        return (start + 1) * 100 + 3 if quarter == 4 else start * 100 + 3 + 3 * quarter
    if match := _CAL_QUARTER.match(text):
        return int(match[2]) * 100 + 3 * int(match[1])
    if match := _MONTH_YEAR.match(text):
        month = _MONTHS.get(match[1])
        return int(match[2]) * 100 + month if month else None
    if match := _ISO.match(text):
        month = int(match[2])
        return int(match[1]) * 100 + month if 1 <= month <= 12 else None
    if match := _RANGE.match(text):
        return _key(match[2])
    return None


def _end_year(start: str, end: str) -> int:
    return int(start[:2] + end) if len(end) == 2 else int(end)
