"""Cutting parsed documents into search chunks that stay inside one section.

A chunk is what search ranks; its units (sentences, bullet items, table rows) are what an
answer quotes. Keeping both lets search use enough context to rank well while answers quote
only the sentence that answers.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from retrieval.corpus import DocumentInfo
from retrieval.parse import Block, parse_document
from retrieval.text import split_sentences

MAX_CHUNK_CHARS = 700
MAX_UNIT_CHARS = 320
# A paragraph or sentence longer than this (an ingested file with one huge line) is cut into
# chunk-sized parts; the shipped documents have none, so their chunks are unchanged.
LONG_TEXT_CHARS = 2000


@dataclass(frozen=True)
class Unit:
    """A quotable piece of a chunk. `lead` is the line that introduces a bullet item, if any."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    title: str
    status: str
    period_start: int
    period_end: int
    heading_path: tuple[str, ...]
    text: str
    units: tuple[Unit, ...]
    kind: str = "text"
    # A draft chunk whose every unit also appears in the later edition: search hides it so the
    # later edition is cited once; a draft chunk that differs stays visible.
    repeated_in_later_edition: bool = False
    # An added document's chunk (status "added"): who added the document and when (ISO 8601).
    added_by: str | None = None
    added_at: str | None = None

    @property
    def section(self) -> str | None:
        return " › ".join(self.heading_path) or None

    def search_text(self) -> str:
        """What is embedded and keyword-indexed: the section path gives short passages context."""
        return f"{self.section or ''}\n{self.text}".strip()

    def to_dict(self) -> dict:
        return {
            "id": self.id, "doc_id": self.doc_id, "title": self.title, "status": self.status,
            "period_start": self.period_start, "period_end": self.period_end,
            "heading_path": list(self.heading_path), "text": self.text, "kind": self.kind,
            "units": [[u.text, u.lead] for u in self.units],
            "repeated_in_later_edition": self.repeated_in_later_edition,
            **({"added_by": self.added_by, "added_at": self.added_at} if self.added_by or self.added_at else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Chunk":
        return cls(
            id=data["id"], doc_id=data["doc_id"], title=data["title"], status=data["status"],
            period_start=int(data["period_start"]), period_end=int(data["period_end"]),
            heading_path=tuple(data["heading_path"]), text=data["text"], kind=data["kind"],
            units=tuple(Unit(t, lead) for t, lead in data["units"]),
            repeated_in_later_edition=bool(data.get("repeated_in_later_edition")),
            added_by=data.get("added_by"), added_at=data.get("added_at"),
        )


def chunk_document(doc: DocumentInfo, text: str | None = None) -> list[Chunk]:
    blocks = parse_document(doc.read_text() if text is None else text)
    groups: list[list[Block]] = []
    for block in blocks:
        current = groups[-1] if groups else None
        fits = (
            current is not None
            and current[0].heading_path == block.heading_path
            and block.kind != "table_row" and current[0].kind != "table_row"
            and sum(len(b.text) for b in current) + len(block.text) <= MAX_CHUNK_CHARS
        )
        if fits:
            current.append(block)
        else:
            groups.append([block])
    chunks = []
    repeats: dict[str, int] = {}  # chunk id -> how many times that same text came again
    for position, group in enumerate(groups):
        for part in _split_long(group):
            units = _chunk_units(part)
            if not units:
                continue
            body = "\n".join(block.text for block in part)
            chunk = _make_chunk(doc, part[0].heading_path, body, units, part[0].kind, position)
            if chunk.id in repeats:  # the same text again in one long paragraph: a distinct id
                repeats[chunk.id] += 1
                chunk = _make_chunk(doc, part[0].heading_path, body, units, part[0].kind,
                                    f"{position}.{repeats[chunk.id]}")
            repeats.setdefault(chunk.id, 0)
            chunks.append(chunk)
    return chunks


def _split_long(group: list[Block]) -> list[list[Block]]:
    """A single block longer than a chunk is split: a long list by its items, a very long paragraph
    (over LONG_TEXT_CHARS) by its sentences, so no chunk holds a whole file."""
    if len(group) == 1 and group[0].kind == "text" and len(group[0].text) > LONG_TEXT_CHARS:
        return _split_long_text(group[0])
    if len(group) > 1 or len(group[0].text) <= MAX_CHUNK_CHARS or group[0].kind != "list":
        return [group]
    block = group[0]
    lead = block.text.split("\n")[0] if not block.text.startswith("- ") else ""
    parts, current = [], []
    for item in block.items:
        if current and len(lead) + sum(len(i) + 3 for i in current) + len(item) > MAX_CHUNK_CHARS:
            parts.append(current)
            current = []
        current.append(item)
    parts.append(current)
    return [
        [Block("list", "\n".join(([lead] if lead else []) + [f"- {i}" for i in items]), block.heading_path, tuple(items))]
        for items in parts
    ]


def _split_long_text(block: Block) -> list[list[Block]]:
    """A very long paragraph as consecutive parts of at most MAX_CHUNK_CHARS (linear time)."""
    pieces = [piece for fragment in block.text.split(" · ") for piece in _sentence_groups(fragment)]
    parts: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        if parts[-1] and size + len(piece) + 1 > MAX_CHUNK_CHARS:
            parts.append([])
            size = 0
        parts[-1].append(piece)
        size += len(piece) + 1
    return [[Block("text", " ".join(part), block.heading_path)] for part in parts if part]


def _chunk_units(blocks: list[Block]) -> tuple[Unit, ...]:
    """Units of consecutive paragraphs; infographic fragments may continue across paragraphs."""
    units: list[Unit] = []
    fragments: list[str] = []
    for block in blocks + [Block("end", "", ())]:
        if block.kind == "text":
            fragments.extend(block.text.split(" · "))
            continue
        if fragments:
            units.extend(_fragment_units(fragments))
            fragments = []
        if block.kind != "end":
            units.extend(_units(block))
    return tuple(units)


def _fragment_units(fragments: list[str]) -> list[Unit]:
    units: list[str] = []
    for part in fragments:
        if units and _continues_fragment(units[-1], part):
            units[-1] = f"{units[-1]} · {part}"
        else:
            units.extend(_sentence_groups(part))
    return [Unit(u) for u in units]


def _units(block: Block) -> list[Unit]:
    if block.kind == "table_row":
        return [Unit(block.text)]
    if block.kind == "list":
        lead = block.text.split("\n")[0] if not block.text.startswith("- ") else ""
        units = [Unit(s) for s in split_sentences(lead)] if lead and not lead.endswith(":") else []
        return units + [Unit(item, lead if lead.endswith(":") else "") for item in block.items]
    return _fragment_units(block.text.split(" · "))


_CONTINUATION = re.compile(
    r"^(?:an? (?:increase|decrease|rise|fall|reduction)\b|including\b|fully\b|partially\b|followed\b"
    r"|of which\b|source:|\d[\d,.]*\s*(?:to|-)\s*\d)", re.IGNORECASE)


def _continues_fragment(previous: str, part: str) -> bool:
    """Infographic text comes as fragments: a label, its figure, a qualifier, a source line.
    A fragment joins the one before when it qualifies it, or when either is too short to stand alone."""
    if len(previous) + len(part) > MAX_UNIT_CHARS:
        return False
    if part[:1].islower() or _CONTINUATION.match(part):
        return True
    short_label = len(previous) < 90
    return len(part) < 40 or (short_label and (part[:1].isdigit() or not re.search(r"\d", previous)))


def _sentence_groups(paragraph: str) -> list[str]:
    """Short paragraphs stay whole (a sentence often needs its neighbour: "However … 86.1 years");
    long ones are cut into runs of sentences of at most MAX_UNIT_CHARS."""
    if len(paragraph) <= MAX_UNIT_CHARS:
        return [paragraph]
    groups: list[str] = []
    for sentence in split_sentences(paragraph):
        for piece in _cut_very_long(sentence):
            if groups and len(groups[-1]) + len(piece) < MAX_UNIT_CHARS:
                groups[-1] = f"{groups[-1]} {piece}"
            else:
                groups.append(piece)
    return groups


def _cut_very_long(sentence: str) -> list[str]:
    """A "sentence" over LONG_TEXT_CHARS (no punctuation for pages) cut at spaces into unit-sized pieces."""
    if len(sentence) <= LONG_TEXT_CHARS:
        return [sentence]
    pieces, start = [], 0
    while start < len(sentence):
        end = min(len(sentence), start + MAX_UNIT_CHARS)
        if end < len(sentence):
            space = sentence.rfind(" ", start + MAX_UNIT_CHARS // 2, end)
            end = space if space > start else end
        pieces.append(sentence[start:end].strip())
        start = end
    return [piece for piece in pieces if piece]


def _make_chunk(doc: DocumentInfo, path, body, units, kind, position) -> Chunk:
    digest = hashlib.sha1(f"{doc.id}|{position}|{' › '.join(path)}|{body}".encode()).hexdigest()[:20]
    return Chunk(
        id=f"{doc.id}:{digest}", doc_id=doc.id, title=doc.title, status=doc.status,
        period_start=doc.period_start, period_end=doc.period_end, heading_path=tuple(path),
        text=body, units=units, kind=kind, added_by=getattr(doc, "added_by", None),
        added_at=getattr(doc, "added_at", None),
    )


def _normal_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9£%]+", text.lower()))


def mark_editions(chunks: list[Chunk], documents: list[DocumentInfo]) -> list[Chunk]:
    """Flag draft chunks whose content the later edition repeats word for word."""
    later_of = {doc.supersedes: doc.id for doc in documents if doc.supersedes}
    later_text = {
        later: " " + " ".join(_normal_words(u.text) for c in chunks if c.doc_id == later for u in c.units) + " "
        for later in later_of.values()
    }
    marked = []
    for chunk in chunks:
        later = later_of.get(chunk.doc_id)
        if later and all(f" {_normal_words(u.text)} " in later_text[later] for u in chunk.units):
            chunk = Chunk(**{**chunk.__dict__, "repeated_in_later_edition": True})
        marked.append(chunk)
    return marked
