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
from retrieval.terms import index_terms

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

    @property
    def in_wording(self) -> bool:
        """The figures agree; the words differ."""
        return self.quoted_figures == self.other_figures


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w£%]+", " ", text.replace("’", "'").replace("'", "").lower()).split())


def _numbers(text: str) -> tuple[str, ...]:
    return tuple(n.strip().rstrip(".,") for n in _NUMBER.findall(text))


def find_difference(chunk: Chunk, unit: Unit, editions: dict[str, str], chunks: Iterable[Chunk],
                    asked: frozenset[str] = frozenset()) -> EditionDifference | None:
    """The other edition's closest sentence, when it prints different figures than `unit`, or when one
    of the two uses a word the question asks about and the other does not ("did it mention
    Peterborough?": the draft named it, the later edition dropped it)."""
    other = editions.get(chunk.doc_id)
    if not other or not (_numbers(unit.text) or asked):
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
    if quoted_figures == other_figures and not asked & (set(index_terms(unit.text)) ^ set(index_terms(best[1].text))):
        return None
    return EditionDifference(chunk.doc_id, other, best[0], best[1], quoted_figures, other_figures)


def has_no_other_edition(form, documents: Sequence) -> bool:
    """Whether the documents a question names have no draft or later edition to compare ("the 2023-28
    draft … how has that changed?" asks about a change over time, not between editions)."""
    named = form.scope.doc_ids if form is not None else None
    if not named:
        return False
    paired = edition_pairs(documents)
    return not any(doc_id in paired for doc_id in named)


def edition_pairs(documents: Sequence) -> dict[str, str]:
    """Map each edition to its counterpart (draft → later edition and back)."""
    pairs = {}
    for doc in documents:
        if doc.supersedes:
            pairs[doc.id] = doc.supersedes
            pairs[doc.supersedes] = doc.id
    return pairs


# "which edition", "did X change between the draft and the final", "the versions I've got differ",
# "was it the same in the draft": a question about how the two editions compare.
EDITION_QUESTION = re.compile(
    r"\bwhich (?:draft|edition|version)\b|\b(?:differ|differences?|different|changed?|compare[ds]?|same)\b.{0,80}"
    r"\b(?:draft|editions?|final|later|versions?)\b|\b(?:draft|editions?|versions?)\b.{0,80}\b(?:differ|differences?|"
    r"different|changed?|compare[ds]?)\b|\b(?:two|both) (?:versions|editions)\b|\bversions?\b.{0,60}\b(?:up to date|"
    r"current|latest|right|correct|use)\b"
    # a question that names both editions ("the draft vs the final one") compares them
    r"|\bdraft\b.{0,60}\b(?:final|later|published|adopted) (?:one|edition|version|framework|document)\b"
    r"|\b(?:final|later|published|adopted) (?:one|edition|version)\b.{0,60}\bdraft\b"
    r"|\bdraft\s+(?:vs\.?|versus|v\.?|and|or)\s+(?:the\s+)?(?:final|later|published|adopted)\b"
    # "did it have the tick in the draft too, or only the final?"
    r"|\bin the (?:draft|final|later (?:edition|version))\b.{0,12}\b(?:too|as well|also)\b|\bor only (?:in )?the (?:draft|final)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AlignedUnits:
    """A passage of the draft and its counterpart in the later edition (the same text, or reworded)."""

    draft_chunk: Chunk
    draft_unit: Unit
    later_chunk: Chunk
    later_unit: Unit

    @property
    def same(self) -> bool:
        """The same words, whatever the apostrophes, hyphens and spacing ("whole Council" / "whole-Council")."""
        return _normal(self.draft_unit.text) == _normal(self.later_unit.text)

    def changed_words(self) -> tuple[str, str] | None:
        """The words the later edition replaced ("members" → "Councillors"), as printed; None if the
        change is not one short run of words."""
        import difflib

        before, after = self.draft_unit.text.split(), self.later_unit.text.split()
        runs = [op for op in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes() if op[0] != "equal"]
        # A heading one edition runs into the sentence ("Exploiting digital solutions … We will give …") is
        # layout, not a change of wording.
        runs = [op for op in runs if not (op[0] in ("delete", "insert") and (op[1] == 0 or op[2] == len(before)))]
        if len(runs) != 1 or runs[0][0] != "replace":
            return None
        _, a1, a2, b1, b2 = runs[0]
        if a2 - a1 > 8 or b2 - b1 > 8:
            return None
        # "£119" → "£124" reads as "£119 million" → "£124 million": the unit that follows stays with the figure.
        unit = after[b2] if b2 < len(after) and a2 < len(before) and before[a2] == after[b2] else ""
        if not re.fullmatch(r"(?:million|billion|thousand|per|%)[.,;]?", unit):
            unit = ""
        tail = f" {unit.rstrip('.,;')}" if unit else ""
        return " ".join(before[a1:a2]) + tail, " ".join(after[b1:b2]) + tail


def align_editions(chunks: Iterable[Chunk], draft_id: str, later_id: str, threshold: float = 0.5
                   ) -> list[AlignedUnits]:
    """Each passage of the draft with the later edition's passage most like it (word overlap), when
    they share at least `threshold` of their words. Passages of a few words (headings) are left out."""
    later_units = [(chunk, unit, _words(unit.text)) for chunk in chunks if chunk.doc_id == later_id
                   for unit in chunk.units if len(unit.text.split()) >= 6]
    by_word: dict[str, list[int]] = {}
    for index, (_, _, words) in enumerate(later_units):
        for word in words:
            by_word.setdefault(word, []).append(index)
    aligned = []
    for chunk in chunks:
        if chunk.doc_id != draft_id:
            continue
        for unit in chunk.units:
            words = _words(unit.text)
            if len(unit.text.split()) < 6:
                continue
            # Only passages sharing a rarer word are compared, not every pair.
            rare = sorted(words, key=lambda w: len(by_word.get(w, ())))[:4]
            candidates = {i for w in rare for i in by_word.get(w, ())}
            best, best_score = None, threshold
            for index in candidates:
                other = later_units[index][2]
                score = len(words & other) / max(1, len(words | other))
                if score >= best_score:
                    best, best_score = index, score
            if best is not None:
                aligned.append(AlignedUnits(chunk, unit, later_units[best][0], later_units[best][1]))
    return aligned


# "which one is the up to date one?", "which edition should I be using?": which edition is current.
WHICH_EDITION = re.compile(
    r"\bwhich (?:one|edition|version|draft|copy|figure|number)s?\b.{0,60}\b(?:use|using|current|up to date|latest|right|"
    r"correct|valid|in force|should|quote|quoting)\b|\b(?:use|using|current|up to date|latest|right|correct)\b.{0,40}\bwhich (?:one|edition|version)\b",
    re.IGNORECASE)
