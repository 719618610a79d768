"""Reading a number as a person printed it: "131,610", "12.5%", "more than 95%", "£124 million".

The printed text is kept beside the number because a qualifier ("more than", "around") or a
thousands separator is part of what the source said; answers quote the printed text and
compute with the number. Used by the corpus seed and by the performance-data importer, so both
read numbers the same way.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Longest first, so "more than" wins over a shorter prefix.
QUALIFIERS = (
    "approximately", "more than", "fewer than", "less than", "at least", "at most", "up to",
    "nearly", "almost", "around", "about", "over", "under", "above", "below", "approx.",
    "approx", "c.", ">=", "<=", ">", "<", "~",
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "forty": 40, "fifty": 50,
    "hundred": 100,
}
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SCALES = {"million": 1.0, "m": 1.0, "billion": 1.0, "bn": 1.0}
NOT_A_NUMBER = frozenset({"", "n/a", "na", "n.a.", "-", "–", "nan", "none", "null", "..", "*", "x"})


@dataclass(frozen=True)
class PrintedValue:
    """`text` as printed (qualifier kept, a trailing "%" dropped), `number` for arithmetic."""

    text: str
    number: float
    qualifier: str | None = None


def parse_printed_value(printed: str) -> PrintedValue:
    """Read one printed value; raise ValueError with a sentence a person can act on.

    A trailing "%" is dropped from `text` because the unit column says "%". Currency and
    "million" stay in `text` ("£124 million") but not in `number` (124): the unit carries the
    scale. Words ("three and a half") are read for the few figures printed in words.
    """
    text = " ".join(str(printed).split())
    if text.lower() in NOT_A_NUMBER:
        raise ValueError(f"{printed!r} is not a number")
    qualifier = None
    lowered = text.lower()
    for candidate in QUALIFIERS:
        if lowered.startswith(candidate) and len(text) > len(candidate):
            rest = text[len(candidate):]
            if candidate[-1].isalpha() and not rest[:1].isspace():
                continue  # "overall" does not start with the qualifier "over"
            qualifier = text[: len(candidate)]
            text_number = rest.strip()
            break
    else:
        text_number = text
    if text_number.endswith("%"):
        text_number = text_number[:-1].rstrip()
    number = _read_number(text_number)
    if number is None:
        raise ValueError(f"{printed!r} is not a number")
    shown = f"{qualifier} {text_number}" if qualifier else text_number
    return PrintedValue(text=shown, number=number, qualifier=qualifier.lower() if qualifier else None)


def parse_optional_number(printed: str) -> float | None:
    """A target or other optional number: blank or "n/a" means none was given."""
    if " ".join(str(printed).split()).lower() in NOT_A_NUMBER:
        return None
    return parse_printed_value(printed).number


def _read_number(text: str) -> float | None:
    body = text.lstrip("£$€").strip()
    words = body.split()
    if len(words) == 2 and words[1].lower() in _SCALES:
        body = words[0]
    if _PLAIN.match(body):
        number = float(body)
    elif _GROUPED.match(body):
        number = float(body.replace(",", ""))
    else:
        number = _read_words(body.lower())
    if number is None or math.isnan(number) or math.isinf(number):
        return None
    return number


def _read_words(text: str) -> float | None:
    """'three and a half' -> 3.5, 'five' -> 5; anything else -> None."""
    half = 0.0
    if text.endswith(" and a half"):
        text, half = text.removesuffix(" and a half"), 0.5
    value = _NUMBER_WORDS.get(text)
    return None if value is None else value + half
