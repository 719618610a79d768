"""The plain values of a briefing and of a lineage timeline, shared by the builders and renderers.

Every claim a briefing makes is a `BriefingItem`, and an item cannot be made without saying
where it comes from: a `Citation` (document id, title, section and the words quoted) for what a
strategy document says, or the `source` (publisher or URL) of an imported value. Renderers
(text, Slack, JSON) only arrange these values; they never add a claim of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.answer import Citation, Figure


@dataclass(frozen=True)
class BriefingItem:
    """One line of a briefing. `figure` is set when the line reports a number (a printed headline
    figure or the latest imported value); `note` qualifies it (e.g. "a relative of the KPI, not
    the KPI itself")."""

    text: str
    citation: Citation | None = None
    source: str | None = None
    figure: Figure | None = None
    note: str | None = None

    def __post_init__(self):
        if self.citation is None and not (self.source or "").strip():
            raise ValueError(f"A briefing item needs a citation or a source: {self.text!r}")


@dataclass(frozen=True)
class BriefingSection:
    """A titled group of items ("Delivering the ambition"). `omitted` counts items left out to
    keep the briefing to one screen."""

    title: str
    items: tuple[BriefingItem, ...]
    omitted: int = 0


@dataclass(frozen=True)
class ChartPoint:
    period: str
    value: float
    value_text: str  # as published: "more than 95"
    target: float | None = None


@dataclass(frozen=True)
class ChartSeries:
    """The imported values of one measure for one area, oldest first, ready to plot."""

    measure: str
    code: str | None
    unit: str | None
    area: str
    points: tuple[ChartPoint, ...]
    sources: tuple[str, ...]
    note: str | None = None

    @property
    def slug(self) -> str:
        """A file name stem: the code ("carbon-county") or the start of the name."""
        base = (self.code or self.measure).lower()
        return re.sub(r"[^a-z0-9]+", "-", base).strip("-")[:60] or "measure"


@dataclass(frozen=True)
class Briefing:
    """A briefing on one outcome or ambition, or on a topic found in the records.

    `heading` is the outcome's label ("Ambition 7: Children and young people ..."), `framework`
    the title of its document; `summary` is the outcome itself, cited; `matched` says how the
    user's words were matched when they were not the outcome's own code or title. `sections`
    are the headline block, which fits one screen (the commitments and the latest figures);
    `detail` is the whole briefing, of which the headline is a part, shown on request ("More
    detail", `brief --full`).
    """

    topic: str
    heading: str
    doc_id: str
    framework: str
    summary: BriefingItem
    sections: tuple[BriefingSection, ...]
    charts: tuple[ChartSeries, ...] = ()
    notes: tuple[str, ...] = ()
    matched: str | None = None
    detail: tuple[BriefingSection, ...] = ()
    full_notes: tuple[str, ...] | None = None  # the detail's notes, where they differ from the headline's

    def items(self, *, full: bool = False) -> tuple[BriefingItem, ...]:
        """The items `sections` show (the headline block), summary first, in reading order;
        with `full`, the detail's, which hold everything."""
        sections = (self.detail or self.sections) if full else self.sections
        return (self.summary,) + tuple(item for section in sections for item in section.items)

    def as_full(self) -> "Briefing":
        """The same briefing whose sections are its detail (everything): what "More detail"
        and `brief --full` show, for renderers that show `sections`."""
        notes = self.notes if self.full_notes is None else self.full_notes
        return replace(self, sections=self.detail or self.sections, detail=(), notes=notes, full_notes=None)


@dataclass(frozen=True)
class TimelineStep:
    """One framework's version of a theme: when, which framework, which outcome, in its words."""

    year: int
    framework: str  # short name, e.g. "2016-21 Strategic Framework"
    label: str  # the outcome's label, e.g. "SO2: Supporting and protecting vulnerable people"
    quote: str
    citation: Citation

    @property
    def statement(self) -> str:
        """The label with the quote: "SO1: Enabling ...: “We want children ...”", or, when the
        quote is the outcome's own title, "Ambition 4: “People enjoy ...”"."""
        if self.label.endswith(self.quote):
            return f"{self.label[: -len(self.quote)]}“{self.quote}”"
        return f"{self.label}: “{self.quote}”"


@dataclass(frozen=True)
class Timeline:
    """How one subject was carried from framework to framework, oldest first."""

    subject: str
    steps: tuple[TimelineStep, ...]
    since: int | None = None
    notes: tuple[str, ...] = field(default=())
