"""The KPI database tables: frameworks, their outcomes, measures, commitments, figures and data.

Every row that came from a document keeps `doc_id`, `section` and `quote` so an answer can cite
it; every imported value keeps its `source`. Numbers keep the text they were printed as
(`value_text`) beside the number (`value`), because "more than 95" is not the same claim as 95.

The migration `migrations/versions/0001_kpi_schema.py` creates exactly these tables; a test
compares the two.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kpi_tools.database import Base


class Framework(Base):
    """One strategy document (by manifest id) and the plan it sets out."""

    __tablename__ = "kpi_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30))
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    # The later edition that replaces this document, if any (e.g. the 2016-21 draft).
    superseded_by: Mapped[str | None] = mapped_column(String(100))

    outcomes: Mapped[list["Outcome"]] = relationship(
        back_populates="framework", order_by="Outcome.position"
    )


class Outcome(Base):
    """An outcome, ambition, strategic objective or strategic priority of a framework."""

    __tablename__ = "kpi_outcomes"
    __table_args__ = (UniqueConstraint("framework_id", "title", name="uq_kpi_outcomes_title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("kpi_frameworks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # outcome | ambition | strategic objective | strategic priority
    code: Mapped[str | None] = mapped_column(String(30))  # "Ambition 3", "SO2"; None where none is printed
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)

    framework: Mapped[Framework] = relationship(back_populates="outcomes")


class Measure(Base):
    """A performance measure: a framework KPI, a tracking measure, or an imported definition.

    Imported definitions have no framework; `related_measure_id` points at the framework KPI
    they inform and `related_outcome_id` at the outcome or ambition. A related measure is not
    the KPI itself (a 16-17 NEET rate is not the 16-19 KPI), so answers name which one they hold.
    """

    __tablename__ = "kpi_measures"
    __table_args__ = (
        UniqueConstraint("framework_id", "name_key", name="uq_kpi_measures_name"),
        Index("ix_kpi_measures_code", "code"),
        Index("ix_kpi_measures_name_key", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_frameworks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # KPI | tracking measure | success measure | defined measure
    code: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)
    directorate: Mapped[str | None] = mapped_column(String(100))
    lead_committee: Mapped[str | None] = mapped_column(String(100))
    deprivation_indicator: Mapped[bool | None] = mapped_column(Boolean)
    unit: Mapped[str | None] = mapped_column(String(60))
    definition: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    related_measure_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_measures.id", ondelete="SET NULL"))
    related_outcome_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_outcomes.id", ondelete="SET NULL"))
    doc_id: Mapped[str | None] = mapped_column(String(100))
    section: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    framework: Mapped[Framework | None] = relationship()
    outcome_links: Mapped[list["MeasureOutcome"]] = relationship(
        back_populates="measure", order_by="MeasureOutcome.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )


class MeasureOutcome(Base):
    """A measure's primary or secondary outcome, as printed.

    `outcome_id` is empty when the printed text is not one of the framework's outcomes
    ("Developing our economy" in the 2016-21 table); `outcome_text` keeps what was printed.
    """

    __tablename__ = "kpi_measure_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("kpi_measures.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_outcomes.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # primary | secondary
    outcome_text: Mapped[str] = mapped_column(Text)
    matches_known_outcome: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer)

    measure: Mapped[Measure] = relationship(back_populates="outcome_links")
    outcome: Mapped[Outcome | None] = relationship()


class Commitment(Base):
    """One promise a document makes, word for word, with what it serves and what tracks it."""

    __tablename__ = "kpi_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("kpi_frameworks.id", ondelete="CASCADE"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_outcomes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(Text)  # the heading it sits under, e.g. "Healthy and Active People"
    doc_id: Mapped[str] = mapped_column(String(100))
    section: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    framework: Mapped[Framework] = relationship()
    outcome: Mapped[Outcome | None] = relationship()


class CommitmentMeasure(Base):
    """A measure that tracks a commitment (the ambition's "We will track progress by")."""

    __tablename__ = "kpi_commitment_measures"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("kpi_commitments.id", ondelete="CASCADE"), primary_key=True
    )
    measure_id: Mapped[int] = mapped_column(ForeignKey("kpi_measures.id", ondelete="CASCADE"), primary_key=True)


class Figure(Base):
    """A headline number a document prints, with its quote; `value_text` is exactly as printed."""

    __tablename__ = "kpi_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("kpi_frameworks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    value_text: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str | None] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(60))
    period: Mapped[str | None] = mapped_column(String(60))
    area: Mapped[str | None] = mapped_column(String(100))
    headline: Mapped[str | None] = mapped_column(Text)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_measures.id", ondelete="SET NULL"))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_outcomes.id", ondelete="SET NULL"))
    doc_id: Mapped[str] = mapped_column(String(100))
    section: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    framework: Mapped[Framework] = relationship()
    measure: Mapped[Measure | None] = relationship()
    outcome: Mapped[Outcome | None] = relationship()


class EditionDifference(Base):
    """Where a later edition and the draft it replaces disagree; the later edition wins.

    Kept so an answer can say "the draft printed £119 million" instead of hiding the change.
    Exactly one of `measure_id` / `figure_id` is set: the row in the later edition.
    """

    __tablename__ = "kpi_edition_differences"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_measures.id", ondelete="CASCADE"), index=True)
    figure_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_figures.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(60))
    doc_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(Text)
    other_doc_id: Mapped[str] = mapped_column(String(100))
    other_value: Mapped[str] = mapped_column(Text)


class Observation(Base):
    """One imported value of a measure for a period and area, with its source."""

    __tablename__ = "kpi_observations"
    __table_args__ = (
        UniqueConstraint("measure_id", "period", "area", name="uq_kpi_observations_key"),
        Index("ix_kpi_observations_series", "measure_id", "area", "period_sort"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("kpi_measures.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(60))
    period_sort: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    value_text: Mapped[str] = mapped_column(String(100))
    qualifier: Mapped[str | None] = mapped_column(String(30))
    unit: Mapped[str | None] = mapped_column(String(60))
    area: Mapped[str] = mapped_column(String(200))
    target: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SeedState(Base):
    """What the corpus seed was last built from, so a start-up with nothing new does nothing."""

    __tablename__ = "kpi_seed_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    seeded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
