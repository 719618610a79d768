"""Assembling a briefing on one named outcome ("Ambition 3", "SO2", an outcome's title).

The headline block (`headline`): the outcome, its first commitments and the latest figures
(imported values with trend arrows, then figures the document prints for it). The detail, in
reading order (empty sections are left out):
1. What it means: the first sentence of the outcome's description (2010, 2016-21);
2. every commitment made under it ("Delivering the ambition", "What we promised", ...);
3. How progress is tracked: its measures with their latest imported value and target;
4. Related measures in earlier frameworks (see `related`), with values where imported;
5. Earlier frameworks / Carried forward in later frameworks: the lineage steps, quoted;
6. Headline figures the document prints for it.
Charts are drawn for the measures of sections 3 and 4 that have two or more values.
"""
from __future__ import annotations

import re

from bot.briefing.catalogue import Catalogue
from bot.briefing.headline import fit_headline
from bot.briefing.items import (
    HEADLINE_TEXT_LIMIT,
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
from bot.briefing.render_text import headline_text
from kpi_tools.lookups import MAX_LIMIT

MAX_ITEMS = 10  # per detail section
MAX_CHARTS = 4
COMMITMENT_HEADINGS = {
    "delivering the ambition": "Delivering the ambition",
    "what will we do": "What we said we would do",
    "priority promise": "What we promised",
}


def build_briefing(tools, catalogue: Catalogue, outcome, topic: str, matched: str | None = None) -> Briefing:
    ref = outcome.outcome
    framework = catalogue.framework(ref.doc_id)
    titles = {f.doc_id: f.title for f in catalogue.frameworks}
    detail: list[BriefingSection] = []
    charts: list[ChartSeries] = []

    meaning = meaning_item(framework, outcome)
    if meaning is not None:
        detail.append(BriefingSection("What it means", (meaning,)))
    commitments = catalogue.commitments.get(ref.id, ())
    commitment_heading = COMMITMENT_HEADINGS.get(commitments[0].kind, "Commitments") if commitments else ""
    figures = [f for f in tools.get_figures(framework=ref.doc_id, limit=MAX_LIMIT)
               if f.outcome is not None and f.outcome.id == ref.id]
    printed = {f.measure.id: f for f in figures if f.measure is not None}

    own_ids = [m.id for m in outcome.measures + outcome.defined_measures]
    tracked = measure_items(tools, own_ids, titles, ref.label, charts, printed)
    related_ids = []
    for measure in related_earlier_measures(catalogue, outcome):
        related_ids.append(measure.id)
        related_ids.extend(m.id for m in tools.get_measure(measure.id).related_measures)
    related_ids = [i for i in dict.fromkeys(related_ids) if i not in own_ids]
    related = measure_items(tools, related_ids, titles, ref.label, charts, printed, values_only_for_defined=True)

    detail.append(_section(commitment_heading, [commitment_item(c) for c in commitments]))
    detail.append(_section("How progress is tracked", [item for _, item, _, _ in tracked]))
    detail.append(_section("Related measures in earlier frameworks", [item for _, item, _, _ in related]))
    timeline = outcome_timeline(catalogue, outcome)
    detail.append(_section("Earlier frameworks",
                           [timeline_item(s) for s in timeline.steps if s.year < framework.period_start]))
    detail.append(_section("Carried forward in later frameworks",
                           [timeline_item(s) for s in timeline.steps if s.year > framework.period_start]))
    shown_printed = {id(f) for f in printed.values()}
    detail.append(_section("Headline figures", [figure_item(f, ref.label) for f in figures
                                                if id(f) not in shown_printed]))

    base = Briefing(
        topic=topic, heading=ref.label, doc_id=ref.doc_id, framework=framework.title,
        summary=outcome_item(framework, outcome), sections=(), charts=tuple(charts[:MAX_CHARTS]),
        notes=_notes(framework, timeline.notes), matched=matched,
        detail=tuple(s for s in detail if s.items),
    )
    latest = [brief for has_value, _, brief, _ in tracked + related if has_value]
    latest += [figure_item(f, ref.label) for f in figures if id(f) not in shown_printed]
    headline_commitments = [commitment_item(c, limit=HEADLINE_TEXT_LIMIT) for c in commitments]
    return with_headline(base, headline_commitments, latest, commitment_heading or "Commitments")


def with_headline(base: Briefing, commitments: list[BriefingItem], figures: list[BriefingItem],
                  commitments_title: str = "Commitments", statements: list[BriefingItem] = ()) -> Briefing:
    """`base` with the headline sections that fit one screen."""
    from dataclasses import replace

    sections, _ = fit_headline(commitments, figures,
                               lambda sections: len(headline_text(replace(base, sections=sections))),
                               commitments_title=commitments_title, statements=list(statements))
    briefing = replace(base, sections=sections)
    cited = {item.citation.doc_id for item in briefing.items() if item.citation is not None}
    notes = tuple(note for note in base.notes if _note_is_about(note, cited))
    return replace(briefing, notes=notes, full_notes=base.notes if notes != base.notes else None)


def _note_is_about(note: str, doc_ids: set[str]) -> bool:
    """Whether a framework note ("The 2010 Integrated Plan and the 2023-28 Strategic Framework
    are drafts") names a framework the headline cites: by the year it starts with."""
    starts = {found.group(0) for doc_id in doc_ids if (found := re.search(r"\d{4}", doc_id))}
    return any(re.search(rf"\b{start}\b", note) for start in starts)


def _section(title: str, items: list[BriefingItem]) -> BriefingSection:
    return BriefingSection(title, tuple(items[:MAX_ITEMS]), max(0, len(items) - MAX_ITEMS))


def measure_items(tools, measure_ids, titles, outcome_label, charts: list[ChartSeries], printed: dict, *,
                  values_only_for_defined: bool = False) -> list[tuple[bool, BriefingItem, BriefingItem, int]]:
    """(has a value, item, the item without its target for the headline, measure id) per measure: its latest imported value and trend, or the figure the
    document prints for it, or "no values imported yet"; in the given order unless there are
    more than MAX_ITEMS, when those with values go first so the cut spares them. While there
    is room, a chart for each with two or more values. With `values_only_for_defined`, an
    imported definition without values adds nothing and is left out."""
    items = []
    for measure_id in measure_ids:
        latest = tools.latest_value(measure_id)
        if values_only_for_defined and latest.value is None and not latest.measure.doc_id:
            continue
        trend = tools.trend(measure_id) if latest.measure.value_count >= 2 else None
        relative = None
        if latest.value is None and measure_id not in printed:
            relative = next((r.name for r in latest.measure.related_measures
                             if tools.latest_value(r.id).value is not None), None)
        found = dict(trend=trend, printed=printed.get(measure_id), relative=relative)
        item = measure_item(latest, titles, outcome_label, **found)
        if item is None:
            continue
        brief = measure_item(latest, titles, outcome_label, **found, brief=True)
        items.append((item.figure is not None, item, brief, measure_id))
        if trend is not None and len(charts) < MAX_CHARTS:
            series = chart_series(trend)
            if series is not None:
                charts.append(series)
    return items if len(items) <= MAX_ITEMS else sorted(items, key=lambda pair: not pair[0])


def _notes(framework, lineage_notes: tuple[str, ...]) -> tuple[str, ...]:
    """The lineage's notes (drafts, later editions) cover this framework too, when it has any."""
    if lineage_notes or framework.status != "draft":
        return lineage_notes
    return (f"The {framework.short_name.removesuffix(' (draft)')} is a draft, as published.",)
