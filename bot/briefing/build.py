"""Assembling a briefing on one outcome from the KPI tools.

Sections, in reading order (empty ones are left out):
1. What it means: the first sentence of the outcome's description (2010, 2016-21);
2. the commitments made under it ("Delivering the ambition", "What we promised", ...);
3. How progress is tracked: its measures with their latest imported value and target;
4. Related measures in earlier frameworks (see `related`), with values where imported;
5. Earlier frameworks / Carried forward in later frameworks: the lineage steps, quoted;
6. Headline figures the document prints for it.
Charts are drawn for the measures of sections 3 and 4 that have two or more values.
"""
from __future__ import annotations

from bot.briefing.catalogue import Catalogue
from bot.briefing.items import (
    chart_series,
    commitment_item,
    figure_item,
    meaning_item,
    measure_item,
    outcome_item,
    timeline_item,
)
from bot.briefing.lineage import outcome_timeline
from bot.briefing.model import Briefing, BriefingItem, BriefingSection, ChartSeries
from bot.briefing.related import related_earlier_measures
from bot.briefing.resolve import Resolution
from kpi_tools.lookups import MAX_LIMIT

MAX_ITEMS = 10  # per section: one screen
MAX_CHARTS = 4
COMMITMENT_HEADINGS = {
    "delivering the ambition": "Delivering the ambition",
    "what will we do": "What we said we would do",
    "priority promise": "What we promised",
}


def build_briefing(tools, catalogue: Catalogue, resolution: Resolution, topic: str) -> Briefing:
    outcome = resolution.outcome
    ref = outcome.outcome
    framework = catalogue.framework(ref.doc_id)
    titles = {f.doc_id: f.title for f in catalogue.frameworks}
    sections: list[BriefingSection] = []
    charts: list[ChartSeries] = []

    meaning = meaning_item(framework, outcome)
    if meaning is not None:
        sections.append(BriefingSection("What it means", (meaning,)))
    commitments = catalogue.commitments.get(ref.id, ())
    if commitments:
        heading = COMMITMENT_HEADINGS.get(commitments[0].kind, "Commitments")
        sections.append(_section(heading, [commitment_item(c) for c in commitments]))

    own_ids = [m.id for m in outcome.measures + outcome.defined_measures]
    sections.append(_section("How progress is tracked", _measure_items(tools, own_ids, titles, ref.label, charts)))
    related_ids = []
    for measure in related_earlier_measures(catalogue, outcome):
        related_ids.append(measure.id)
        related_ids.extend(m.id for m in tools.get_measure(measure.id).related_measures)
    related_ids = [i for i in dict.fromkeys(related_ids) if i not in own_ids]
    sections.append(_section("Related measures in earlier frameworks",
                             _measure_items(tools, related_ids, titles, ref.label, charts,
                                            values_only_for_defined=True)))

    timeline = outcome_timeline(catalogue, outcome)
    sections.append(_section("Earlier frameworks",
                             [timeline_item(s) for s in timeline.steps if s.year < framework.period_start]))
    sections.append(_section("Carried forward in later frameworks",
                             [timeline_item(s) for s in timeline.steps if s.year > framework.period_start]))
    figures = [f for f in tools.get_figures(framework=ref.doc_id, limit=MAX_LIMIT)
               if f.outcome is not None and f.outcome.id == ref.id]
    sections.append(_section("Headline figures", [figure_item(f, ref.label) for f in figures]))

    return Briefing(
        topic=topic, heading=ref.label, doc_id=ref.doc_id, framework=framework.title,
        summary=outcome_item(framework, outcome),
        sections=tuple(s for s in sections if s.items), charts=tuple(charts[:MAX_CHARTS]),
        notes=_notes(framework, timeline.notes), matched=resolution.matched,
    )


def _section(title: str, items: list[BriefingItem]) -> BriefingSection:
    return BriefingSection(title, tuple(items[:MAX_ITEMS]), max(0, len(items) - MAX_ITEMS))


def _measure_items(tools, measure_ids, titles, outcome_label, charts: list[ChartSeries], *,
                   values_only_for_defined: bool = False) -> list[BriefingItem]:
    """An item per measure (latest value and target), in the given order unless there are more
    than MAX_ITEMS, when those with values go first so the cut spares them; and, while there is
    room, a chart for each with two or more values. In the related section an imported
    definition without values adds nothing and is left out."""
    items = []
    for measure_id in measure_ids:
        latest = tools.latest_value(measure_id)
        if values_only_for_defined and latest.value is None and not latest.measure.doc_id:
            continue
        item = measure_item(latest, titles, outcome_label)
        if item is None:
            continue
        items.append(item)
        if latest.measure.value_count >= 2 and len(charts) < MAX_CHARTS:
            series = chart_series(tools.trend(measure_id))
            if series is not None:
                charts.append(series)
    return items if len(items) <= MAX_ITEMS else sorted(items, key=lambda item: item.figure is None)


def _notes(framework, lineage_notes: tuple[str, ...]) -> tuple[str, ...]:
    """The lineage's notes (drafts, later editions) cover this framework too, when it has any."""
    if lineage_notes or framework.status != "draft":
        return lineage_notes
    return (f"The {framework.short_name.removesuffix(' (draft)')} is a draft, as published.",)
