"""The number check: every number in a model's answer must be printed in this turn's sources.

"Sources" are the texts the model was shown by successful tool calls of the same turn (passages and
database results); the question, earlier turns and the model's own tool arguments do not count, so
a figure cannot be laundered through them. Years and dates are numbers like any other: a year that
no source prints is an invented figure.

Matching is strict about digits and sane about notation:

- thousands separators are ignored: "131,610" = "131610"; trailing decimal zeros too: "2.50" = "2.5";
- a scale word is applied: "£124m" = "£124 million" = "£124,000,000"; an answer's scaled number
  must match a scaled source number or the same digits in full ("12 million" is not supported by
  "12 homes");
- a year range is one number, its short end may be written either way: "2023-28" = "2023-2028" =
  "2023/28"; a range the sources print also supports each of its years ("2022" from "2021/22"), but
  an answer's range must be printed as that range ("2021/23" is not supported by "2021/22" and "2023");
- digits inside a word or code ("SO2", "P1" citation labels, "CO2e") are not numbers;
- a Markdown list's numbering ("1. ", "2) " at the start of a line) is formatting, not a figure.

Numbers written as words ("five") are not checked; the system prompt asks for digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])"  # not inside a word, a code or a longer number
    r"(?:(?P<start>(?:19|20)[0-9]{2})\s?[-–—/]\s?(?P<end>(?:19|20)[0-9]{2}|[0-9]{2})(?![0-9])"  # 2023-28, 2021/22
    r"|(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.(?P<fraction>[0-9]+))?"
    r"(?:\s?(?P<scale>thousand|million|billion|bn|mn|m|k)\b)?)",
    re.IGNORECASE,
)
_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}
_LIST_NUMBER = re.compile(r"^[ \t]*([0-9]{1,2})[.)](?=[ \t])", re.MULTILINE)


@dataclass(frozen=True)
class NumberMention:
    """A number as written, and the canonical forms any one of which a source must contain."""

    text: str
    required: frozenset[str]
    forms: frozenset[str]  # every form this mention supports when it is in a source


@dataclass(frozen=True)
class GroundingReport:
    checked: tuple[str, ...]      # numbers of the answer, as written, in order, once each
    unsupported: tuple[str, ...]  # those no source prints

    @property
    def ok(self) -> bool:
        return not self.unsupported


def _canonical(value: Decimal) -> str:
    return format(value.normalize(), "f")


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in `text` except list numbering, with its canonical forms."""
    list_numbers = {m.start(1) for m in _LIST_NUMBER.finditer(text)}
    mentions = []
    for match in _NUMBER.finditer(text):
        if match.group("start"):
            mentions.append(_year_range(match))
            continue
        if match.start() in list_numbers and not match.group("fraction") and not match.group("scale"):
            continue
        digits = match.group("whole").replace(",", "")
        value = Decimal(digits + ("." + match.group("fraction") if match.group("fraction") else ""))
        literal = _canonical(value)
        forms = {literal}
        required = {literal}
        scale = match.group("scale")
        if scale:
            scaled = _canonical(value * _SCALES[scale.lower()])
            forms.add(scaled)
            required = {scaled}
        mentions.append(NumberMention(match.group(0).strip(), frozenset(required), frozenset(forms)))
    return mentions


def _year_range(match: re.Match) -> NumberMention:
    """"2023-28" = "2023-2028" = "2023/28": the range must be printed as a range; printed, it also
    supports each of its years on its own ("2022" from "2021/22")."""
    start, end = match.group("start"), match.group("end")
    end = end if len(end) == 4 else start[:2] + end
    whole = f"{start}-{end}"
    return NumberMention(match.group(0).strip(), frozenset({whole}), frozenset({whole, start, end}))


def source_forms(texts: Iterable[str]) -> frozenset[str]:
    """Every canonical number form printed in `texts`."""
    return frozenset(form for text in texts for mention in find_numbers(text) for form in mention.forms)


def check_numbers(answer: str, sources: Iterable[str]) -> GroundingReport:
    """Which numbers of `answer` are printed in `sources`, and which are not."""
    available = source_forms(sources)
    checked: dict[str, None] = {}
    unsupported: dict[str, None] = {}
    for mention in find_numbers(answer):
        checked.setdefault(mention.text)
        if not mention.required & available:
            unsupported.setdefault(mention.text)
    return GroundingReport(tuple(checked), tuple(unsupported))
