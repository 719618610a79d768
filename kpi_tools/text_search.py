"""Matching a person's words ("what has the council promised on flooding?") to stored text.

Deliberately simple and predictable: the query is split into words, common question words are
dropped, each word is cut to a stem ("flooding" -> "flood") and widened by a short list of
synonyms a contact-centre caller might use. The database narrows rows with parameterised
LIKE patterns; rows are then ranked by how many rare query words they contain.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_

_ENDINGS = "|".join(("", "s", "es", "e", "d", "ed", "ing", "ings", "ren", "ion", "ions", "y", "ies", "'s"))
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOPWORDS = frozenset(
    """a about all an and any are as at be been by can could did do does for from had has have how i
    in into is it its me my of on or our promise promised promises say said says should that the
    their them there these they this to was we were what when where which who will with would you
    your council councils county cambridgeshire commitment commitments tell show give list doing
    done plan plans measure measures""".split()
)
# A caller's word -> words the documents use. Kept short; every entry is a real gap seen in
# the corpus (nobody writes "pothole" in a strategy, they write "road condition").
SYNONYMS = {
    "pothole": ("road", "highway"),
    "bin": ("waste", "recycling"),
    "rubbish": ("waste", "recycling"),
    "climate": ("climate", "carbon", "net zero"),
    "carbon": ("carbon", "net zero", "emission"),
    "emission": ("emission", "carbon"),
    "bus": ("bus", "transport"),
    "cycling": ("cycl", "active travel"),
    "cycle": ("cycl", "active travel"),
    "walking": ("walk", "active travel"),
    "school": ("school", "education"),
    "kid": ("child", "young people"),
    "child": ("child", "young people"),
    "children": ("child", "young people"),
    "elderly": ("older people",),
    "old": ("older people",),
    "poverty": ("poverty", "income", "financial"),
    "money": ("financial", "income"),
    "job": ("job", "employment", "work"),
    "jobs": ("job", "employment", "work"),
    "broadband": ("broadband", "connectivity"),
    "internet": ("broadband", "connectivity", "digital"),
    "nature": ("nature", "biodiversity", "green space"),
    "park": ("green", "open space"),
    "safeguarding": ("safeguard", "harm", "protect"),
    "care": ("care",),
}


@dataclass(frozen=True)
class QueryTerm:
    """One query word and the stems that count as a match for it. A stem matches at the start
    of a word and may take an inflection: "flood" matches "flooding", "child" "children"; but
    "bus" does not match "business", nor "care" "career"."""

    word: str
    stems: tuple[str, ...]

    def pattern(self) -> re.Pattern:
        alternatives = "|".join(re.escape(candidate) for candidate in self.stems)
        return re.compile(rf"\b(?:{alternatives})(?:{_ENDINGS})\b")


def query_terms(text: str | None) -> list[QueryTerm]:
    words = [word.replace("’", "'") for word in _WORD.findall((text or "").lower())]
    terms, seen = [], set()
    for word in words:
        if word in STOPWORDS or len(word) < 2 or word in seen:
            continue
        seen.add(word)
        stems = {stem(word)}
        stems.update(SYNONYMS.get(word, ()))
        stems.update(SYNONYMS.get(stem(word), ()))
        terms.append(QueryTerm(word, tuple(sorted(stems))))
    return terms


def stem(word: str) -> str:
    """A crude English stem, enough for plurals and -ing forms: flooding/floods -> flood."""
    for suffix, replacement, minimum in (("ies", "y", 5), ("ing", "", 6), ("ness", "", 7),
                                         ("ed", "", 5), ("s", "", 4)):
        if word.endswith(suffix) and len(word) >= minimum and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ in the text taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def any_term_matches(columns: list, terms: list[QueryTerm]) -> ColumnElement[bool]:
    """SQL: some stem of some term occurs in one of `columns` (case-insensitive, parameterised)."""
    return or_(*(
        column.ilike(like_pattern(candidate), escape="\\")
        for term in terms for candidate in term.stems for column in columns
    ))


KEEP_RATIO = 0.5


def rank(rows: list, terms: list[QueryTerm], weighted_texts, total: int) -> list[tuple[float, object]]:
    """Score each row by the rarity of the terms it contains; `weighted_texts(row)` yields
    (text, weight) pairs. Rows scoring under half the best are dropped: for "budget reduction"
    the budget figure stays, other reductions go; "bus and cycling" keeps both subjects."""
    patterns = [(term, term.pattern()) for term in terms]
    found = []
    for row in rows:
        texts = [(text.lower(), weight) for text, weight in weighted_texts(row) if text]
        hits = {}
        for term, pattern in patterns:
            weight = max((w for text, w in texts if pattern.search(text)), default=0.0)
            if weight:
                hits[term.word] = weight
        found.append((row, hits))
    frequency = {term.word: sum(1 for _, hits in found if term.word in hits) for term in terms}
    scored = []
    for row, hits in found:
        score = sum(weight * math.log(1 + total / (1 + frequency[word])) for word, weight in hits.items())
        if score > 0:
            scored.append((score, row))
    scored.sort(key=lambda pair: -pair[0])
    best = scored[0][0] if scored else 0.0
    return [(score, row) for score, row in scored if score >= KEEP_RATIO * best]
