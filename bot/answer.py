"""The plain values every layer above retrieval speaks in.

The engine returns an `Answer`; the CLI prints it as JSON and the Slack adapter renders it
as Block Kit. Nothing here knows about Slack, Chroma or SQL, so each side can be tested by
comparing values.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol, Sequence


@dataclass(frozen=True)
class Citation:
    """Where a quoted passage comes from: the document id, its title and the section heading."""

    doc_id: str
    title: str
    section: str | None
    quote: str
    status: str | None = None      # the document's status: draft, adopted, later-edition, added
    added_by: str | None = None    # who ingested an added document (status "added" only)
    added_at: str | None = None    # when it was ingested, ISO 8601


@dataclass(frozen=True)
class Figure:
    """A number exactly as a source printed it, with what it measures and where it came from.

    `value` is a string on purpose: "more than 95" or "131,610" must reach the reader as printed.
    `doc_id` is set for figures quoted from a strategy document; `source` for imported
    performance data (a publisher or URL).
    """

    name: str
    value: str
    unit: str | None = None
    period: str | None = None
    area: str | None = None
    doc_id: str | None = None
    outcome: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()
    abstained: bool = False
    mode: str = "offline"
    notes: tuple[str, ...] = ()
    latency_ms: float = 0.0
    checked_numbers: tuple[str, ...] = ()  # LLM mode: the numbers of the answer found in this turn's sources
    resolved_question: str | None = None  # a follow-up rewritten as a full question; callers store this

    @classmethod
    def joined(cls, question: str, answers: Sequence["Answer"]) -> "Answer":
        """Several answers given as one reply ("reception and year 6", a two-part question): each text in
        turn, every citation once, every figure and note; abstained only if every part abstained."""
        return cls(question, "\n\n".join(a.text for a in answers),
                   tuple(dict.fromkeys(c for a in answers for c in a.citations)),
                   tuple(f for a in answers for f in a.figures), all(a.abstained for a in answers),
                   notes=tuple(n for a in answers for n in a.notes))

    @property
    def headline(self) -> str:
        """The answer sentence alone: the first paragraph of `text` (Slack's fallback text)."""
        return self.text.split("\n\n", 1)[0].strip()

    def to_dict(self) -> dict:
        """The stable JSON contract of `ask --json` (more keys may be added, none removed)."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [asdict(c) for c in self.citations],
            "figures": [asdict(f) for f in self.figures],
            "notes": list(self.notes),
            "latency_ms": round(self.latency_ms, 1),
            "checked_numbers": list(self.checked_numbers),
            "resolved_question": self.resolved_question or self.question,
        }


@dataclass(frozen=True)
class Turn:
    """One earlier question and answer of a conversation (a Slack thread), used as context."""

    question: str
    answer: str = ""


class AnswerEngine(Protocol):
    """What the CLI and the Slack adapter need from an engine (offline or LLM)."""

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer: ...

    def describe_measure(self, query: str) -> Answer: ...
