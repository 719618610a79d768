"""Turning a measure's imported values into a latest value or a trend, with plain summaries.

A series belongs to one area. Comparator rows ("All English councils (median)") are never
taken as the council's own value; they are returned beside it for the same period.
"""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi_tools.models import Observation
from kpi_tools.queries import observation_value, relation_note
from kpi_tools.results import LatestValue, MeasureDetail, ObservationValue, Trend


def format_value(value_text: str, unit: str | None) -> str:
    """The printed value with its unit, without saying a word twice:
    "2.7" + "%" -> "2.7%"; "131,610" + "tonnes CO2e" -> "131,610 tonnes CO2e";
    "£124 million" + "£ million" -> "£124 million"; "over 2 million" + "million passengers" ->
    "over 2 million passengers"."""
    if not unit:
        return value_text
    if unit == "%":
        return value_text if value_text.endswith("%") else f"{value_text}%"
    printed = set(re.findall(r"[a-z]+", value_text.lower())) | ({"£"} if "£" in value_text else set())
    missing = [word for word in unit.split() if word.lower() not in printed]
    return " ".join([value_text, *missing])


def latest_of(session: Session, detail: MeasureDetail, observations: list[Observation],
              area: str | None) -> LatestValue:
    note = relation_note(detail)
    values = [observation_value(o, detail.ref) for o in observations]
    main_area = area or _main_area(values)
    own = [v for v in values if main_area and v.area.lower() == main_area.lower()]
    if not own:
        return LatestValue(detail, None, (), note, _no_values(session, detail, area))
    latest = own[-1]  # observations come ordered by period
    latest_sort = observations[values.index(latest)].period_sort
    comparators = tuple(
        v for v, o in zip(values, observations)
        if o.period_sort == latest_sort and v.area.lower() != latest.area.lower()
    )
    summary = (f"{detail.name}: {format_value(latest.value_text, latest.unit)} in {latest.area} for "
               f"{latest.period} (source: {latest.source}).")
    if comparators:
        summary += " Compare: " + "; ".join(
            f"{c.area} {format_value(c.value_text, c.unit)}" for c in comparators) + "."
    if note:
        summary += " " + note
    return LatestValue(detail, latest, comparators, note, summary)


def trend_of(detail: MeasureDetail, observations: list[Observation], area: str | None) -> Trend:
    note = relation_note(detail)
    values = [observation_value(o, detail.ref) for o in observations]
    main_area = area or _main_area(values)
    points = tuple(v for v in values if main_area and v.area.lower() == main_area.lower())
    if len(points) < 2:
        direction, change = "not enough data", None
    else:
        change = round(points[-1].value - points[0].value, 10)
        direction = "rising" if change > 0 else "falling" if change < 0 else "unchanged"
    if not points:
        summary = f"No values have been imported for {detail.name}" + (f" in {area}." if area else ".")
    else:
        first, last = points[0], points[-1]
        summary = (f"{detail.name} in {last.area}: {format_value(first.value_text, first.unit)} in {first.period}"
                   f" to {format_value(last.value_text, last.unit)} in {last.period} ({len(points)} values, "
                   f"{direction}; source: {last.source}).")
    if note:
        summary += " " + note
    return Trend(detail, main_area, points, change, direction, note, summary)


def _main_area(values: list[ObservationValue]) -> str | None:
    """The area with the most own (non-comparator) values; ties go to the newest."""
    own = [v for v in values if not v.is_comparator]
    if not own:
        return None
    counts = Counter(v.area for v in own)
    best = max(counts.values())
    return next(v.area for v in reversed(own) if counts[v.area] == best)


def _no_values(session: Session, detail: MeasureDetail, area: str | None) -> str:
    where = f" for {area}" if area else ""
    text = f"No values have been imported for '{detail.name}'{where}. {detail.description}"
    related_ids = [m.id for m in detail.related_measures]
    if related_ids:
        with_values = set(session.scalars(
            select(Observation.measure_id).where(Observation.measure_id.in_(related_ids)).distinct()))
        held = [m.label for m in detail.related_measures if m.id in with_values]
        if held:
            text += (" Related measures with values (not the same definition): " + "; ".join(held) + ".")
    return text
