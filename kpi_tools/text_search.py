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
from pathlib import Path

import yaml

from retrieval.yaml_files import read_yaml
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
# A caller's word -> words the documents use: data, in corpus/topic_words.yaml.
TOPIC_WORDS_FILE = Path(__file__).resolve().parents[1] / "corpus" / "topic_words.yaml"


def load_synonyms(path: Path = TOPIC_WORDS_FILE) -> dict[str, tuple[str, ...]]:
    """`words:` of the file, each a word -> a non-empty list of stems or phrases; refused with
    one line naming the file when it is malformed (it is read at import, so at start-up)."""
    data = read_yaml(path) or {}
    words = data.get("words") if isinstance(data, dict) else None
    if not isinstance(words, dict) or not all(
            isinstance(values, list) and values and all(isinstance(v, str) and v.strip() for v in values)
            for values in words.values()):
        raise ValueError(f"{path}: 'words' must map each word to a non-empty list of words or phrases.")
    return {str(key).lower(): tuple(v.lower().strip() for v in values) for key, values in words.items()}


SYNONYMS = load_synonyms()


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
        base = stem(word)
        stems = {base}
        if base.endswith("y") and len(base) >= 5:
            stems.add(base[:-1])  # "library" must also match "libraries", "gypsy" "gypsies"
        stems.update(SYNONYMS.get(word, ()))
        stems.update(SYNONYMS.get(base, ()))
        terms.append(QueryTerm(word, tuple(sorted(stems))))
    return terms


_SIBILANT_PLURAL = re.compile(r"(?:ss|sh|ch|x)es$")


def stem(word: str) -> str:
    """A crude English stem, enough for plurals and -ing forms: flooding/floods -> flood,
    businesses -> business."""
    if _SIBILANT_PLURAL.search(word) and len(word) >= 5:
        return word[:-2]
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


# -- Whether two texts are about the same subject --------------------------------------------
#
# A commitment is "tracked by" a measure of its outcome only when the two share a telling word
# ("deaths or serious injuries" / "killed or seriously injured casualties"); the words below
# name many measures and commitments and so say nothing about which subject they are on.
_LOW_INFORMATION = frozenset("""
    monitoring monitor measuring measure assessing assess number numbers percentage proportion
    people rate rates tracking track reduction reducing reduce increase increasing improving
    improve total new more fewer progress ensuring ensure support supporting care social service
    services level take work working good local community communities quality life outcome
    outcomes opportunity opportunities partner partners delivering deliver provide providing
    helping help residents across our their make making way ways able access area areas
    cambridgeshire county council councils data annual year years time within achieve achieving
    consistent use using encourage undertaken build building wide develop developing enhance
    enhancing based approach better high every everyone well best per population month aged ytd
    specific indicator confirmed baseline against target completed number all part parts public
    private range lead leading led key short term long need needs bring benefit benefits biggest
    additional greatest establish where
""".split())


def subject_stems(text: str, *, widen: bool = True) -> frozenset[str]:
    """The telling words of `text`, stemmed as the keyword index stems them ("injured" and
    "injuries" alike), each widened by the engine's everyday synonyms when `widen` ("bus"
    also counts as "transport")."""
    from retrieval.terms import expansions, salient_terms
    from retrieval.terms import stem as index_stem

    low = {index_stem(word) for word in _LOW_INFORMATION}
    found: set[str] = set()
    for term in salient_terms(text or ""):
        if term in low or len(term) < 3 or term.isdigit():
            continue
        found.add(term)
        if widen:
            found.update(expansions(term) - low)
    return frozenset(found)


def same_subject(first: str, second: str, minimum: int = 1, *, widen: bool = True) -> bool:
    """True when the two texts share at least `minimum` telling words (see `subject_stems`)."""
    return len(subject_stems(first, widen=widen) & subject_stems(second, widen=widen)) >= minimum
