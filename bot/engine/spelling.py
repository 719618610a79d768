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

from retrieval.terms import ABBREVIATIONS, ACRONYMS, GENERIC_TERMS, PHRASES, STOPWORDS, SYNONYMS

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_SCHOOL_YEAR = re.compile(r"\byr?\s?(\d{1,2})\b", re.IGNORECASE)
_MONEY = re.compile(r"£\s?(\d+(?:\.\d+)?)\s?(m|mn|mil|million|bn|b|billion|k)\b", re.IGNORECASE)
# "says 119m tho": an amount written short without its £ (a council's "m" is millions, not metres)
_BARE_MILLIONS = re.compile(r"(?<![\w£.,])(\d+(?:\.\d+)?)(m|mn|bn)\b", re.IGNORECASE)
_MONEY_WORDS = {"m": "million", "mn": "million", "mil": "million", "million": "million", "bn": "billion",
                "b": "billion", "billion": "billion", "k": "thousand"}


def english_words() -> frozenset[str]:
    """The English word list that symspellpy ships (82,765 words with their frequencies)."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle if line.strip())


_UNITS = {w: n for n, w in enumerate("one two three four five six seven eight nine".split(), 1)}
_TEENS = {w: n for n, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                     "nineteen".split(), 10)}
_TENS = {w: n * 10 for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}


def _two_digits(words: str) -> int | None:
    """"three" → 3, "twenty three" / "twenty-three" → 23, "nineteen" → 19."""
    parts = words.replace("-", " ").split()
    if len(parts) == 1:
        return _UNITS.get(parts[0], _TEENS.get(parts[0], _TENS.get(parts[0])))
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return _TENS[parts[0]] + _UNITS[parts[1]]
    return None


_SMALL = "|".join(sorted([*_UNITS, *_TEENS, *_TENS], key=len, reverse=True))
_TWO = rf"(?:(?:{'|'.join(_TENS)})[- ](?:{'|'.join(_UNITS)})|{_SMALL})"
# "twenty twenty three", "two thousand and nineteen", "nineteen ninety": a year said as words.
_SPOKEN_YEAR = re.compile(
    rf"\b(?:(?P<century>twenty|nineteen)[- ](?P<rest>{_TWO})|two thousand(?: and)? (?P<after>{_TWO}))\b",
    re.IGNORECASE)


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_SHORT_MONTH_RANGE = re.compile(rf"\b({_MONTHS})\.?\s*'?(\d\d)\s*(?:-|–|to|until)\s*({_MONTHS})\.?\s*'?(\d\d)\b",
                                re.IGNORECASE)


def _month_range_in_full(match: re.Match) -> str:
    first, first_year, last, last_year = match.groups()
    return f"{first} 20{first_year} to {last} 20{last_year}"


def _year_in_digits(match: re.Match) -> str:
    if match.group("after"):
        value = _two_digits(match.group("after").lower())
        return str(2000 + value) if value is not None and value < 100 else match.group(0)
    rest = _two_digits(match.group("rest").lower())
    if rest is None or rest < 10:  # "twenty one" is a count, not a year
        return match.group(0)
    return str((20 if match.group("century").lower() == "twenty" else 19) * 100 + rest)


def _left_out_letter(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter left out ("deliverd" of "delivered", not "delivery")."""
    return len(word) == len(typed) + 1 and any(word[:i] + word[i + 1:] == typed for i in range(len(word)))


def _shared_start(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


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
                 abbreviations: Mapping[str, str] = ABBREVIATIONS, acronyms: Mapping[str, str] = ACRONYMS,
                 phrases: Mapping[str, str] = PHRASES):
        if not vocabulary:
            raise ValueError("QuestionSpeller needs the documents' vocabulary (no words given)")
        self._counts = Counter({w.lower(): c for w, c in vocabulary.items() if len(w) > 1})
        self._known = set(self._counts) | set(STOPWORDS) | set(GENERIC_TERMS) | set(SYNONYMS)
        # Corrections land on a word of the documents or one of the words questions are framed with
        # ("breifing" → "briefing"), never on a word of neither.
        self._choices = sorted({w for w in self._counts if len(w) > 2 and w.isalpha()}
                               | {w for w in GENERIC_TERMS if len(w) > 3 and w.isalpha()})
        self._english_given = frozenset(english) if english is not None else None
        self._abbreviations = {k.lower(): v for k, v in abbreviations.items()}
        self._acronyms = dict(acronyms)
        self._acronyms_typed_lower = {k.lower(): k for k in acronyms}
        self._phrases = dict(phrases)
        self._english_by_letter: dict[str, list[str]] = {}

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
        text = _BARE_MILLIONS.sub(lambda m: f"{m.group(1)} {_MONEY_WORDS[m.group(2).lower()]}", text)
        corrections: list[tuple[str, str]] = []
        for spoken in _SPOKEN_YEAR.finditer(text):
            if _year_in_digits(spoken) != spoken.group(0):
                corrections.append((spoken.group(0), _year_in_digits(spoken)))
        text = _SPOKEN_YEAR.sub(_year_in_digits, text)

        def replace(match: re.Match) -> str:
            word = match.group(0)
            fixed = self._word(word)
            if fixed != word and not fixed.startswith(f"{word} ("):  # an acronym's meaning is not a correction
                corrections.append((word, fixed))
            return fixed

        text = _SCHOOL_YEAR.sub(lambda m: f"year {m.group(1)}", text)  # "y6", "yr6" → "year 6"
        text = _WORD.sub(replace, text)
        text = _SHORT_MONTH_RANGE.sub(_month_range_in_full, text)  # "dec 23 - feb 24" → "dec 2023 to feb 2024"
        text = self._expand_symbols(text)
        text = self._with_document_words(text)
        # A question read once already (a thread's earlier turn) keeps one gloss per acronym.
        text = re.sub(r"(\(([^()]+)\))(?:\s*\(\2\))+", r"\1", text)
        return Spelling(question, " ".join(text.split()), tuple(corrections))

    def _with_document_words(self, text: str) -> str:
        """"who keeps an eye on performance" → "who keeps an eye on (monitors) performance": a phrase
        people use, with the word the documents print beside it (corpus/language.yaml, phrases)."""
        for phrase, word in self._phrases.items():
            text = re.sub(rf"\b{re.escape(phrase)}\b(?! \()", lambda m: f"{m.group(0)} ({word})", text, flags=re.IGNORECASE)
        return text

    def _expand_symbols(self, text: str) -> str:
        for short in ("&", "+", "w/"):
            if short in self._abbreviations:
                text = re.sub(rf"(?<=\s){re.escape(short)}(?=\s)", self._abbreviations[short], text)
        return text

    def _word(self, word: str) -> str:
        if word in self._acronyms:
            return f"{word} ({self._acronyms[word]})"
        lower = word.lower().replace("’", "'")
        bare = lower.replace("'", "")
        if lower in self._acronyms_typed_lower and lower not in self._english:
            # "lsoas" typed small is still the acronym; "send" typed small is the verb
            return f"{word} ({self._acronyms[self._acronyms_typed_lower[lower]]})"
        if bare in self._abbreviations:  # "yr" is "year" even where a table prints "Yr"
            if len(bare) >= 3 and bare in self._known:
                return word  # the KPI table prints "ASC/OPMH": a word the sources print is read as printed
            return self._abbreviations[bare]
        if lower in self._known or bare in self._known:
            return word
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
            # No document word is near, but an English one is ("libary" is "library", which stems
            # like the documents' "libraries").
            return self._nearest_english(word, 1) if len(word) >= 5 else None
        # The fewest edits first; among equals a letter left out ("lookd" is "looked", not "look": people
        # drop letters more often than they add them), then the word the documents use most.
        best = min(found, key=lambda item: (item[1], not _left_out_letter(word, item[0]), len(item[0]) < len(word),
                                            -self._counts[item[0]]))
        if best[1] > 1:
            # Two edits from a document word but one from an English word ("estimte" is "estimate",
            # not "estate"): the English word is what was meant.
            nearer = self._nearest_english(word, best[1] - 1)
            if nearer is not None:
                return nearer
        return best[0]

    def _nearest_english(self, word: str, limit: int) -> str | None:
        """The English word fewest edits away (at most `limit`). Among equals, the one that keeps more of
        the typed word's beginning ("gritters" is "gritter", not "glitters"), then the first in
        alphabetical order, so the same question is read the same way in every process."""
        found = process.extract(word, self._english_starting(word[0]), scorer=distance.OSA.distance,
                                score_cutoff=limit, limit=None)
        if not found:
            return None
        fewest = min(item[1] for item in found)
        return min((item[0] for item in found if item[1] == fewest),
                   key=lambda candidate: (-_shared_start(word, candidate), candidate))

    def _english_starting(self, letter: str) -> list[str]:
        if letter not in self._english_by_letter:
            self._english_by_letter[letter] = sorted(w for w in self._english if w[:1] == letter)
        return self._english_by_letter[letter]

    def _split_fused(self, word: str) -> str | None:
        """"netzero" → "net zero": two words of the documents typed together."""
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self._counts.get(left, 0) >= 2 and self._counts.get(right, 0) >= 2:
                return f"{left} {right}"
        return None
