"""Comparing a quote from one edition of a document with the other edition.

The 2016-21 framework exists as a draft and a later edition; most text is identical but some
figures changed (£119 million became £124 million). When a quoted sentence has a counterpart
in the other edition with different figures, the answer says so and cites both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from retrieval.chunk import Chunk, Unit

_WORD = re.compile(r"[a-z0-9£%]+")
_NUMBER = re.compile(r"£?\d[\d,.]*(?:\s?(?:million|billion|%|per cent))?")


@dataclass(frozen=True)
class EditionDifference:
    quoted_doc: str
    other_doc: str
    other_chunk: Chunk
    other_unit: Unit
    quoted_figures: tuple[str, ...]
    other_figures: tuple[str, ...]


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _numbers(text: str) -> tuple[str, ...]:
    return tuple(n.strip().rstrip(".,") for n in _NUMBER.findall(text))


def find_difference(chunk: Chunk, unit: Unit, editions: dict[str, str], chunks: Iterable[Chunk]) -> EditionDifference | None:
    """The other edition's closest sentence, when it prints different figures than `unit`."""
    other = editions.get(chunk.doc_id)
    if not other or not _numbers(unit.text):
        return None
    words = _words(unit.text)
    best, best_score = None, 0.0
    for candidate in chunks:
        if candidate.doc_id != other:
            continue
        for other_unit in candidate.units:
            other_words = _words(other_unit.text)
            score = len(words & other_words) / max(1, len(words | other_words))
            if score > best_score:
                best, best_score = (candidate, other_unit), score
    if not best or best_score < 0.6:
        return None
    quoted_figures, other_figures = _numbers(unit.text), _numbers(best[1].text)
    if quoted_figures == other_figures:
        return None
    return EditionDifference(chunk.doc_id, other, best[0], best[1], quoted_figures, other_figures)


def edition_pairs(documents: Sequence) -> dict[str, str]:
    """Map each edition to its counterpart (draft → later edition and back)."""
    pairs = {}
    for doc in documents:
        if doc.supersedes:
            pairs[doc.id] = doc.supersedes
            pairs[doc.supersedes] = doc.id
    return pairs
