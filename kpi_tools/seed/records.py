"""What a document parser returns: plain records, before anything touches the database.

Parsers are pure functions from document text to a `FrameworkContent`, so tests can check a
parser's exact output without a database, and the writer can store any parser's output.
"""
from __future__ import annotations

from dataclasses import dataclass


class SeedError(ValueError):
    """A document no longer reads the way its parser expects (a pattern stopped matching)."""


@dataclass(frozen=True)
class OutcomeRecord:
    kind: str  # outcome | ambition | strategic objective | strategic priority
    title: str
    code: str | None
    description: str | None
    position: int
    section: str
    quote: str


@dataclass(frozen=True)
class PrintedOutcome:
    """An outcome named in a measure's row; `known` is False for text like "Developing our economy"."""

    text: str
    known: bool


@dataclass(frozen=True)
class MeasureRecord:
    kind: str  # KPI | tracking measure | success measure
    name: str
    code: str | None
    directorate: str | None
    lead_committee: str | None
    deprivation_indicator: bool | None
    deprivation_printed: str | None  # "✓", "empty checkbox" or "blank": what the row showed
    primary_outcome: str | None  # the title of one of the framework's outcomes
    secondary_outcomes: tuple[PrintedOutcome, ...]
    position: int
    section: str
    quote: str


@dataclass(frozen=True)
class CommitmentRecord:
    kind: str  # delivering the ambition | what will we do | what will be different | key principle | priority promise
    text: str
    outcome_title: str | None
    theme: str | None
    detail: str | None
    position: int
    section: str
    quote: str


@dataclass(frozen=True)
class FigureRecord:
    name: str
    value_text: str
    value: float
    qualifier: str | None
    unit: str
    period: str | None
    area: str | None
    headline: str | None
    outcome: str | None  # code or title of the outcome/ambition it belongs to
    measure: str | None  # start of the name of the measure it belongs to
    position: int
    section: str
    quote: str


@dataclass(frozen=True)
class FrameworkContent:
    doc_id: str
    outcomes: tuple[OutcomeRecord, ...] = ()
    measures: tuple[MeasureRecord, ...] = ()
    commitments: tuple[CommitmentRecord, ...] = ()
    figures: tuple[FigureRecord, ...] = ()


def require_quote(doc_id: str, normalised_document: str, quote: str) -> str:
    """Return `quote` if it occurs in the normalised document, else fail the seed."""
    if quote not in normalised_document:
        raise SeedError(f"{doc_id}: quote not found in the document: {quote[:80]!r}")
    return quote
