"""Choosing the sentences that answer a question, and reading figures out of them.

The offline engine never writes a number of its own: every figure it reports is a substring
of a quoted sentence, and "£XX" (a drafting placeholder in the 2010 plan) is never treated as one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from bot.answer import Figure
from bot.engine.forms import own_words
from retrieval.chunk import Chunk, Unit
from retrieval.search import SearchHit
from retrieval.terms import STOPWORDS, expansions, index_terms
from retrieval.text import shorten, split_sentences

PLACEHOLDER = re.compile(r"£\s?X{2,}", re.IGNORECASE)
_UNIT_WORDS = (
    r"million tonnes co2e|million tonnes|tonnes co2e|tonnes|per cent|percent|%|million|billion|years?|"
    r"hours|children|adults|people|carers|councillors|local politicians|politicians|parish councils|town and parish councils|"
    r"lower layer super output areas|lsoas|cases|passengers|months|weeks|times"
)
_FIGURE = re.compile(
    rf"(?P<value>£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|bn|m|k)\b)?|\b\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\b\d+(?:\.\d+)?)"
    rf"(?:\s?(?P<unit>{_UNIT_WORDS}))?",
    re.IGNORECASE,
)
ANAPHOR = re.compile(r"^\W*(?:[\d,.]+\s+of\s+(?:these|them)|these|this|they|it|such|however|the range)\b",
                      re.IGNORECASE)
_NAVIGATION = re.compile(r"^\s*(?:table of )?contents\b", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")
_PERIOD_TOKEN = re.compile(r"\b(?:19|20)\d\d\s?[/-]\s?\d\d(?:\d\d)?\b")


@dataclass(frozen=True)
class Quote:
    chunk: Chunk
    unit: Unit
    score: float
    similarity: float
    coverage: float
    context: str = ""  # the sentence an anaphoric unit ("11 of these…") leans on
    prints_phrase: bool = False  # prints three words of the question in a row ("Making Cambridgeshire Count")

    @property
    def text(self) -> str:
        return self.unit.text

    def coverage_of(self, weights: dict[str, float]) -> float:
        return coverage(weights, f"{self.chunk.section or ''} {self.unit.lead} {self.context} {self.unit.text}")

    def has_figure(self) -> bool:
        return bool(figures_in(self.unit.text))

    def has_placeholder(self) -> bool:
        return bool(PLACEHOLDER.search(self.unit.text))


def coverage(weights: dict[str, float], text: str) -> float:
    """Share of the question's content words the text mentions (synonyms count), each word
    weighted by how rare it is in the documents, so "ambition 5" counts for more than "progress"."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(index_terms(text))
    return sum(w for term, w in weights.items() if expansions(term) & present) / total


def _word_run(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _phrases_of(question: str, weights: dict[str, float]) -> set[tuple[str, ...]]:
    """Runs of three words from the question that join a topic word to words search drops as too
    common ("making cambridgeshire count"): a passage printing one is about that name, though coverage
    counts only "making". A run of topic words alone ("20% most deprived") is coverage's business."""
    words = _word_run(own_words(question))  # a follow-up's own words, not the topic carried over

    def weighted(word: str) -> bool:
        return any(term in weights for term in index_terms(word))

    def dropped(word: str) -> bool:
        return word not in STOPWORDS and not word.isdigit() and not weighted(word)

    runs = (tuple(words[i:i + 3]) for i in range(len(words) - 2))
    return {run for run in runs if any(weighted(w) for w in run) and any(dropped(w) for w in run)}


def _prints_phrase(text: str, phrases: set[tuple[str, ...]]) -> bool:
    words = _word_run(text)
    return any(tuple(words[i:i + 3]) in phrases for i in range(len(words) - 2))


def rank_quotes(hits: Sequence[SearchHit], unit_vectors: dict[str, np.ndarray], query_vector: np.ndarray,
                weights: dict[str, float], quantitative: bool, prefer_drafts: bool = False,
                superseded: frozenset[str] = frozenset(), question: str = "") -> list[Quote]:
    phrases = _phrases_of(question, weights)
    quotes = []
    for rank, hit in enumerate(hits):
        vectors = unit_vectors.get(hit.chunk.id)
        if vectors is None:
            continue
        similarities = vectors @ query_vector
        section = hit.chunk.section or ""
        previous = ""
        for unit, similarity in zip(hit.chunk.units, similarities):
            # "11 of these are in Fenland" is only about deprived areas through the sentence before it.
            context = previous if ANAPHOR.match(unit.text) else ""
            previous = unit.text
            unit_coverage = coverage(weights, f"{section} {unit.lead} {context} {unit.text}")
            score = float(similarity) + 0.45 * unit_coverage + 0.15 * hit.similarity - 0.01 * rank
            if quantitative and figures_in(unit.text):
                score += 0.08
            printed = bool(phrases) and _prints_phrase(unit.text, phrases)
            if printed:
                score += 0.1
            if prefer_drafts and hit.chunk.status == "draft":
                # Asked for the draft: its own wording wins over the later edition's near-identical one.
                score += 0.15 if hit.chunk.doc_id in superseded else 0.05
            elif not prefer_drafts and hit.chunk.doc_id in superseded:
                score -= 0.1  # a later edition says nearly the same: cite that
            if len(unit.text) < 40:
                score -= 0.05
            if hit.chunk.status == "added":
                score -= 0.1  # the council's own documents outrank one a user added, on equal evidence
            if _is_label(unit.text) or _names_only_the_document(unit.text, hit.chunk.title):
                score -= 0.4  # "Anti-poverty", "Net zero carbon target": a heading or caption, not an answer
            if _NAVIGATION.match(unit.lead) or _NAVIGATION.match(section.rsplit(" › ", 1)[-1]):
                score -= 0.3  # a table of contents names topics; it never answers one
            quotes.append(Quote(hit.chunk, unit, score, float(similarity), unit_coverage, context, printed))
    quotes.sort(key=lambda q: -q.score)
    return quotes


def plain_words(text: str) -> str:
    """Lower-case words and numbers only, one space apart: text compared whatever its punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _names_only_the_document(text: str, title: str) -> bool:
    """"Draft Strategic Framework 2023-2028" printed as a line of its own: the cover, which a question naming
    the document resembles and which answers nothing."""
    return bool(title) and plain_words(text) in plain_words(title)


def _is_label(text: str) -> bool:
    """A few words with no figure and no sentence: an infographic caption or a heading."""
    words = text.split()
    return len(words) <= 4 and not any(ch.isdigit() for ch in text) and not text.rstrip().endswith((".", "?"))


def is_heading(text: str) -> bool:
    """A line in title case with no sentence in it ("Introduction from the Leader of the Council"):
    a heading or a caption, which names a topic rather than saying anything about it."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    content = [w for w in words if w.lower() not in STOPWORDS]
    return (bool(content) and len(words) <= 10 and not text.rstrip().endswith((".", "?", "!", ":"))
            and not any(ch.isdigit() for ch in text) and all(w[0].isupper() for w in content))


def choose_quotes(ranked: Sequence[Quote], limit: int = 3, margin: float = 0.18) -> list[Quote]:
    if not ranked:
        return []
    best = ranked[0]
    chosen = [best]
    for quote in ranked[1:]:
        if len(chosen) >= limit:
            break
        if quote.score < best.score - margin or quote.coverage < best.coverage * 0.5:
            continue
        if any(quote.unit.text == c.unit.text for c in chosen):
            continue
        chosen.append(quote)
    return chosen


_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                r"a hundred|hundreds of|a thousand|thousands of)")
# A figure the document writes in words ("three and a half years higher", "two thousand children"):
# it counts only with its unit, and a span of years only when it compares ("… years higher than").
_WORDED_FIGURE = re.compile(
    rf"\b(?P<value>{_NUMBER_WORD}(?:[- ]{_NUMBER_WORD})?(?: and a half)?)\s(?P<unit>{_UNIT_WORDS})\b"
    r"(?P<after>\s+(?:higher|lower|longer|shorter|more|less|older|younger|fewer)\b)?",
    re.IGNORECASE,
)


def figures_in(text: str) -> list[tuple[str, str | None]]:
    """(value as printed, unit) pairs in a sentence, skipping years, list numbers and placeholders."""
    cleaned = _PERIOD_TOKEN.sub(" ", PLACEHOLDER.sub(" ", text))
    found = _digit_figures(cleaned)
    for match in _WORDED_FIGURE.finditer(cleaned):
        unit = match.group("unit")
        if unit.lower() in ("year", "years", "months", "weeks", "times") and not match.group("after"):
            continue  # "over the next five years" is a span of time, "three times" a count of occasions
        found.append((match.group("value"), unit))
    return found


def _digit_figures(cleaned: str) -> list[tuple[str, str | None]]:
    found = []
    for match in _FIGURE.finditer(cleaned):
        value = match.group("value").strip()
        unit = match.group("unit")
        if _YEARLIKE.match(value) and not unit:
            continue
        if not unit and re.match(r"[A-Za-z]", cleaned[match.end():match.end() + 1]):
            continue  # part of a code such as "1F" or "2A", not a figure
        if re.fullmatch(r"\d", value) and not unit and re.match(r"\s*[:.)]", cleaned[match.end():]):
            continue  # a list or heading number ("1: Our Vision", "2.")
        before = cleaned[max(0, match.start() - 12) : match.start()].lower()
        # codes and ranks, not amounts: "Ambition 5", "Key Stage 2", "Top 10 of any organisation"
        if re.search(r"(ambition|objective|so|section|stage|ks|year|aged|tier|page|part|phase|key stage|top|rank|"
                     r"ranked|number|no\.)\s*$", before) and not unit:
            continue
        if unit and unit.lower() in ("years", "year") and re.search(r"aged|year\s*$", before):
            continue
        if unit and unit.lower() in ("years", "year", "months", "weeks", "hours") and re.search(
                r"\b(?:past|last|next|over|within|for|every|per|after)\s*(?:the\s*)?$", before):
            continue  # "over the past 12 months" is the span a measure counts over, not an amount
        found.append((value, unit.strip() if unit else None))
    return found


_PERIOD = re.compile(
    r"\b(?:19|20)\d\d\s?[/-]\s?\d\d(?:\d\d)?\b|\b(?:by|in|since|during|over|for)\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b"
)


def period_in(text: str) -> str | None:
    match = _PERIOD.search(text)
    return match.group(0) if match else None


def _context_of(value: str, text: str) -> str:
    """The fragment (infographic part or sentence) that prints `value`: what the figure measures."""
    for part in text.split(" · "):
        if value in part:
            for sentence in split_sentences(part):
                if value in sentence:
                    return sentence
            return part
    return text


def figures_for(quotes: Sequence[Quote]) -> list[Figure]:
    """Figures read from the quoted sentences; the period is the one the sentence states, else
    the document's period, labelled as such."""
    figures = []
    for quote in quotes:
        period = period_in(quote.unit.text) or f"document period {quote.chunk.period_start}-{quote.chunk.period_end}"
        for value, unit in figures_in(quote.unit.text):
            figures.append(Figure(
                name=shorten(_context_of(value, quote.unit.text), 100), value=value, unit=unit, period=period,
                doc_id=quote.chunk.doc_id, outcome=None,
            ))
    return figures
