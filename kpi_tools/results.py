"""The frozen values the KPI tools return.

Each result carries what an answer needs to be exact and cited: the value as printed, its
unit, period and area, the document id, section and quote (or the publisher of imported data),
and the outcome or ambition it belongs to. Nothing here touches the database.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeRef:
    """An outcome (2016-21), ambition (2023-28), strategic objective (2010) or priority (2021-25)."""

    id: int
    doc_id: str
    kind: str
    code: str | None
    title: str

    @property
    def label(self) -> str:
        return f"{self.code}: {self.title}" if self.code else self.title


@dataclass(frozen=True)
class MeasureRef:
    id: int
    code: str | None
    name: str
    kind: str  # KPI | tracking measure | success measure | defined measure
    doc_id: str | None  # None for a defined measure (imported, in no framework)

    @property
    def label(self) -> str:
        return f"{self.code} ({self.name})" if self.code else self.name


@dataclass(frozen=True)
class MeasureOutcomeLink:
    """A primary or secondary outcome as printed; `outcome` is None when the printed text is
    not one of the framework's outcomes (e.g. "Developing our economy")."""

    role: str
    text: str
    outcome: OutcomeRef | None


@dataclass(frozen=True)
class FrameworkSummary:
    doc_id: str
    title: str
    status: str
    period_start: int
    period_end: int
    superseded_by: str | None
    outcome_kind: str | None
    outcomes: int
    measures: int
    commitments: int
    figures: int


@dataclass(frozen=True)
class MeasureSummary:
    id: int
    code: str | None
    name: str
    kind: str
    doc_id: str | None
    directorate: str | None
    lead_committee: str | None
    deprivation_indicator: bool | None
    unit: str | None
    primary_outcome: str | None
    secondary_outcomes: tuple[str, ...]
    related_kpi: MeasureRef | None
    has_values: bool


@dataclass(frozen=True)
class MeasureDetail:
    """Everything about one measure. `description` is one sentence saying what it measures and
    who leads it, for answers about a measure with no imported values. For a defined measure,
    `related_kpi` is the framework KPI it informs (not the same definition); for a KPI,
    `related_measures` are the defined measures that inform it."""

    id: int
    code: str | None
    name: str
    kind: str
    doc_id: str | None
    doc_title: str | None
    section: str | None
    quote: str | None
    directorate: str | None
    lead_committee: str | None
    deprivation_indicator: bool | None
    unit: str | None
    definition: str | None
    publisher: str | None
    outcomes: tuple[MeasureOutcomeLink, ...]
    related_kpi: MeasureRef | None
    related_outcome: OutcomeRef | None
    related_measures: tuple[MeasureRef, ...]
    edition_differences: tuple[str, ...]
    value_count: int
    description: str

    @property
    def ref(self) -> MeasureRef:
        return MeasureRef(self.id, self.code, self.name, self.kind, self.doc_id)


@dataclass(frozen=True)
class OutcomeWithMeasures:
    outcome: OutcomeRef
    description: str | None
    doc_title: str
    section: str | None
    quote: str | None
    measures: tuple[MeasureRef, ...]  # primary outcome (or tracking measures of an ambition)
    secondary_measures: tuple[MeasureRef, ...]
    defined_measures: tuple[MeasureRef, ...]  # imported measures related to this outcome
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class CommitmentResult:
    id: int
    text: str
    kind: str
    theme: str | None
    detail: str | None
    doc_id: str
    doc_title: str
    doc_status: str
    section: str | None
    quote: str
    outcome: OutcomeRef | None
    tracked_by: tuple[MeasureRef, ...]


@dataclass(frozen=True)
class FigureResult:
    """A figure printed in a document. `edition_note` says when another edition printed a
    different value ("The draft edition (strategic-framework-2016-21-draft) printed £119 million.")."""

    id: int
    name: str
    value_text: str
    value: float
    qualifier: str | None
    unit: str
    period: str | None
    area: str | None
    headline: str | None
    doc_id: str
    doc_title: str
    doc_status: str
    section: str | None
    quote: str
    outcome: OutcomeRef | None
    measure: MeasureRef | None
    superseded_by: str | None
    edition_note: str | None


@dataclass(frozen=True)
class ObservationValue:
    """An imported value. `value_text` is as published ("more than 95"); `source` names where."""

    measure: MeasureRef
    period: str
    value_text: str
    value: float
    qualifier: str | None
    unit: str | None
    area: str
    target: float | None
    source: str
    note: str | None
    is_comparator: bool


@dataclass(frozen=True)
class LatestValue:
    """The newest value of a measure. `relation_note` warns when the measure is a relative of a
    framework KPI, not the KPI; `summary` is one sentence, also when there is no value."""

    measure: MeasureDetail
    value: ObservationValue | None
    comparators: tuple[ObservationValue, ...]
    relation_note: str | None
    summary: str


@dataclass(frozen=True)
class Trend:
    measure: MeasureDetail
    area: str | None
    points: tuple[ObservationValue, ...]  # oldest first
    change: float | None  # last value minus first
    direction: str  # rising | falling | unchanged | not enough data
    relation_note: str | None
    summary: str


@dataclass(frozen=True)
class RelatedOutcome:
    """A curated link between outcomes of two frameworks (see `kpi_tools.mapping`)."""

    source: OutcomeRef
    target: OutcomeRef
    evidence: str
    via_measure: MeasureRef | None = None
