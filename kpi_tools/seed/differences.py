"""Where a later edition disagrees with the draft it supersedes.

The later edition wins everywhere (tools default to it), but each disagreement is kept so an
answer can say so: "the draft printed £119 million". Cosmetic differences (a bullet "•", a
`<p>` tag, page-break spacing) are ignored by comparing measures on `name_key`.
"""
from __future__ import annotations

from dataclasses import dataclass

from kpi_tools.normalise import name_key
from kpi_tools.seed.records import FigureRecord, FrameworkContent, MeasureRecord


@dataclass(frozen=True)
class Difference:
    """`key` identifies the measure (its name_key) or figure (name, area, period) in both editions."""

    subject: str  # measure | figure
    key: tuple
    field: str
    later_value: str
    draft_value: str


def compare(later: FrameworkContent, draft: FrameworkContent) -> list[Difference]:
    differences: list[Difference] = []
    later_measures = {name_key(m.name): m for m in later.measures}
    draft_measures = {name_key(m.name): m for m in draft.measures}
    for key, measure in later_measures.items():
        other = draft_measures.get(key)
        if other is None:
            differences.append(Difference("measure", (key,), "Measure", "listed", "not listed"))
            continue
        for field, value, other_value in _measure_fields(measure, other):
            if value != other_value:
                differences.append(Difference("measure", (key,), field, value, other_value))
    later_figures = {_figure_key(f): f for f in later.figures}
    for figure in draft.figures:
        match = later_figures.get(_figure_key(figure))
        if match is not None and match.value_text != figure.value_text:
            differences.append(Difference("figure", _figure_key(figure), "value", match.value_text, figure.value_text))
    return differences


def _measure_fields(measure: MeasureRecord, other: MeasureRecord):
    yield "Directorate", measure.directorate or "", other.directorate or ""
    yield "Lead Committee", measure.lead_committee or "", other.lead_committee or ""
    yield "Primary Outcome", measure.primary_outcome or "", other.primary_outcome or ""
    yield ("Secondary Outcome", "; ".join(o.text for o in measure.secondary_outcomes),
           "; ".join(o.text for o in other.secondary_outcomes))
    yield "Deprivation Indicator?", _flag(measure), _flag(other)


def _flag(measure: MeasureRecord) -> str:
    if measure.deprivation_indicator:
        return "ticked (✓)"
    return "not ticked (empty checkbox)" if measure.deprivation_printed == "empty checkbox" else "not ticked"


def _figure_key(figure: FigureRecord) -> tuple:
    return (figure.name, figure.area, figure.period)
