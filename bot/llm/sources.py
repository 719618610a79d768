"""The sources of one LLM turn: labels the model cites, the text it was shown, and citations and
figures built from the tool results themselves.

Every successful tool result becomes one or more labelled sources: each retrieved passage is `P<n>`
and each database result is `R<n>`, numbered across the turn. The model cites labels; the answer's
`Citation`s and `Figure`s are made from the cited sources' artifacts (the passages and the frozen
KPI results), never from the model's words. Failed tool calls are passed back to the model but are
not sources, so an error message that echoes the model's own argument cannot support a number.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from typing import Sequence

from langchain_core.messages import ToolMessage

from bot.answer import Citation, Figure
from bot.engine import Passage
from bot.llm.grounding import find_numbers
from bot.engine.quotes import figures_in, period_in
from kpi_tools.results import (
    CommitmentResult,
    FigureResult,
    LatestValue,
    MeasureDetail,
    ObservationValue,
    OutcomeWithMeasures,
    Trend,
)

SEARCH_TOOL = "search_documents"
_MARKER = re.compile(r"\s?\[((?:[PR][0-9]+)(?:\s*[,;]\s*[PR][0-9]+)*)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Source:
    label: str
    text: str  # what the model was shown for this source
    citations: tuple[Citation, ...] = ()
    figures: tuple[Figure, ...] = ()
    notes: tuple[str, ...] = ()
    sentences: tuple[str, ...] = ()  # a passage's sentences, to quote only those the answer uses

    def citations_for(self, numbers: set[str]) -> tuple[Citation, ...]:
        """A passage is quoted by the sentences that print the answer's numbers, if any; else whole."""
        used = [s for s in self.sentences if _numbers(s) & numbers]
        if not used or len(self.citations) != 1:
            return self.citations
        return (replace(self.citations[0], quote=" … ".join(used)),)


@dataclass(frozen=True)
class Resolution:
    """An answer's citation labels turned into citations: the text with `[P3]` rewritten to the
    citation's number, and the labels the model cited that were never given."""

    text: str
    citations: tuple[Citation, ...]
    figures: tuple[Figure, ...]
    notes: tuple[str, ...]
    cited: tuple[str, ...]
    unknown: tuple[str, ...]


def render_passages(passages: Sequence[Passage], first: int = 1) -> str:
    """Passages as delimited, labelled data blocks. Angle brackets in the text are escaped, so a
    passage cannot close its block or open another and pose as instructions."""
    if not passages:
        return "No passages match. Try other words, or a KPI tool."
    blocks = []
    for number, passage in enumerate(passages, start=first):
        attributes = {"label": f"P{number}", "document": passage.title, "doc_id": passage.doc_id,
                      "section": passage.section or "", "status": passage.status, "period": passage.period}
        head = " ".join(f'{key}="{html.escape(value, quote=True)}"' for key, value in attributes.items())
        text = passage.text.replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"<passage {head}>\n{text}\n</passage>")
    return "\n".join(blocks)


class SourceLedger:
    """Collects one turn's tool results; not shared between turns or threads."""

    def __init__(self) -> None:
        self._sources: dict[str, Source] = {}
        self._shown: list[str] = []
        self._passages = 0
        self._results = 0

    @property
    def texts(self) -> tuple[str, ...]:
        """Everything successful tool calls showed the model this turn: what numbers are checked against."""
        return tuple(self._shown)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self._sources)

    def add(self, tool_name: str, message: ToolMessage) -> str:
        """Record a tool result and return the content to show the model."""
        if message.status == "error":
            return str(message.content)
        if tool_name == SEARCH_TOOL:
            passages = list(message.artifact or ())
            content = render_passages(passages, first=self._passages + 1)
            for passage in passages:
                self._passages += 1
                label = f"P{self._passages}"
                self._sources[label] = _passage_source(label, passage)
        else:
            self._results += 1
            label = f"R{self._results}"
            content = f"Result {label}:\n{message.content}"
            citations, figures, notes = _from_result(message.artifact)
            self._sources[label] = Source(label, str(message.content), citations, figures, notes)
        self._shown.append(content)
        return content

    def resolve(self, answer: str) -> Resolution:
        numbers = {form for mention in find_numbers(answer) for form in mention.required}
        cited: dict[str, None] = {}
        unknown: dict[str, None] = {}
        for match in _MARKER.finditer(answer):
            for label in re.split(r"\s*[,;]\s*", match.group(1)):
                (cited if label in self._sources else unknown).setdefault(label)
        by_label = {label: self._sources[label].citations_for(numbers) for label in cited}
        citations: dict[Citation, int] = {}
        for label in cited:
            for citation in by_label[label]:
                citations.setdefault(citation, len(citations) + 1)

        def renumber(match: re.Match) -> str:
            labels = re.split(r"\s*[,;]\s*", match.group(1))
            unique = sorted({citations[c] for label in labels if label in by_label for c in by_label[label]})
            return f" [{', '.join(map(str, unique))}]" if unique else ""

        figures = tuple(dict.fromkeys(
            f for label in cited for f in self._sources[label].figures if _numbers(f.value) & numbers))
        notes = tuple(dict.fromkeys(n for label in cited for n in self._sources[label].notes))
        return Resolution(_MARKER.sub(renumber, answer).strip(), tuple(citations), figures, notes,
                          tuple(cited), tuple(unknown))


def _numbers(text: str) -> set[str]:
    return {form for mention in find_numbers(text) for form in mention.forms}


def _passage_source(label: str, passage: Passage) -> Source:
    citation = Citation(passage.doc_id, passage.title, passage.section, passage.text)
    figures = []
    sentences = tuple(s.strip() for s in _SENTENCE_END.split(passage.text) if s.strip())
    for sentence in sentences:
        period = period_in(sentence) or f"document period {passage.period}"
        for value, unit in figures_in(sentence):
            figures.append(Figure(name=passage.section or passage.title, value=value, unit=unit, period=period,
                                  doc_id=passage.doc_id))
    return Source(label, passage.text, (citation,), tuple(figures), sentences=sentences)


def _from_result(artifact) -> tuple[tuple[Citation, ...], tuple[Figure, ...], tuple[str, ...]]:
    """Citations, figures and caveats carried by a KPI tool's frozen result."""
    items = artifact if isinstance(artifact, (tuple, list)) else (artifact,)
    citations: list[Citation] = []
    figures: list[Figure] = []
    notes: list[str] = []
    for item in items:
        if isinstance(item, FigureResult):
            citations.append(Citation(item.doc_id, item.doc_title, item.section, item.quote))
            figures.append(Figure(item.name, item.value_text, item.unit, item.period, item.area, item.doc_id,
                                  item.outcome.label if item.outcome else None))
            if item.edition_note:
                notes.append(item.edition_note)
        elif isinstance(item, CommitmentResult):
            citations.append(Citation(item.doc_id, item.doc_title, item.section, item.quote))
        elif isinstance(item, OutcomeWithMeasures) and item.quote:
            citations.append(Citation(item.outcome.doc_id, item.doc_title, item.section, item.quote))
        elif isinstance(item, MeasureDetail):
            citations.extend(_measure_citation(item))
        elif isinstance(item, (LatestValue, Trend)):
            detail = item.measure
            citations.extend(_measure_citation(detail))
            values = (item.value, *item.comparators) if isinstance(item, LatestValue) else item.points
            figures.extend(_observation_figure(detail, value) for value in values if value is not None)
            if item.relation_note:
                notes.append(item.relation_note)
    return tuple(dict.fromkeys(citations)), tuple(dict.fromkeys(figures)), tuple(dict.fromkeys(notes))


def _measure_citation(detail: MeasureDetail) -> list[Citation]:
    if detail.doc_id and detail.quote:
        return [Citation(detail.doc_id, detail.doc_title or detail.doc_id, detail.section, detail.quote)]
    return []


def _observation_figure(detail: MeasureDetail, value: ObservationValue) -> Figure:
    outcome = detail.related_outcome.label if detail.related_outcome else next(
        (link.text for link in detail.outcomes if link.role == "primary"), None)
    name = detail.name if not value.is_comparator else f"{detail.name} ({value.area})"
    return Figure(name=name, value=value.value_text, unit=value.unit, period=value.period, area=value.area,
                  outcome=outcome, source=value.source)
