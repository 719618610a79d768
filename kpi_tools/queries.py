"""Building result values from database rows: the shared steps behind the KPI tools.

Kept apart from `tools.py` so each tool method reads as argument checks, one query and a call
to these builders.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kpi_tools.models import (
    EditionDifference,
    Figure,
    Framework,
    Measure,
    MeasureOutcome,
    Observation,
    Outcome,
)
from kpi_tools.results import (
    FigureResult,
    MeasureDetail,
    MeasureOutcomeLink,
    MeasureRef,
    ObservationValue,
    OutcomeRef,
)

COMPARATOR_MARKERS = ("median", "average", "all english", "england", "comparator")


def is_comparator_area(area: str) -> bool:
    """Rows such as "All English councils (median)" compare; they are not Cambridgeshire's value."""
    lowered = area.lower()
    return any(marker in lowered for marker in COMPARATOR_MARKERS)


def outcome_ref(outcome: Outcome) -> OutcomeRef:
    return OutcomeRef(outcome.id, outcome.framework.doc_id, outcome.kind, outcome.code, outcome.title)


def measure_ref(measure: Measure) -> MeasureRef:
    return MeasureRef(measure.id, measure.code, measure.name, measure.kind, measure.doc_id)


def measure_detail(session: Session, measure: Measure) -> MeasureDetail:
    links = tuple(
        MeasureOutcomeLink(link.role, link.outcome_text, outcome_ref(link.outcome) if link.outcome else None)
        for link in measure.outcome_links
    )
    related_kpi = session.get(Measure, measure.related_measure_id) if measure.related_measure_id else None
    related_outcome = session.get(Outcome, measure.related_outcome_id) if measure.related_outcome_id else None
    related_measures = tuple(
        measure_ref(m) for m in session.scalars(
            select(Measure).where(Measure.related_measure_id == measure.id).order_by(Measure.code))
    )
    differences = tuple(
        describe_difference(d) for d in session.scalars(
            select(EditionDifference).where(EditionDifference.measure_id == measure.id).order_by(EditionDifference.id))
    )
    value_count = session.scalar(select(func.count()).where(Observation.measure_id == measure.id)) or 0
    framework = measure.framework
    return MeasureDetail(
        id=measure.id, code=measure.code, name=measure.name, kind=measure.kind, doc_id=measure.doc_id,
        doc_title=framework.title if framework else None, section=measure.section, quote=measure.quote,
        directorate=measure.directorate, lead_committee=measure.lead_committee,
        deprivation_indicator=measure.deprivation_indicator, unit=measure.unit, definition=measure.definition,
        publisher=measure.publisher, outcomes=links,
        related_kpi=measure_ref(related_kpi) if related_kpi else None,
        related_outcome=outcome_ref(related_outcome) if related_outcome else None,
        related_measures=related_measures, edition_differences=differences, value_count=value_count,
        description=describe_measure(measure, links, related_kpi, related_outcome),
    )


def describe_measure(measure: Measure, links, related_kpi, related_outcome) -> str:
    """One sentence: what the measure is, who leads it, what it serves."""
    if measure.kind == "defined measure":
        text = f"{measure.name} ({measure.code})"
        if measure.definition:
            text += f": {measure.definition}"
        if measure.publisher:
            text += f". Published by {measure.publisher}"
        if related_kpi is not None:
            text += f". It informs, but is not, the 2016-21 KPI '{related_kpi.name}'"
        if related_outcome is not None:
            text += f". Related outcome: {related_outcome.title}"
        return text + "."
    text = f"'{measure.name}' is a {measure.kind} of {measure.doc_id}"
    leads = [part for part in (
        f"the {measure.directorate} directorate" if measure.directorate else None,
        f"the {measure.lead_committee} committee" if measure.lead_committee else None) if part]
    if leads:
        text += ", led by " + " and ".join(leads)
    primary = next((link for link in links if link.role == "primary"), None)
    if primary is not None:
        text += f"; it serves '{primary.text}'"
    if measure.deprivation_indicator:
        text += "; it is a deprivation indicator"
    return text + "."


def describe_difference(difference: EditionDifference) -> str:
    return (f"{difference.field}: {difference.doc_id} prints {difference.value}; "
            f"{difference.other_doc_id} printed {difference.other_value}.")


def observation_value(observation: Observation, measure: MeasureRef) -> ObservationValue:
    return ObservationValue(
        measure=measure, period=observation.period, value_text=observation.value_text, value=observation.value,
        qualifier=observation.qualifier, unit=observation.unit, area=observation.area, target=observation.target,
        source=observation.source, note=observation.note, is_comparator=is_comparator_area(observation.area),
    )


def figure_result(session: Session, figure: Figure, frameworks: dict[str, Framework]) -> FigureResult:
    framework = frameworks[figure.doc_id]
    note = None
    difference = session.scalar(select(EditionDifference).where(EditionDifference.figure_id == figure.id).limit(1))
    if difference is not None:
        other = frameworks.get(difference.other_doc_id)
        role = "draft edition" if other is not None and other.superseded_by else "later edition"
        note = f"The {role} ({difference.other_doc_id}) printed {difference.other_value}."
        if framework.superseded_by:
            note += f" {framework.superseded_by} supersedes this edition."
    return FigureResult(
        id=figure.id, name=figure.name, value_text=figure.value_text, value=figure.value,
        qualifier=figure.qualifier, unit=figure.unit, period=figure.period, area=figure.area,
        headline=figure.headline, doc_id=figure.doc_id, doc_title=framework.title, doc_status=framework.status,
        section=figure.section, quote=figure.quote,
        outcome=outcome_ref(figure.outcome) if figure.outcome else None,
        measure=measure_ref(figure.measure) if figure.measure else None,
        superseded_by=framework.superseded_by, edition_note=note,
    )


def relation_note(detail: MeasureDetail) -> str | None:
    """Say plainly when values belong to a relative of a framework KPI, not the KPI itself."""
    if detail.related_kpi is None:
        return None
    return (f"These values are for '{detail.name}' ({detail.code}), published by {detail.publisher or 'its source'}; "
            f"it informs the framework KPI '{detail.related_kpi.name}' but is not the same measure.")


def primary_outcome_titles(session: Session, measure_ids: list[int]) -> dict[int, tuple[str | None, tuple[str, ...]]]:
    rows = session.execute(
        select(MeasureOutcome.measure_id, MeasureOutcome.role, MeasureOutcome.outcome_text)
        .where(MeasureOutcome.measure_id.in_(measure_ids)).order_by(MeasureOutcome.position)
    ).all()
    result: dict[int, tuple[str | None, list[str]]] = {}
    for measure_id, role, text in rows:
        primary, secondary = result.setdefault(measure_id, (None, []))
        if role == "primary":
            result[measure_id] = (text, secondary)
        else:
            secondary.append(text)
    return {key: (primary, tuple(secondary)) for key, (primary, secondary) in result.items()}
