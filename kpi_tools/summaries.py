"""Short plain-text renderings of tool results: what the LLM reads and what the CLI prints.

Pure functions of the result values, so they are tested by equality. They keep every figure
as printed (value_text) with its unit, period, area and source, and say when a value belongs
to a relative of a framework KPI rather than the KPI itself.
"""
from __future__ import annotations

from kpi_tools.results import (
    CommitmentResult,
    FigureResult,
    FrameworkSummary,
    LatestValue,
    MeasureDetail,
    MeasureSummary,
    OutcomeWithMeasures,
    RelatedOutcome,
    Trend,
)
from kpi_tools.series import format_value


def frameworks_text(frameworks: tuple[FrameworkSummary, ...]) -> str:
    lines = [f"{len(frameworks)} frameworks:"]
    for f in frameworks:
        state = f"superseded by {f.superseded_by}" if f.superseded_by else f.status
        lines.append(f"- {f.doc_id}: {f.title} ({f.period_start}-{f.period_end}, {state}); {f.outcomes} "
                     f"{f.outcome_kind or 'outcome'}s, {f.measures} measures, {f.commitments} commitments, "
                     f"{f.figures} figures")
    return "\n".join(lines)


def measures_text(measures: tuple[MeasureSummary, ...]) -> str:
    if not measures:
        return "No measures match."
    lines = [f"{len(measures)} measure{'s' if len(measures) != 1 else ''}:"]
    for m in measures:
        label = f"{m.code} – {m.name}" if m.code and not m.name.startswith(m.code) else m.name
        facts = [m.kind, m.doc_id or "not in a framework"]
        if m.directorate or m.lead_committee:
            facts.append(" / ".join(part for part in (m.directorate, m.lead_committee) if part))
        if m.primary_outcome:
            facts.append(f"primary outcome: {m.primary_outcome}")
        if m.deprivation_indicator:
            facts.append("deprivation indicator")
        if m.related_kpi:
            facts.append(f"related to (not the same as) KPI '{m.related_kpi.name}'")
        facts.append("has values" if m.has_values else "no values imported")
        lines.append(f"- [id {m.id}] {label} ({'; '.join(facts)})")
    return "\n".join(lines)


def measure_text(m: MeasureDetail) -> str:
    lines = [f"[id {m.id}] {m.name}", m.description]
    for link in m.outcomes:
        flag = "" if link.outcome else " (not one of the framework's outcomes)"
        lines.append(f"{link.role.capitalize()} outcome: {link.text}{flag}")
    if m.related_measures:
        lines.append("Related measures (not the same definition): " + "; ".join(r.label for r in m.related_measures))
    lines.extend(f"Edition difference: {d}" for d in m.edition_differences)
    if m.doc_id:
        lines.append(f"Source: {m.doc_id}, section '{m.section}': \"{m.quote}\"")
    lines.append(f"{m.value_count} imported value{'s' if m.value_count != 1 else ''}.")
    return "\n".join(lines)


def outcomes_text(outcomes: tuple[OutcomeWithMeasures, ...]) -> str:
    lines = []
    for o in outcomes:
        lines.append(f"- {o.outcome.label} ({o.outcome.doc_id})")
        if o.measures:
            lines.append("  measures: " + "; ".join(m.label for m in o.measures))
        if o.defined_measures:
            lines.append("  related published measures: " + "; ".join(m.label for m in o.defined_measures))
        if o.commitments:
            lines.append(f"  {len(o.commitments)} commitments")
    return "\n".join(lines) or "No outcomes."


def commitments_text(commitments: tuple[CommitmentResult, ...]) -> str:
    if not commitments:
        return "No commitments match."
    lines = [f"{len(commitments)} commitment{'s' if len(commitments) != 1 else ''}:"]
    for c in commitments:
        serves = f"; serves {c.outcome.label}" if c.outcome else (f"; under '{c.theme}'" if c.theme else "")
        tracked = f"; tracked by: {'; '.join(m.name for m in c.tracked_by)}" if c.tracked_by else ""
        lines.append(f"- \"{c.quote}\" ({c.doc_id}, section '{c.section}'{serves}{tracked})")
    return "\n".join(lines)


def figures_text(figures: tuple[FigureResult, ...]) -> str:
    if not figures:
        return "No figures match."
    lines = [f"{len(figures)} figure{'s' if len(figures) != 1 else ''}:"]
    for f in figures:
        where = ", ".join(part for part in (f.area, f.period) if part)
        line = f"- {f.name}: {format_value(f.value_text, f.unit)}" + (f" ({where})" if where else "")
        line += f" — {f.doc_id}, section '{f.section}': \"{f.quote}\""
        if f.edition_note:
            line += f" Note: {f.edition_note}"
        lines.append(line)
    return "\n".join(lines)


def latest_text(latest: LatestValue) -> str:
    return latest.summary


def trend_text(trend: Trend) -> str:
    lines = [trend.summary]
    lines.extend(f"- {p.period}: {format_value(p.value_text, p.unit)}" for p in trend.points)
    return "\n".join(lines)


def related_text(related: tuple[RelatedOutcome, ...]) -> str:
    if not related:
        return "No curated link to another framework's outcomes."
    lines = []
    for r in related:
        via = f" (via measure '{r.via_measure.name}')" if r.via_measure else ""
        lines.append(f"- {r.source.label} ({r.source.doc_id}) -> {r.target.label} ({r.target.doc_id}){via}: "
                     f"{r.evidence}")
    return "\n".join(lines)
