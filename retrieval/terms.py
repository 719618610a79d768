"""Turning text into comparable terms for keyword search and for judging whether a passage
really answers a question.

A light stemmer and everyday synonyms (data, in corpus/language.yaml) stand in for a full
linguistic pipeline: staff ask "how many kids are in care" where the documents say "children".
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from retrieval.yaml_files import read_yaml

_WORD = re.compile(r"[a-z0-9£%]+(?:[.,][0-9]+)*")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves also its let tell give show me
    please us say says said any much many big large small huge among amongst most least high low
    next last recent recently overall main major really exactly roughly approximately about around
    there whether anything something everything nothing far across versus""".split()
)

LANGUAGE_FILE = Path(__file__).resolve().parents[1] / "corpus" / "language.yaml"


def load_language(path: Path = LANGUAGE_FILE) -> dict:
    """The data behind the words people type: synonyms, abbreviations and generic question words."""
    raw = read_yaml(path) or {}
    return {
        "synonyms": {str(k): tuple(str(v) for v in values) for k, values in (raw.get("synonyms") or {}).items()},
        "abbreviations": {str(k): str(v) for k, v in (raw.get("abbreviations") or {}).items()},
        "acronyms": {str(k): str(v) for k, v in (raw.get("acronyms") or {}).items()},
        "counterparts": tuple(tuple(str(w) for w in pair) for pair in raw.get("counterparts") or ()),
        "phrases": {str(k).lower(): str(v) for k, v in (raw.get("phrases") or {}).items()},
        "generic_terms": frozenset(str(t) for t in (raw.get("generic_terms") or []) + (raw.get("conversation_words") or [])),
    }


LANGUAGE = load_language()
# Words that appear in almost every question about these documents; they say nothing about
# which passage answers, so they never count as evidence of relevance.
GENERIC_TERMS: frozenset[str] = LANGUAGE["generic_terms"]
# Everyday words for the documents' words: staff ask "how many kids" where the documents say "children".
SYNONYMS: dict[str, tuple[str, ...]] = LANGUAGE["synonyms"]
ABBREVIATIONS: dict[str, str] = LANGUAGE["abbreviations"]
ACRONYMS: dict[str, str] = LANGUAGE["acronyms"]
# Everyday phrases for a document's word: "keep an eye on" is "monitor".
PHRASES: dict[str, str] = LANGUAGE["phrases"]
COUNTERPARTS: tuple[tuple[str, ...], ...] = LANGUAGE["counterparts"]  # ("men", "women"): one slot, two fillers  # case-sensitive: "SEND", not "send"

GENERIC_STEMS: frozenset[str] = frozenset()  # filled below, once stem() exists
_SUFFIXES = ("ities", "ation", "ings", "ing", "ies", "ied", "ers", "ed", "es", "s")
_KEEP = frozenset({"bus", "gas", "less", "its", "this", "was", "has", "as", "is", "us", "plus",
                   "ambitious", "various", "previous", "focus", "status", "census", "lulucf",
                   "news", "series", "statutory", "cases", "neets"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip common endings, then keep five letters: "reduction", "reduced" and "reduce" all
    become "reduc". Crude, but it matches the way staff rephrase the documents' words, and the
    embeddings catch what it conflates."""
    if len(word) <= 3 or word in _KEEP or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix in ("ies", "ied"):
                word = word[:-3] + "y"
            elif suffix == "es" and not word[:-2].endswith(("ss", "sh", "ch", "x", "z")):
                word = word[:-1]
            else:
                word = word[: -len(suffix)]
            break
    return word[:5]


_NUMBERED_LABEL = re.compile(r"\b(ambition|strategic objective|objective|so|priority)\s?(\d{1,2})\b")


def words(text: str) -> list[str]:
    """Lower-case words; "Ambition 5" and "SO2" become single terms so a number can select a section."""
    text = text.lower().replace("’", "'").replace("co2e", "co2 carbon")
    text = _NUMBERED_LABEL.sub(lambda m: f"{'so' if 'objective' in m.group(1) else m.group(1)}{m.group(2)} {m.group(1)}", text)
    return _WORD.findall(text)


def index_terms(text: str) -> list[str]:
    """Terms used to index a passage for keyword search (stopwords dropped, stemmed)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def query_terms(text: str, expand: bool = True) -> list[str]:
    """Terms of a question for keyword search, with everyday synonyms added."""
    terms: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        base = stem(word)
        terms.append(base)
        if expand:
            for synonym in SYNONYMS.get(word, ()) + SYNONYMS.get(base, ()):
                terms.append(stem(synonym))
    return list(dict.fromkeys(terms))


def salient_terms(text: str) -> list[str]:
    """The question's own content words that a real answer has to talk about. An everyday phrase the
    speller glossed with the documents' word ("keeps an eye on (monitors)") counts by that word only:
    no passage says "eye"."""
    text = _GLOSSED_PHRASE.sub(" ", text) if _GLOSSED_PHRASE is not None else text
    return list(dict.fromkeys(
        stem(w)
        for w in words(text)
        if w not in STOPWORDS and w not in GENERIC_TERMS and stem(w) not in GENERIC_STEMS
        and not w.isdigit() and (len(w) > 2 or any(ch.isdigit() for ch in w))
    ))


# An idiom of several words ("keep an eye on"), not a one-word synonym ("potholes"), which an added
# document may print itself.
_IDIOMS = sorted((p for p in PHRASES if " " in p), key=len, reverse=True)
_GLOSSED_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _IDIOMS) + r")\b(?= \()",
                             re.IGNORECASE) if _IDIOMS else None


@lru_cache(maxsize=8192)
def expansions(term: str) -> frozenset[str]:
    """A salient term and the synonyms that count as mentioning it (cached: coverage asks for
    the same terms for every candidate sentence)."""
    found = {term}
    for key, values in SYNONYMS.items():
        if stem(key) == term:
            found.update(stem(v) for v in values)
        if term in (stem(v) for v in values):
            found.add(stem(key))
    return frozenset(found)


# The generic terms as stems, for comparing with index terms ("briefing" is "brief").
GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_TERMS)
