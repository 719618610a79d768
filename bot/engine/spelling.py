"""The words people type, made into words the documents use, before anything is searched.

Staff type "councl", "obsity", "cambs", "£5m" and "netzero". Refusing such a question because
half its words are unknown (what the engine used to do) turns a typo into "I couldn't find
that". Here a word that is neither in the documents nor in an English dictionary is corrected
to the closest word of the documents' own vocabulary (rapidfuzz's optimal string alignment
distance, so a swapped pair of letters costs one edit); abbreviations come from
corpus/language.yaml. Real English words are left alone even when the documents never use
them: "potholes" must stay "potholes", so that the answer can abstain honestly.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterable, Mapping

from rapidfuzz import distance, process

from retrieval.terms import ABBREVIATIONS, GENERIC_TERMS, STOPWORDS, SYNONYMS

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_MONEY = re.compile(r"£\s?(\d+(?:\.\d+)?)\s?(m|mn|mil|million|bn|b|billion|k)\b", re.IGNORECASE)
_MONEY_WORDS = {"m": "million", "mn": "million", "mil": "million", "million": "million", "bn": "billion",
                "b": "billion", "billion": "billion", "k": "thousand"}


def english_words() -> frozenset[str]:
    """The English word list that symspellpy ships (82,765 words with their frequencies)."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle if line.strip())


@dataclass(frozen=True)
class Spelling:
    """A question as typed, and as the engine reads it."""

    original: str
    text: str
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read)


class QuestionSpeller:
    """Corrects a question's words against the vocabulary of the documents.

    `vocabulary` counts the words of the indexed documents (and measure names); `english` is
    the dictionary that says a word is real even though the documents never use it. Built once
    per engine; the English list is read only when a question has a word the documents lack.
    """

    def __init__(self, vocabulary: Mapping[str, int], english: Iterable[str] | None = None,
                 abbreviations: Mapping[str, str] = ABBREVIATIONS):
        if not vocabulary:
            raise ValueError("QuestionSpeller needs the documents' vocabulary (no words given)")
        self._counts = Counter({w.lower(): c for w, c in vocabulary.items() if len(w) > 1})
        self._known = set(self._counts) | set(STOPWORDS) | set(GENERIC_TERMS) | set(SYNONYMS)
        self._choices = sorted(w for w in self._counts if len(w) > 2 and w.isalpha())
        self._english_given = frozenset(english) if english is not None else None
        self._abbreviations = {k.lower(): v for k, v in abbreviations.items()}

    @classmethod
    def from_texts(cls, texts: Iterable[str], **kwargs) -> "QuestionSpeller":
        counts: Counter = Counter()
        for text in texts:
            counts.update(w.lower().strip("'’-") for w in _WORD.findall(text))
        return cls(counts, **kwargs)

    @cached_property
    def _english(self) -> frozenset[str]:
        return self._english_given if self._english_given is not None else english_words()

    def correct(self, question: str) -> Spelling:
        text = _MONEY.sub(lambda m: f"£{m.group(1)} {_MONEY_WORDS[m.group(2).lower()]}", question)
        corrections: list[tuple[str, str]] = []

        def replace(match: re.Match) -> str:
            word = match.group(0)
            fixed = self._word(word)
            if fixed != word:
                corrections.append((word, fixed))
            return fixed

        text = _WORD.sub(replace, text)
        text = self._expand_symbols(text)
        return Spelling(question, " ".join(text.split()), tuple(corrections))

    def _expand_symbols(self, text: str) -> str:
        for short in ("&", "+", "w/"):
            if short in self._abbreviations:
                text = re.sub(rf"(?<=\s){re.escape(short)}(?=\s)", self._abbreviations[short], text)
        return text

    def _word(self, word: str) -> str:
        lower = word.lower().replace("’", "'")
        bare = lower.replace("'", "")
        if lower in self._known or bare in self._known:
            return word
        if bare in self._abbreviations:
            return self._abbreviations[bare]
        if len(bare) < 4 or not bare.isalpha():
            return word
        if bare in self._english or bare.rstrip("s") in self._known:
            return word
        split = self._split_fused(bare)
        if split:
            return split
        return self._closest(bare) or word

    def _closest(self, word: str) -> str | None:
        limit = 1 if len(word) <= 5 else 2
        found = process.extract(word, self._choices, scorer=distance.OSA.distance, score_cutoff=limit, limit=8)
        # People rarely mistype the first letter: "gritters" is not "quitters".
        found = [item for item in found if item[0][0] == word[0]]
        if not found:
            return None
        # The fewest edits first; among equals the word the documents use most.
        best = min(found, key=lambda item: (item[1], -self._counts[item[0]]))
        return best[0]

    def _split_fused(self, word: str) -> str | None:
        """"netzero" → "net zero": two words of the documents typed together."""
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self._counts.get(left, 0) >= 2 and self._counts.get(right, 0) >= 2:
                return f"{left} {right}"
        return None
