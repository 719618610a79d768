"""Reading headline figures out of a document with a short, curated list of rules.

A rule says what a figure is (name, unit, area, period) and gives a regular expression that
finds it in the normalised text. The value itself is always read from the match, never typed
in: if a document changes, the rule stops matching and seeding fails loudly, so a test catches
it. The quote stored is the whole match, so it is an exact substring of the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_tools.seed.records import FigureRecord, SeedError
from kpi_tools.values import parse_printed_value


@dataclass(frozen=True)
class FigureRule:
    """`pattern` must match exactly once and have a `value` group; `period`/`area` groups
    override the fixed `period`/`area`. A printed qualifier belongs inside the `value` group
    ("(?P<value>Around [\\d,]+)") so that `value_text` keeps it.

    `outcome` is the code or title of the outcome/ambition the figure belongs to, `measure`
    the start of the name of a measure of the same framework; both are checked at seeding.
    """

    name: str
    pattern: str
    unit: str
    section: str
    period: str | None = None
    area: str | None = None
    headline: str | None = None
    outcome: str | None = None
    measure: str | None = None


def extract_figures(doc_id: str, text: str, rules: tuple[FigureRule, ...]) -> tuple[FigureRecord, ...]:
    """Apply every rule to the normalised `text`; raise SeedError if one matches other than once."""
    figures = []
    for position, rule in enumerate(rules, start=1):
        matches = list(re.finditer(rule.pattern, text))
        if len(matches) != 1:
            raise SeedError(
                f"{doc_id}: figure rule {rule.name!r} matched {len(matches)} times, expected once"
            )
        match = matches[0]
        if rule.section not in text:
            raise SeedError(f"{doc_id}: section {rule.section!r} of figure {rule.name!r} is not in the text")
        groups = match.groupdict()
        printed = parse_printed_value(groups["value"])
        figures.append(
            FigureRecord(
                name=rule.name,
                value_text=groups["value"],
                value=printed.number,
                qualifier=printed.qualifier,
                unit=rule.unit,
                period=groups.get("period") or rule.period,
                area=groups.get("area") or rule.area,
                headline=rule.headline,
                outcome=rule.outcome,
                measure=rule.measure,
                position=position,
                section=rule.section,
                quote=match.group(0),
            )
        )
    return tuple(figures)
