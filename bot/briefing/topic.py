"""Assembling a briefing on a topic ("broadband", "road safety") from the evidence: whatever
the records of every current framework say about it (`evidence`), not a theme table.

Heading: the outcome the evidence belongs to in the newest framework that has any (for
broadband, the 2021-25 priority that promised it, with a line saying the 2023-28 framework
makes no commitment on it and naming its nearest ambition). Headline block: the commitments
on the topic, current first (where the newest framework names none but its ambition tracks
the subject, that ambition's own first commitments, titled as such), and the latest figures:
imported values with trend arrows, then figures the documents print. Detail: every commitment
grouped as the commitments look-up groups them (earlier frameworks marked with what replaced
them), every measure on the subject, every printed figure.
"""
from __future__ import annotations

from dataclasses import replace

from bot.answer import Citation
from bot.briefing.build import MAX_CHARTS, measure_items, with_headline
from bot.briefing.catalogue import Catalogue
from bot.briefing.commitments import look_up_commitments
from bot.briefing.errors import UnknownTopic
from bot.briefing.evidence import Evidence, best_outcomes, nearest_ambition
from bot.briefing.items import HEADLINE_TEXT_LIMIT, commitment_item, figure_item, outcome_item
from bot.briefing.lineage import _notes as framework_notes
from bot.briefing.model import Briefing, BriefingItem, BriefingSection, ChartSeries
from bot.briefing.resolve import unknown_message

MAX_ITEMS = 10  # per detail section
PADDING = 3  # the ambition's own commitments shown when the newest framework names none on the topic


def build_topic_briefing(tools, catalogue: Catalogue, evidence: Evidence) -> Briefing:
    topic = evidence.topic
    ranked = best_outcomes(catalogue, evidence)
    if not ranked:
        raise UnknownTopic(unknown_message(catalogue, topic))
    ref = ranked[0]
    outcome = catalogue.find((ref.doc_id, ref.code or ref.title))
    framework = catalogue.framework(ref.doc_id)
    newest = catalogue.newest
    order = {f.doc_id: i for i, f in enumerate(catalogue.frameworks)}
    nearest = nearest_ambition(catalogue, evidence)
    lookup = look_up_commitments(catalogue, evidence, nearest)

    # Commitments: the look-up's groups in the detail; current ones, the ambition's own where
    # the newest framework names none on the topic, then earlier ones, in the headline.
    detail: list[BriefingSection] = []
    for group in lookup.groups:
        items = [BriefingItem(f"{line.text.rstrip('.')} ({line.outcome})" if line.outcome else line.text,
                              line.citation) for line in group.lines]
        detail.append(BriefingSection(group.heading.rstrip(":"), tuple(items), group.omitted))
    by_id = {c.id: c for _, c in evidence.commitments}
    current = [c for c in by_id.values() if c.doc_id == newest.doc_id]
    earlier = sorted((c for c in by_id.values() if c.doc_id != newest.doc_id), key=lambda c: -order[c.doc_id])
    headline_commitments = [commitment_item(c, limit=HEADLINE_TEXT_LIMIT) for c in current]
    title = "Commitments"
    if not current and ref.doc_id == newest.doc_id:
        own = list(catalogue.commitments.get(ref.id, ()))[:PADDING]
        headline_commitments = [commitment_item(c, limit=HEADLINE_TEXT_LIMIT) for c in own]
        title = f"Commitments under {ref.code or ref.title}"
    headline_commitments += [commitment_item(c, catalogue.framework(c.doc_id).short_name, limit=HEADLINE_TEXT_LIMIT)
                             for c in earlier]

    # Measures and figures on the subject, newest framework first; imported definitions last.
    measures = sorted((m for _, m in evidence.measures),
                      key=lambda m: (m.summary.doc_id is None, -order.get(m.summary.doc_id or "", -1)))
    figures = sorted((f for _, f in evidence.figures), key=lambda f: -order.get(f.doc_id, -1))
    printed = {f.measure.id: f for f in figures if f.measure is not None}
    titles = {f.doc_id: f.title for f in catalogue.frameworks}
    charts: list[ChartSeries] = []
    tracked_ids = [m.summary.id for m in measures]
    tracked = measure_items(tools, tracked_ids, titles, ref.label, charts, printed)
    tracked.sort(key=lambda entry: not entry[0])  # with a value first: the cut spares them
    shown = {id(f) for f in printed.values() if f.measure.id in {m.summary.id for m in measures}}
    other_figures = [f for f in figures if id(f) not in shown]
    context = {m.summary.id: _measure_context(catalogue, m) for m in measures}
    detail.append(_section("How progress is tracked", [
        replace(item, text=f"{item.text} ({context[measure_id]})") if context.get(measure_id) else item
        for _, item, _, measure_id in tracked]))
    detail.append(_section("Figures printed in the documents", [figure_item(f, _label(f)) for f in other_figures]))
    said = [_statement_item(catalogue, o, sentence) for o, sentence in
            sorted(evidence.statements, key=lambda pair: -order[pair[0].outcome.doc_id])]
    detail.append(_section("What the frameworks say about it", said))

    used = ({ref.doc_id} | {c.doc_id for c in by_id.values()} | {f.doc_id for f in figures}
            | {o.outcome.doc_id for o, _ in evidence.statements})
    base = Briefing(
        topic=topic, heading=ref.label, doc_id=ref.doc_id, framework=framework.title,
        summary=outcome_item(framework, outcome), sections=(), charts=tuple(charts[:MAX_CHARTS]),
        notes=framework_notes([f for f in catalogue.frameworks if f.doc_id in used]),
        matched=_matched(catalogue, evidence, ref, nearest, bool(current)),
        detail=tuple(s for s in detail if s.items),
    )
    latest = [brief for has_value, _, brief, _ in tracked if has_value]
    latest += [figure_item(f, _label(f)) for f in other_figures]
    return with_headline(base, headline_commitments, latest, title, said)


def _statement_item(catalogue: Catalogue, outcome, sentence: str) -> BriefingItem:
    framework = catalogue.framework(outcome.outcome.doc_id)
    return BriefingItem(f"{framework.short_name}, {outcome.outcome.label}: “{sentence}”",
                        Citation(framework.doc_id, framework.title, outcome.section, sentence))


def _measure_context(catalogue: Catalogue, measure) -> str | None:
    """"2016-21 Strategic Framework KPI, The Cambridgeshire economy prospers ..." for a
    framework's measure; None for an imported one (its note says what it informs)."""
    summary = measure.summary
    if summary.doc_id is None:
        return None
    where = f"{catalogue.framework(summary.doc_id).short_name} {summary.kind}"
    return f"{where}, {measure.outcome.code or measure.outcome.title}" if measure.outcome else where


def _label(figure) -> str | None:
    return figure.outcome.label if figure.outcome is not None else None


def _section(title: str, items: list[BriefingItem]) -> BriefingSection:
    return BriefingSection(title, tuple(items[:MAX_ITEMS]), max(0, len(items) - MAX_ITEMS))


def _matched(catalogue: Catalogue, evidence: Evidence, ref, nearest, has_current: bool) -> str:
    counts = [(len(evidence.commitments), "commitment"), (len(evidence.measures), "measure"),
              (len(evidence.figures), "printed figure"), (len(evidence.statements), "statement")]
    found = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts if n)
    text = f"Briefing on “{evidence.topic}” from what the frameworks say about it: {found}."
    newest = catalogue.newest
    if not has_current:
        text += f" The {newest.short_name} makes no commitment on it"
        if nearest is not None and nearest.id != ref.id:
            text += f"; its nearest ambition is {nearest.label}"
        text += "."
    return text
