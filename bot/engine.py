"""The offline answer engine: question → cited, extractive answer, with no language model.

It quotes the sentences that answer, reports figures exactly as printed, and abstains plainly
when the documents don't answer. Everything slow or external (embedder, search, KPI tools) is
passed in, so tests run it with a fake embedder and a temporary index.
"""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from bot.answer import Answer, Citation, Turn
from bot.editions import edition_pairs, find_difference
from bot.guardrails import QuestionRejected, clean_question, refusal_for
from bot.quoting import Quote, choose_quotes, figure_near, figures_for, rank_quotes
from bot.scope import QuestionScope, resolve_scope
from retrieval.corpus import DocumentInfo
from retrieval.embed import Embedder
from retrieval.search import HybridSearcher, SearchFilters
from retrieval.terms import GENERIC_TERMS, expansions, query_terms, salient_terms, stem

_LIST_QUESTION = re.compile(
    r"^(what|which) (are|were)\b|\blist\b|\ball (the|of the)\b|\bhow (will|does|do|did|is|are) .{0,60}"
    r"\b(track|measur|monitor|know)|\b(ambitions|priorities|outcomes|objectives|enablers|principles|measures|"
    r"commitments|indicators)\b", re.IGNORECASE)
NOT_FOUND = "I couldn't find that in the council's strategy documents."
NO_DATE = "The council's strategy documents don't give a date for that."
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
NO_FIGURE = "The council's strategy documents don't give a figure for that."
_FOLLOW_UP = re.compile(r"^(and|what about|how about|in the|for the|same for|and for|and in|what did)\b", re.IGNORECASE)
_GENERIC = {stem(w) for w in GENERIC_TERMS}
_EDITION_WORDS = {stem(w) for w in ("differ", "difference", "different", "final", "change", "changed", "compare",
                                     "version", "edition", "between")}
_SCOPE_WORDS = {stem(w) for w in ("draft", "framework", "plan", "strategy", "edition", "later", "earlier",
                                   "current", "latest", "one", "version", "document", "integrated")}


@dataclass(frozen=True)
class Passage:
    """A retrieved passage with where it comes from; what a language model may quote."""

    doc_id: str
    title: str
    section: str | None
    text: str
    status: str
    period: str
    similarity: float


@dataclass(frozen=True)
class AbstainPolicy:
    """When the best passage is too weak to quote. Calibrated on all-MiniLM-L6-v2 against the
    evaluation set; another embedder (tests use a hashing one) needs its own values."""

    min_similarity: float = 0.25   # below this the best sentence is unrelated
    weak_similarity: float = 0.4   # below this, the sentence must also cover half of the question
    min_coverage: float = 0.3      # share of the question's (rarity-weighted) words the quote mentions
    min_figure_coverage: float = 0.5  # a number is worse than no answer if it is about something else


class OfflineEngine:
    mode = "offline"

    def __init__(self, searcher: HybridSearcher, embedder: Embedder, unit_vectors: dict[str, np.ndarray],
                 documents: Sequence[DocumentInfo], kpi=None, policy: AbstainPolicy = AbstainPolicy(),
                 lineage=None):
        self._searcher = searcher
        self._embedder = embedder
        self._unit_vectors = unit_vectors
        self._documents = list(documents)
        self._titles = {d.id: d.title for d in documents}
        self._editions = edition_pairs(self._documents)
        self._superseded = frozenset(d.supersedes for d in self._documents if d.supersedes)
        self._kpi = kpi
        self._lineage = lineage  # "how has X changed since 2010?" timelines (bot.briefing)
        self._policy = policy
        self._keywords = searcher.keywords  # term statistics, computed once for BM25

    # -- public API -------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        started = time.perf_counter()
        try:
            text = clean_question(question)
        except QuestionRejected as rejected:
            return Answer(question=str(question)[:200], text=str(rejected), abstained=True)
        refusal = refusal_for(text)
        if refusal:
            return self._timed(Answer(question=text, text=refusal.message, abstained=True), started)
        effective = self._with_context(text, history)
        result = None
        if self._lineage is not None:
            result = self._lineage.answer_lineage(effective) or self._lineage.answer_about(effective)
        if result is None and self._kpi is not None:
            result = self._kpi.answer(effective)
        if result is None:
            result = self._answer_from_documents(effective)
        return self._timed(replace(result, question=text), started)

    def describe_measure(self, query: str) -> Answer:
        started = time.perf_counter()
        if self._kpi is not None:
            result = self._kpi.describe_measure(query)
            if result is not None:
                return self._timed(result, started)
        return self.answer(f"Which outcome does the KPI {query} serve?")

    def passages(self, query: str, limit: int = 6) -> list[Passage]:
        """The best-matching passages for a query, for callers that write their own answer (the
        LLM mode's search tool). Same scoping rules as `answer`: the later edition is preferred
        and "current" or a framework year selects documents."""
        scope = resolve_scope(query, self._documents)
        vector = self._embedder.embed([query])[0]
        terms = [t for t in query_terms(query) if t not in _SCOPE_WORDS and t not in _GENERIC and not t.isdigit()]
        hits = self._searcher.search(vector, terms, SearchFilters(doc_ids=scope.doc_ids,
                                                                  include_repeated=scope.wants_draft), k=limit)
        return [
            Passage(h.chunk.doc_id, self._titles.get(h.chunk.doc_id, h.chunk.title), h.chunk.section, h.chunk.text,
                    h.chunk.status, f"{h.chunk.period_start}-{h.chunk.period_end}", round(h.similarity, 3))
            for h in hits
        ]

    # -- steps ------------------------------------------------------------------------------
    @staticmethod
    def _timed(answer: Answer, started: float) -> Answer:
        return replace(answer, latency_ms=(time.perf_counter() - started) * 1000)

    def _with_context(self, question: str, history: Sequence[Turn]) -> str:
        """A follow-up like "and in the 2016 framework?" borrows the topic of the last question."""
        if not history:
            return question
        own_terms = [t for t in salient_terms(question) if t not in _SCOPE_WORDS]
        if _FOLLOW_UP.match(question) or len(own_terms) <= 1:
            # Keep the earlier topic but drop its years, so the follow-up's own framework wins.
            topic = re.sub(r"\b(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?\b", "", history[-1].question)
            return f"{question} {topic}"
        return question

    def _answer_from_documents(self, question: str) -> Answer:
        scope = resolve_scope(question, self._documents)
        salient = [t for t in salient_terms(question) if t not in _SCOPE_WORDS
                   and not (scope.wants_draft and t in _EDITION_WORDS)]
        unknown = [t for t in salient if not self._known(t)]
        if salient and len(unknown) >= math.ceil(len(salient) / 2):
            return Answer(question, NOT_FOUND, abstained=True)
        vector = self._embedder.embed([question])[0]
        filters = SearchFilters(doc_ids=scope.doc_ids, include_repeated=scope.wants_draft)
        # Words that chose the document ("draft", "2016", "framework") only add noise to keyword search.
        terms = [t for t in query_terms(question) if t not in _SCOPE_WORDS and t not in _GENERIC and not t.isdigit()]
        hits = self._searcher.search(vector, terms, filters, k=12)
        weights = {t: self._term_weight(t) for t in salient}
        ranked = rank_quotes(hits, self._unit_vectors, vector, weights, scope.quantitative,
                             prefer_drafts=scope.wants_draft, superseded=self._superseded)
        if not ranked:
            return Answer(question, NOT_FOUND, abstained=True)
        best = ranked[0]
        policy = self._policy
        if best.similarity < policy.min_similarity:
            return self._abstain(question, NOT_FOUND, ranked)
        if salient and (best.coverage < policy.min_coverage
                        or (best.coverage < 0.5 and best.similarity < policy.weak_similarity)):
            return self._abstain(question, NOT_FOUND, ranked)
        chosen = choose_quotes(ranked)
        if scope.asks_when:
            dated = [q for q in ranked[:8] if _YEAR.search(q.unit.text) and q.coverage >= best.coverage * 0.6]
            if not dated:
                return self._abstain(question, NO_DATE, ranked)
            chosen = [dated[0]] + [q for q in chosen if q is not dated[0]][:2]
        elif scope.quantitative:
            chosen = self._with_figure_first(chosen, ranked, salient)
            if chosen is None or self._figure_off_topic(chosen[0], weights):
                return self._abstain(question, NO_FIGURE, ranked)
            if chosen[0].has_placeholder():
                return Answer(question, (
                    f"{NO_FIGURE} The {self._titles[chosen[0].chunk.doc_id]} leaves that amount blank: it "
                    "prints a drafting placeholder (XX) where the figure should be."), abstained=True)
            if scope.data_years and not self._matches_year(chosen[0], scope.data_years):
                return self._abstain(question, f"{NO_FIGURE[:-1]} for {', '.join(map(str, scope.data_years))}.", ranked)
        return self._compose(question, chosen, scope)

    def _known(self, term: str) -> bool:
        """Whether the documents use the term or one of its synonyms at all."""
        return any(self._keywords.document_frequency(e) for e in expansions(term))

    def _term_weight(self, term: str) -> float:
        """Rare words say most about what a question wants; a word the documents never use, most of all."""
        total = max(1, len(self._searcher.chunks))
        frequency = max((self._keywords.document_frequency(e) for e in expansions(term)), default=0)
        if frequency == 0:
            return math.log((total + 1) / 0.5)
        return math.log((total + 1) / (frequency + 0.5))

    @staticmethod
    def _matches_year(quote: Quote, years: Sequence[int]) -> bool:
        """A figure answers "… in 2024?" only if its sentence is about that year: it names the year
        (or a financial year containing it), or names no year and its document covers it."""
        text = f"{quote.unit.lead} {quote.unit.text}"
        printed = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
        printed += [int(a[:2] + b) for a, b in re.findall(r"\b((?:19|20)\d\d)\s?[/-]\s?(\d\d)\b", text)]
        if printed:
            return any(year in printed for year in years)
        return all(quote.chunk.period_start <= year <= quote.chunk.period_end for year in years)

    def _figure_off_topic(self, quote: Quote, weights: dict[str, float]) -> bool:
        """A figure must be about what was asked: judged on the question's words that the
        documents use at all (a paraphrase like "neighbourhoods" for "LSOAs" is not held against it)."""
        known = {t: w for t, w in weights.items() if self._known(t)}
        if not known:
            return False
        return quote.coverage_of(known) < self._policy.min_figure_coverage

    def _with_figure_first(self, chosen: list[Quote], ranked: Sequence[Quote],
                           salient: Sequence[str] = ()) -> list[Quote] | None:
        """For "how many/how much" questions, lead with the best-covering sentence that prints a
        figure (or the placeholder where a figure should be); None when no such sentence is close."""
        best = ranked[0]
        candidates = [
            q for q in ranked[:8]
            if (q.has_placeholder() or (q.has_figure() and (not salient or figure_near(q.unit.text, salient))))
            and q.coverage >= max(best.coverage * 0.5, 0.01) and q.score >= best.score - 0.35
        ]
        if not candidates:
            return None
        lead = max(candidates, key=lambda q: (round(q.coverage, 2), q.score))
        if lead is chosen[0] or (chosen[0] in candidates and chosen[0].coverage >= lead.coverage):
            return chosen
        return [lead] + [q for q in chosen if q is not lead][:2]

    def _abstain(self, question: str, message: str, ranked: Sequence[Quote]) -> Answer:
        places = list(dict.fromkeys(
            f"{self._titles.get(q.chunk.doc_id, q.chunk.doc_id)} › {q.chunk.section}" if q.chunk.section
            else self._titles.get(q.chunk.doc_id, q.chunk.doc_id)
            for q in ranked[:6] if q.similarity >= self._policy.min_similarity
        ))[:2]
        text = message
        if places:
            text += " The closest passages are in: " + "; ".join(places) + "."
        return Answer(question, text, abstained=True)

    def _compose(self, question: str, quotes: Sequence[Quote], scope: QuestionScope) -> Answer:
        lines, citations, notes = [], [], []
        for quote in quotes:
            title = self._titles.get(quote.chunk.doc_id, quote.chunk.title)
            where = f"{title} › {quote.chunk.section}" if quote.chunk.section else title
            lead = f"{quote.unit.lead} … " if quote.unit.lead and len(quote.unit.lead) < 160 else ""
            siblings = [u.text for u in quote.chunk.units if quote.unit.lead and u.lead == quote.unit.lead]
            if _LIST_QUESTION.search(question) and len(siblings) > 1 and quote is quotes[0]:
                # "What are the enablers?" wants the whole list, not the one item that ranked first.
                lines.append(f"{quote.unit.lead} ({where})\n" + "\n".join(f"  • {item}" for item in siblings))
                citations.append(Citation(quote.chunk.doc_id, title, quote.chunk.section, "; ".join(siblings)))
                continue
            lines.append(f"“{lead}{quote.unit.text}” ({where})")
            citations.append(Citation(quote.chunk.doc_id, title, quote.chunk.section, quote.unit.text))
            difference = find_difference(quote.chunk, quote.unit, self._editions, self._searcher.chunks.values())
            if difference:
                other_title = self._titles.get(difference.other_doc, difference.other_doc)
                later = difference.quoted_doc if self._is_later(difference.quoted_doc) else difference.other_doc
                draft_figures = difference.other_figures if later == difference.quoted_doc else difference.quoted_figures
                later_figures = difference.quoted_figures if later == difference.quoted_doc else difference.other_figures
                notes.append(
                    f"The editions differ here: the draft printed {', '.join(draft_figures)} where the later "
                    f"edition prints {', '.join(later_figures)}; the later edition is the current text "
                    f"(compare “{difference.other_unit.text}”, {other_title})."
                )
                citations.append(Citation(difference.other_doc, other_title, difference.other_chunk.section,
                                          difference.other_unit.text))
        if any(q.has_placeholder() for q in quotes):
            notes.append("“£XX” in the 2010 plan is a drafting placeholder, not a figure.")
        text = "\n".join(lines + [f"Note: {n}" for n in notes])
        figures = tuple(figures_for(quotes))
        if self._kpi is not None:
            figures = self._kpi.describe_figures(figures)
        return Answer(question, text, tuple(dict.fromkeys(citations)), figures, False, notes=tuple(notes))

    def _is_later(self, doc_id: str) -> bool:
        return any(d.id == doc_id and d.supersedes for d in self._documents)
