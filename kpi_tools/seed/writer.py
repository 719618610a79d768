"""Storing parsed framework content, keeping the ids of rows that other rows point at.

Frameworks, outcomes and measures are matched on their natural keys (document id, title,
printed name) and updated in place, so imported observations and measure definitions stay
linked when the corpus is re-seeded. Leaf rows (figures, commitments, outcome links,
differences) are replaced wholesale. A measure that disappears from a document is removed
unless values were imported for it; then it is kept and reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kpi_tools.models import (
    Commitment,
    CommitmentMeasure,
    EditionDifference,
    Figure,
    Framework,
    Measure,
    MeasureOutcome,
    Observation,
    Outcome,
)
from kpi_tools.normalise import name_key
from kpi_tools.seed.differences import Difference
from kpi_tools.seed.records import FrameworkContent, SeedError
from retrieval.corpus import DocumentInfo


@dataclass
class WriteCounts:
    outcomes: int = 0
    measures: int = 0
    commitments: int = 0
    figures: int = 0
    kept_measures: list[str] = field(default_factory=list)


def write_framework(session: Session, document: DocumentInfo, superseded_by: str | None,
                    content: FrameworkContent, counts: WriteCounts) -> Framework:
    framework = session.scalar(select(Framework).where(Framework.doc_id == document.id))
    if framework is None:
        framework = Framework(doc_id=document.id)
        session.add(framework)
    framework.title = document.title
    framework.status = document.status
    framework.period_start = document.period_start
    framework.period_end = document.period_end
    framework.superseded_by = superseded_by
    session.flush()
    _clear_leaves(session, framework.id)
    outcomes = _write_outcomes(session, framework, content)
    measures = _write_measures(session, framework, content, outcomes, counts)
    _write_commitments(session, framework, content, outcomes, measures)
    _write_figures(session, framework, content, outcomes, measures)
    counts.outcomes += len(content.outcomes)
    counts.measures += len(content.measures)
    counts.commitments += len(content.commitments)
    counts.figures += len(content.figures)
    return framework


def write_differences(session: Session, later: Framework, draft: Framework, differences: list[Difference]) -> int:
    """One row per side: on the later edition's row and on the draft's row."""
    count = 0
    for difference in differences:
        for framework, value, other, other_value in (
            (later, difference.later_value, draft, difference.draft_value),
            (draft, difference.draft_value, later, difference.later_value),
        ):
            target = _difference_target(session, framework, difference)
            if target is None:
                continue
            session.add(EditionDifference(
                field=difference.field, doc_id=framework.doc_id, value=value,
                other_doc_id=other.doc_id, other_value=other_value, **target,
            ))
            count += 1
    return count


def _difference_target(session: Session, framework: Framework, difference: Difference) -> dict | None:
    if difference.subject == "measure":
        measure_id = session.scalar(select(Measure.id).where(
            Measure.framework_id == framework.id, Measure.name_key == difference.key[0]))
        return None if measure_id is None else {"measure_id": measure_id}
    name, area, period = difference.key
    figure_id = session.scalar(select(Figure.id).where(
        Figure.framework_id == framework.id, Figure.name == name, Figure.area == area, Figure.period == period))
    return None if figure_id is None else {"figure_id": figure_id}


def _clear_leaves(session: Session, framework_id: int) -> None:
    measure_ids = select(Measure.id).where(Measure.framework_id == framework_id)
    figure_ids = select(Figure.id).where(Figure.framework_id == framework_id)
    session.execute(delete(EditionDifference).where(EditionDifference.measure_id.in_(measure_ids)))
    session.execute(delete(EditionDifference).where(EditionDifference.figure_id.in_(figure_ids)))
    session.execute(delete(MeasureOutcome).where(MeasureOutcome.measure_id.in_(measure_ids)))
    commitment_ids = select(Commitment.id).where(Commitment.framework_id == framework_id)
    session.execute(delete(CommitmentMeasure).where(CommitmentMeasure.commitment_id.in_(commitment_ids)))
    session.execute(delete(Commitment).where(Commitment.framework_id == framework_id))
    session.execute(delete(Figure).where(Figure.framework_id == framework_id))


def _write_outcomes(session: Session, framework: Framework, content: FrameworkContent) -> dict[str, Outcome]:
    existing = {o.title: o for o in session.scalars(select(Outcome).where(Outcome.framework_id == framework.id))}
    outcomes = {}
    for record in content.outcomes:
        outcome = existing.pop(record.title, None) or Outcome(framework_id=framework.id, title=record.title)
        outcome.kind, outcome.code, outcome.description = record.kind, record.code, record.description
        outcome.position, outcome.section, outcome.quote = record.position, record.section, record.quote
        session.add(outcome)
        outcomes[record.title] = outcome
        if record.code:
            outcomes[record.code] = outcome
    for stale in existing.values():
        session.delete(stale)
    session.flush()
    return outcomes


def _write_measures(session, framework, content, outcomes, counts) -> dict[str, Measure]:
    existing = {m.name_key: m for m in session.scalars(select(Measure).where(Measure.framework_id == framework.id))}
    measures = {}
    for record in content.measures:
        key = name_key(record.name)
        measure = existing.pop(key, None) or Measure(framework_id=framework.id, name_key=key)
        for attribute in ("kind", "name", "code", "directorate", "lead_committee", "deprivation_indicator",
                          "position", "section", "quote"):
            setattr(measure, attribute, getattr(record, attribute))
        measure.doc_id = framework.doc_id
        session.add(measure)
        measures[key] = measure
    session.flush()
    for record in content.measures:
        measure = measures[name_key(record.name)]
        links = [("primary", record.primary_outcome, True)] if record.primary_outcome else []
        links += [("secondary", printed.text, printed.known) for printed in record.secondary_outcomes]
        for position, (role, text, known) in enumerate(links, start=1):
            outcome = outcomes.get(text) if known else None
            if known and outcome is None:
                raise SeedError(f"{framework.doc_id}: measure {record.name[:60]!r} names unknown outcome {text!r}")
            session.add(MeasureOutcome(
                measure_id=measure.id, outcome_id=outcome.id if outcome else None, role=role,
                outcome_text=text, matches_known_outcome=known, position=position,
            ))
    for stale in existing.values():
        has_values = session.scalar(select(Observation.id).where(Observation.measure_id == stale.id).limit(1))
        if has_values:
            counts.kept_measures.append(stale.name)
        else:
            session.delete(stale)
    session.flush()
    return measures


def _write_commitments(session, framework, content, outcomes, measures) -> None:
    tracking: dict[int, list[int]] = {}
    for record in content.measures:
        if record.primary_outcome in outcomes:
            tracking.setdefault(outcomes[record.primary_outcome].id, []).append(measures[name_key(record.name)].id)
    for record in content.commitments:
        outcome = outcomes.get(record.outcome_title) if record.outcome_title else None
        commitment = Commitment(
            framework_id=framework.id, outcome_id=outcome.id if outcome else None, kind=record.kind,
            text=record.text, detail=record.detail, theme=record.theme, doc_id=framework.doc_id,
            section=record.section, quote=record.quote, position=record.position,
        )
        session.add(commitment)
        session.flush()
        for measure_id in tracking.get(outcome.id, []) if outcome else []:
            session.add(CommitmentMeasure(commitment_id=commitment.id, measure_id=measure_id))


def _write_figures(session, framework, content, outcomes, measures) -> None:
    for record in content.figures:
        outcome = outcomes.get(record.outcome) if record.outcome else None
        if record.outcome and outcome is None:
            raise SeedError(f"{framework.doc_id}: figure {record.name!r} names unknown outcome {record.outcome!r}")
        measure = None
        if record.measure:
            prefix = name_key(record.measure)
            measure = next((m for key, m in measures.items() if key.startswith(prefix)), None)
            if measure is None:
                raise SeedError(f"{framework.doc_id}: figure {record.name!r} names unknown measure {record.measure!r}")
        session.add(Figure(
            framework_id=framework.id, name=record.name, value_text=record.value_text, value=record.value,
            qualifier=record.qualifier, unit=record.unit, period=record.period, area=record.area,
            headline=record.headline, measure_id=measure.id if measure else None,
            outcome_id=outcome.id if outcome else None, doc_id=framework.doc_id, section=record.section,
            quote=record.quote, position=record.position,
        ))
    session.flush()
