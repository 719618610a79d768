"""Turning KPI tool results into briefing items, each with its citation or source.

Pure functions: one per kind of result. Text is short and plain; numbers are printed exactly
as the document or the imported data gave them (`kpi_tools.series.format_value`).
"""
from __future__ import annotations

import re

from bot.answer import Citation, Figure
from bot.briefing.catalogue import FrameworkInfo
from bot.briefing.model import BriefingItem, ChartPoint, ChartSeries, TimelineStep
from kpi_tools.normalise import name_key
from kpi_tools.results import CommitmentResult, FigureResult, LatestValue, OutcomeWithMeasures, Trend
from kpi_tools.series import format_value

_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def outcome_item(framework: FrameworkInfo, outcome: OutcomeWithMeasures) -> BriefingItem:
    ref = outcome.outcome
    citation = Citation(framework.doc_id, framework.title, outcome.section, outcome.quote or ref.title)
    return BriefingItem(ref.label, citation)


def meaning_item(framework: FrameworkInfo, outcome: OutcomeWithMeasures) -> BriefingItem | None:
    """The first sentence of the outcome's description, when it says more than the title
    (an ambition's "description" is its heading again, and is left out)."""
    if not outcome.description:
        return None
    sentence = _SENTENCE_END.split(outcome.description.strip(), maxsplit=1)[0]
    if not sentence.endswith((".", "!", "?")) or name_key(sentence) == name_key(outcome.outcome.title):
        return None
    return BriefingItem(sentence, Citation(framework.doc_id, framework.title, outcome.section, sentence))


ARROWS = {"rising": "↑", "falling": "↓", "unchanged": "→"}
HEADLINE_TEXT_LIMIT = 240  # characters of a commitment in the headline block; the quote stays whole


def commitment_item(commitment: CommitmentResult, prefix: str | None = None, *,
                    limit: int | None = None) -> BriefingItem:
    """The commitment in its own words; `prefix` names its framework when that is not the
    briefing's ("2010 Integrated Plan (draft): ..."); `limit` cuts a long one at a word with
    "…" (the citation keeps the whole quote)."""
    text = " ".join(commitment.text.split())
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return BriefingItem(f"{prefix}: {text}" if prefix else text,
                        Citation(commitment.doc_id, commitment.doc_title, commitment.section, commitment.quote))


def figure_item(figure: FigureResult, outcome_label: str | None) -> BriefingItem:
    where = [part for part in (figure.area, figure.period) if part and part.lower() not in figure.name.lower()]
    text = f"{figure.name}: {_printed(figure.value_text, figure.unit)}" + (f" ({', '.join(where)})" if where else "")
    return BriefingItem(
        text,
        Citation(figure.doc_id, figure.doc_title, figure.section, figure.quote),
        figure=Figure(figure.name, figure.value_text, figure.unit, figure.period, figure.area, figure.doc_id,
                      outcome_label),
        note=figure.edition_note,
    )


def measure_item(latest: LatestValue, titles: dict[str, str], outcome_label: str | None, *,
                 trend: Trend | None = None, printed: FigureResult | None = None,
                 relative: str | None = None, brief: bool = False) -> BriefingItem | None:
    """The measure with its latest imported value and target, or "no values imported yet".

    With `trend` (two or more values) the line ends with an arrow and the previous value; a
    measure with no imported value but a `printed` figure shows that figure instead, so a
    briefing never calls a measure it shows a value for "no values imported yet"; nor a KPI
    whose `relative` (an imported measure that informs it) has values shown. `brief` leaves
    out the target and the note (the headline block; the detail has them). A framework measure is cited by its row in the
    document; an imported value by its source. A measure with neither (an imported definition
    with no values and no publisher) is left out.
    """
    detail = latest.measure
    citation = None
    if detail.doc_id and detail.quote:
        citation = Citation(detail.doc_id, titles.get(detail.doc_id, detail.doc_title or detail.doc_id),
                            detail.section, detail.quote)
    value = latest.value
    if value is None and printed is not None:
        shown = figure_item(printed, outcome_label)
        where = ", ".join(part for part in (printed.period, printed.area) if part)
        text = (f"{detail.name}: {_printed(printed.value_text, printed.unit)}" + (f" ({where})" if where else "")
                + " as printed in the document")
        return BriefingItem(text, shown.citation, figure=shown.figure, note=None if brief else shown.note)
    if value is None:
        source = None if citation else detail.publisher
        if citation is None and not source:
            return None
        if relative is not None:
            return BriefingItem(f"{detail.name}: values are imported for its relative ‘{relative}’", citation, source)
        return BriefingItem(f"{detail.name}: no values imported yet", citation, source)
    target = (f"target {format_value(f'{value.target:g}', value.unit)}" if value.target is not None
              else "no target imported")
    text = f"{detail.name}: {format_value(value.value_text, value.unit)} ({value.period}, {value.area})"
    text += _movement(trend) + ("" if brief else f"; {target}")
    figure = Figure(detail.name, value.value_text, value.unit, value.period, value.area, None, outcome_label,
                    value.source)
    return BriefingItem(text, citation, value.source, figure, None if brief else latest.relation_note)


def _movement(trend: Trend | None) -> str:
    """" ↓ from 87.7% (2021-22)": the arrow from the previous value to the latest."""
    if trend is None or len(trend.points) < 2:
        return ""
    previous, last = trend.points[-2], trend.points[-1]
    change = last.value - previous.value
    arrow = ARROWS["rising" if change > 0 else "falling" if change < 0 else "unchanged"]
    return f" {arrow} from {format_value(previous.value_text, previous.unit)} ({previous.period})"


def timeline_item(step: TimelineStep) -> BriefingItem:
    return BriefingItem(f"{step.framework}, {step.statement}", step.citation)


def chart_series(trend: Trend) -> ChartSeries | None:
    """The trend as a plottable series; None with fewer than two values."""
    points = trend.points
    if len(points) < 2 or trend.area is None:
        return None
    return ChartSeries(
        measure=trend.measure.name, code=trend.measure.code, unit=points[-1].unit or trend.measure.unit,
        area=trend.area,
        points=tuple(ChartPoint(p.period, p.value, p.value_text, p.target) for p in points),
        sources=tuple(dict.fromkeys(p.source for p in points)), note=trend.relation_note,
    )


def _printed(value_text: str, unit: str | None) -> str:
    """A year is printed alone ("2045"), not "2045 year"."""
    return value_text if unit == "year" else format_value(value_text, unit)
