"""The offline answer engine: question → cited, extractive answer, with no language model.

It quotes the sentences that answer, reports figures exactly as printed, and abstains plainly
when the documents don't answer. Everything slow or external (embedder, search, KPI tools) is
passed in, so tests run it with a fake embedder and a temporary index.
"""
from __future__ import annotations

import math
import re
import time
from pathlib import Path
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Sequence

import numpy as np

from bot.answer import Answer, Citation, Turn
from bot.engine.cards import (answer_card, answer_who, asks_about_people, build_cards, list_answer, list_introduced_by,
                              load_card_data)
from bot.engine.compose import headline_for, list_headline
from bot.engine.asks import POINTER, focus
from bot.engine.editions import (EDITION_QUESTION, WHICH_EDITION, AlignedUnits, align_editions, edition_pairs,
                                 find_difference, has_no_other_edition)
from bot.engine.followups import FRAMEWORK_PHRASE, resolve_follow_up
from bot.engine.measures import UNHELD_FIELD
from bot.engine.published import MEASURE_WORDS
from bot.engine.forms import (ABOUT, LIST, WHAT, WHEN, WHERE, WHO, QuestionForm, areas_in, counted_noun, districts_of,
                              leaning_on, own_words, quantities_named, read_question, without_date_words)
from bot.engine.quotes import (ANAPHOR, Quote, choose_quotes, coverage, figures_for, figures_in, is_heading, plain_words,
                               rank_quotes)
from bot.engine.scope import in_force, recency, resolve_scope
from bot.engine.spelling import QuestionSpeller
from bot.guardrails import QuestionRejected, clean_question
from retrieval.corpus import DocumentInfo
from retrieval.embed import Embedder
from retrieval.search import HybridSearcher, SearchFilters
from retrieval.terms import (STOPWORDS, COUNTERPARTS, GENERIC_STEMS, SYNONYMS, expansions, index_terms, query_terms,
                             salient_terms, stem)
from retrieval.text import split_sentences

CARDS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "cards.yaml"
NOT_FOUND = "I couldn't find that in the council's strategy documents."
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|"
                   r"November|December)\b")
_FUTURE = re.compile(r"\bwill (?:be|become|take over|win|replace)\b|\bnext (?:election|leader|year's)\b|\bafter the "
                     r"(?:next )?election\b", re.IGNORECASE)
# Questions of a kind strategy documents never answer, whatever they mention: what happens at a
# future event ("who will be leader after the next election", "when is the next full council
# meeting") and whether a target was met (the documents set targets; results are published elsewhere).
_FUTURE_EVENT = re.compile(r"\bnext (?:full )?(?:council )?(?:meeting|election|elections)\b|\bafter the (?:next )?"
                           r"elections?\b|\bwho will (?:be|become|win|replace|take over)\b|\bwill \w+(?: \w+)? win\b"
                           # "will council tax go up next april?": a change forecast for a date to come
                           # (a plan's own "we will increase recycling" is not: the council is the doer there)
                           r"|\bwill\b.{0,60}\b(?:go(?:ing)? (?:up|down)|rise|fall|be (?:cut|raised|increased|reduced|"
                           r"frozen))\b.{0,30}\b(?:next|this coming|in the coming)\b"
                           # "will cambridgeshire actually hit net zero by 2045?": whether a target will be met
                           r"|\b(?:will|going to|gonna)\b.{0,50}\b(?:hit|meet|reach|achieve|make|miss)\b.{0,40}\bby (?:19|20)\d\d\b"
                           # "is it on track for net zero or behind?": a judgement on progress no document makes
                           r"|\b(?:is|are)\b.{0,60}\bon track\b|\bor (?:is it |are we |is the council )?behind\b",
                           re.IGNORECASE)
_TARGET_MET = re.compile(r"\b(?:did|has|have|was|were)\b.{0,60}\b(?:meet|met|achieve[ds]?|hit|reach(?:ed)?|miss(?:ed)?)"
                         r"\b.{0,40}\b(?:targets?|goals?|aims?|ambitions?)\b"
                         # "what targets were set … and is Cambridgeshire currently meeting them?"
                         r"|\b(?:targets?|goals?)\b.{0,120}\b(?:is|are)\b.{0,40}\b(?:meeting|hitting|achieving|missing)\b"
                         # "what target was set for the NEET kpi - was it achieved?"
                         r"|\b(?:targets?|goals?)\b.{0,60}\b(?:was|were|has|have|did) (?:it|they|that|this|we|the council)\b"
                         r".{0,20}\b(?:met|meet|achieved?|hit|reached|reach|missed)\b", re.IGNORECASE)
# Service details ("opening hours of the recycling centre", "how do I book a blue badge"): strategy
# documents set out plans and never hold them, whatever nearby passage mentions the service.
_SERVICE_DETAIL = re.compile(r"\bopening (?:hours|hrs|times)\b|\bwhat time does\b.{0,60}\b(?:open|close)\b"
                             r"|\bhow (?:do|can) i (?:book|apply|report|pay|renew|register|get)\b", re.IGNORECASE)
NOT_SERVICE_DETAIL = ("The council's strategy documents set out plans; they don't give service details such as opening "
                      "times or how to book or apply. The council's website has those.")
NOT_FORECAST = ("The council's strategy documents set out plans; they don't forecast future events "
                "or decisions, such as meetings, elections or next year's charges.")
NOT_REPORTED = ("The council's strategy documents set targets; they don't report whether a target was met. Ask for "
                "the published figure (for example \"latest …\") to see how it is going.")
NO_DATE = "The council's strategy documents don't give a date for that."
NO_FIGURE = "The council's strategy documents don't give a figure for that."
_EDITION_WORDS = {stem(w) for w in ("differ", "difference", "different", "final", "change", "changed", "compare",
                                     "version", "edition", "between")}
_SCOPE_WORDS = {stem(w) for w in ("draft", "framework", "plan", "strategy", "edition", "later", "earlier",
                                   "current", "latest", "newest", "one", "version", "document", "integrated")}


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
    weak_similarity: float = 0.35  # below this, the sentence must also cover half of the question
    min_coverage: float = 0.2      # share of the question's (rarity-weighted) words the quote mentions
    min_figure_coverage: float = 0.5  # a number is worse than no answer if it is about something else


def _figure_sentences(text: str) -> str:
    """The sentences (and " · " fragments) of a passage that print a figure (the whole passage if none does)."""
    parts = [sentence for fragment in text.split(" · ") for sentence in split_sentences(fragment)]
    return " ".join(part for part in parts if figures_in(part)) or text


# ", and what was …", "? How many …": where a second question starts inside the first.
_SECOND_QUESTION = re.compile(
    r"(?:[,;]\s*|\s+)and\s+(?=(?:what|how|which|who|where|when|is|are|was|were|did|does|has|have)\b)"
    r"|\?\s+(?=(?:and\s+)?(?:what|how|which|who|where|when|is|are|was|were|did|does)\b)", re.IGNORECASE)
_FIGURE_NOUN = re.compile(r"\b(?:figures?|numbers?|amounts?|totals?|estimates?|how (?:many|much))\b", re.IGNORECASE)
_PERIOD_WORDS = re.compile(r"\b(?:19|20)\d\d(?:\s?[-/]\s?\d\d)?\b")


def _quoted_numbers(question: str, pattern: str) -> list[str]:
    """The numbers a question quotes ("the 119 or the 124?"), years left out."""
    return [n for n in re.findall(rf"\b{pattern}\b", question) if not re.fullmatch(r"(?:19|20)\d\d", n)]


# Each pair of counterpart words ("men", "women") as the stems, synonyms included, that stand for each.
_COUNTERPART_STEMS = tuple(tuple(frozenset().union(*(expansions(t) for t in index_terms(word))) for word in pair)
                           for pair in COUNTERPARTS)


# Quotation marks, not the apostrophe of "framework's"
_QUOTED = re.compile(r"(?<!\w)[“\"‘']([^“”\"‘’']{6,120})[”\"’'](?!\w)")


def _quoted_spans(question: str) -> set[str]:
    """The names a question puts in quotation marks (“People live in a safe environment”), as plain words."""
    return {plain_words(m.group(1)) for m in _QUOTED.finditer(question)}


_BY_VISION = "described by its vision"
_DOC_NOUNS = frozenset({"draft", "plan", "strategy", "framework", "document", "one", "doc"})


def _of_a_kind_never_answered(question: str) -> Answer | None:
    """Questions of a kind no record answers, whatever they mention: a forecast, whether a target was met,
    a service's opening hours. Read on the whole message, before it is split into parts."""
    if _FUTURE_EVENT.search(question):
        return Answer(question, NOT_FORECAST, abstained=True)
    if _TARGET_MET.search(question):
        return Answer(question, NOT_REPORTED, abstained=True)
    if _SERVICE_DETAIL.search(question):
        return Answer(question, NOT_SERVICE_DETAIL, abstained=True)
    return None


def _counted_words(question: str) -> set[str]:
    """The word "how many" counts, as typed and singular, with its everyday synonyms."""
    noun = counted_noun(question)
    if not noun:
        return set()
    forms = {noun, noun[:-1] if noun.endswith("s") else noun}
    return forms | {w.lower() for f in forms for w in SYNONYMS.get(f, ())}


def _is_bullet(quote: Quote) -> bool:
    """An item of a bulleted list: under a lead line, or in a chunk that is a list."""
    return bool(quote.unit.lead) or quote.chunk.kind == "list"


_FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")  # "the last census in 2011¹": the year is 2011
_NOUN_YEAR = re.compile(r"\b(?:(?P<year_first>(?:19|20)\d\d)\s+(?P<noun_after>[a-z]{4,})|(?P<noun_first>[a-z]{4,})\s+"
                        r"(?:in\s+|of\s+)?(?P<year_after>(?:19|20)\d\d))\b", re.IGNORECASE)


def _other_year_of_the_same_thing(question: str, text: str) -> tuple[str, str] | None:
    """"population census 2021" against "since the last census in 2011": the passage dates the thing the
    question dates, to another year. Returns (thing, year asked) then, else None."""
    for asked in _NOUN_YEAR.finditer(question):
        noun = (asked.group("noun_after") or asked.group("noun_first")).lower()
        year = asked.group("year_first") or asked.group("year_after")
        if noun in STOPWORDS:
            continue
        printed = [m.group("year_first") or m.group("year_after") for m in _NOUN_YEAR.finditer(_FOOTNOTE_MARK.sub(" ", text))
                   if (m.group("noun_after") or m.group("noun_first")).lower() == noun]
        if printed and year not in printed:
            return noun, year
    return None


def _names_areas(quote: Quote, areas: Sequence[str], weights: dict[str, float] | None = None,
                 text_before: str = "") -> bool:
    """Whether a sentence that prints a figure names every area asked about: a sentence about
    South Cambridgeshire that goes on to mention East Cambridgeshire does not give East Cambridgeshire's.
    With the question's `weights`, that sentence must also be about the question's topic: "crime is three
    times higher in Cambridge than in East Cambridgeshire" gives no life expectancy for East Cambridgeshire."""
    area_terms = {t for area in areas for t in index_terms(area)}
    topic = {t: w for t, w in (weights or {}).items() if t not in area_terms}
    sentences = [p for fragment in quote.unit.text.split(" · ") for p in split_sentences(fragment)]
    for i, part in enumerate(sentences):
        if not figures_in(part) and len(sentences) > 1:
            continue
        where = f"{quote.unit.lead} {part}".lower()
        if not all(area.lower() in where for area in areas):
            continue
        # "11 of these are in Fenland": the sentence before (or the passage before) says what "these" are
        anaphoric = ANAPHOR.match(part)
        about = f"{where} {(sentences[i - 1] if i else text_before) if anaphoric else ''}"
        if not topic or coverage(topic, about) > 0:
            return True
    return False


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
        chunks = list(searcher.chunks.values())
        self._cards = build_cards(self._documents, chunks, load_card_data(CARDS_FILE))
        measure_names = list(kpi.measure_names()) if kpi is not None and hasattr(kpi, "measure_names") else []
        self._speller = QuestionSpeller.from_texts([c.search_text() for c in chunks] + [d.title for d in documents]
                                                   + measure_names)

    # -- public API -------------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        """Answer one question. Guardrails (crisis signs, refusals) are not run here: the guarded
        engine in front of every engine runs them once."""
        started = time.perf_counter()
        try:
            text = clean_question(question)
        except QuestionRejected as rejected:
            return Answer(question=str(question)[:200], text=str(rejected), abstained=True)
        spelled = self._speller.correct(text)
        # Earlier questions are read the way this one is ("dec 23 - feb 24", "cambs"), so slots carry over.
        history = [replace(turn, question=self._speller.correct(turn.question).text) for turn in history]
        asked = self._asked(spelled.text)
        resolved = resolve_follow_up(asked, history, self._documents) or asked
        result = (_of_a_kind_never_answered(resolved) or self._answer_parts(resolved)
                  or self._route(resolved, self._read(resolved)))
        notes = result.notes
        if spelled.corrections and not result.abstained:
            notes += ("Read " + ", ".join(f"“{typed}” as “{read}”" for typed, read in spelled.corrections) + ".",)
        return self._timed(replace(result, question=text, notes=notes,
                                   resolved_question=resolved if resolved != text else None), started)

    def _asked(self, message: str) -> str:
        """The question a message with a setting asks ("A resident rang asking …"), keeping the
        setting's document and, where the question points back to it, the sentence before."""
        asked = focus(message)
        if asked is None:
            return message
        question = asked.question
        # Its own topic, not counting the words that name a document or a KPI's fields
        topic = [t for t in salient_terms(question) if t not in _SCOPE_WORDS and t not in MEASURE_WORDS
                 and t not in _EDITION_WORDS]  # "why do they differ?" names no topic
        # With no topic of its own the question needs the sentence before; a pointer ("is that wording
        # kept?") needs it unless that sentence is only about the asker ("I'm meeting a college head").
        # One word of its own ("What was the gap?" after "… a comparison of women's life expectancy …") names
        # what the sentence before set out, and needs it as much.
        # A label before the question ("SF 2023-28 draft, Ambition 2. Progress measures listed?") is a slot of it.
        if asked.context and (not topic or len(asked.context.split()) <= 6
                              or ((POINTER.search(question) or len(topic) == 1) and not asked.context_is_the_asker)):
            question = leaning_on(question.rstrip(" ?.!"), asked.context)
        # The document the setting names ("… ground it in the draft 2023-2028 framework") still applies.
        phrase = FRAMEWORK_PHRASE.search(message)
        if phrase and not resolve_scope(question, self._documents).doc_ids:
            question = f"{question.rstrip(' ?.!')} in {phrase.group(0).strip()}?"
        return question

    def _read(self, question: str) -> QuestionForm:
        """The question's form and slots; a document it describes by its vision ("the greener fairer caring
        draft") is named as surely as by its title."""
        form = read_question(question, self._documents)
        if form.scope.doc_ids:
            return form
        # The vision's words name the document only where they stand before a document word, as a name does
        # ("per the greener fairer caring draft"); "where does the 'greener, fairer' slogan come from" asks about them.
        words = re.findall(r"[a-z’']+", question.lower())
        before = [set(index_terms(" ".join(words[max(0, i - 6):i]))) for i, w in enumerate(words) if w in _DOC_NOUNS]
        described = [doc_id for doc_id, terms in self._vision_terms.items()
                     if any(len(window & (terms - GENERIC_STEMS)) >= 3 for window in before)]
        if len(described) != 1:
            return form
        return replace(form, scope=replace(form.scope, doc_ids=frozenset(described), reason=_BY_VISION))

    @cached_property
    def _vision_terms(self) -> dict[str, set[str]]:
        """Each document's vision statement as index terms, read once rather than for every question."""
        return {doc_id: set(index_terms(card.vision)) for doc_id, card in self._cards.items() if card.vision}

    def _answer_parts(self, question: str) -> Answer | None:
        """"What % of premises could get superfast broadband in 2019, and what was the take-up?": two
        questions in one. Each part is answered (the second read as a follow-up of the first, so it keeps
        the first's year and topic) and both answers are given; None when it is one question, or when the
        parts do not both find their own answer (then the whole question is answered as one)."""
        asked, about, context = question.partition(ABOUT)  # the topic a setting gave both parts
        parts = [p.strip(" ,;?") for p in _SECOND_QUESTION.split(asked, maxsplit=1)]
        if len(parts) != 2 or min(len(p.split()) for p in parts) < 3:
            return None
        first, second = (f"{p}{about}{context}" for p in parts)
        second = resolve_follow_up(second, [Turn(first)], self._documents) or second
        if not _PERIOD_WORDS.search(second) and _PERIOD_WORDS.search(first):
            second = f"{second.rstrip('?')} in {_PERIOD_WORDS.search(first).group(0)}"
        answers = [self._route(p, self._read(p)) for p in (first, second)]
        if any(a.abstained or not (a.citations or a.figures) for a in answers):
            return None
        evidence = [(a.figures[:1], a.citations[:1]) for a in answers]
        if evidence[0] == evidence[1] or answers[0].text == answers[1].text:
            # Both parts land on the same evidence: it is one question ("the latest figure, and the
            # median?"), unless read whole it finds nothing, and the one KPI row holds both fields.
            whole = self._route(question, self._read(question))
            return answers[0] if whole.abstained else whole
        return Answer.joined(question, answers)

    def _route(self, question: str, form: QuestionForm) -> Answer:
        """The question's form and what the records hold decide which answer is written."""
        never = _of_a_kind_never_answered(question)
        if never is not None:
            return never
        terms = salient_terms(question)
        if form.form == WHO and asks_about_people(terms) and not _FUTURE.search(question):
            cards = self._cards_in_scope(form)
            answered = answer_who(question, cards, terms)
            if answered is not None:
                return answered
        scoped = self._documents_named(form)
        cards = [self._cards[d] for d in scoped] if scoped else self._cards_newest_first()
        words = [t for t in index_terms(question) if t not in _SCOPE_WORDS and not t.isdigit() and len(t) > 1]
        answered = answer_card(question, cards, words, newest_only=not scoped, every_card=self._cards_newest_first())
        if answered is not None:
            return answered
        quoted = self._edition_pair_quoting(question) if self._editions else None
        if quoted is not None:
            return self._editions_side_by_side(question, quoted)
        # "Which one should I be quoting from?" about a document that has two editions
        which_edition = WHICH_EDITION.search(question) and any(
            self._editions.get(d) or d in self._editions.values() for d in (form.scope.doc_ids or ()))
        if ((EDITION_QUESTION.search(question) or which_edition) and self._editions
                and not has_no_other_edition(form, self._documents)):
            compared = self._compare_editions(question, form)
            if compared is not None:
                return compared
        result = None
        if self._lineage is not None:
            result = self._lineage.answer_lineage(question) or self._lineage.answer_about(question)
            if result is not None and self._kpi is not None and self._kpi.names_published_measure(question, form):
                # "How has X changed since 2018?" is a timeline of commitments, unless X is a published
                # measure (asked only of the few questions a timeline answers: it reads the database)
                result = None
        if result is None and self._kpi is not None:
            result = self._kpi.answer(question, form)
            if result is not None and result.abstained:
                # The published data hold no value for the year or area asked; a document may print one,
                # in a sentence that names that year.
                from_documents = self._answer_from_documents(question, form)
                # what the lead passage prints with its lead line, not a document's title ("… (2016-17 to 2020-21)")
                printed = from_documents.headline + from_documents.text.split("\n\n", 1)[-1].split("\n", 1)[0]
                for title in self._titles.values():
                    printed = printed.replace(title, " ")
                names_year = any(str(year) in printed for year in form.years) if form.years else True
                # "what's the target for the streetlights KPI?": a passage counts only if it speaks of targets
                field = UNHELD_FIELD.search(question)
                names_field = field is None or field.group(0).lower().rstrip("s") in printed.lower()
                return from_documents if not from_documents.abstained and names_year and names_field else result
            if result is not None and any(f.source for f in result.figures):
                return self._with_printed_figure(question, form, result)
            if result is not None:
                result = self._with_table_rows(result)
        if result is None:
            result = self._answer_from_documents(question, form)
            if result.abstained and form.asks_figure and self._kpi is not None:
                # "what's the take-up of superfast broadband in the intervention area?": no document prints it,
                # but the published data hold a measure of that name.
                result = self._kpi.published_named(question, form) or result
        return result

    def _quote_after(self, quote: Quote) -> Quote | None:
        """The passage a line ending in a colon introduces, quoted with that line as its lead."""
        beside = self._unit_beside(quote, +1)
        if beside is None or beside[1].lead:
            return None  # a bulleted list has its own lead already
        chunk, following = beside
        intro = split_sentences(quote.unit.text)[-1]
        return replace(quote, chunk=chunk, unit=replace(following, lead=intro))

    @staticmethod
    def _list_led_by(quote: Quote) -> Quote | None:
        """The first item of the bulleted list printed right after the quoted sentence, with that sentence
        as the items' lead; None when no list follows it. (A lead ending in a colon has this already.)"""
        chunk = quote.chunk
        if quote.unit.lead or f"{quote.unit.text}\n- " not in chunk.text:
            return None
        lines = chunk.text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.endswith(quote.unit.text) and i + 1 < len(lines)
                  and lines[i + 1].startswith("- "))
        if at > 0 and lines[at - 1].startswith("- "):
            return None  # a paragraph under one item of a list, not a line introducing the rest
        run = []
        for line in lines[at + 1:]:
            if not line.startswith("- "):
                break
            run.append(line[2:].strip())
        if len(run) < 3:
            return None
        units = tuple(replace(u, lead=quote.unit.text) if u.text in run else u for u in chunk.units)
        first = next((u for u in units if u.lead), None)
        if first is None:
            return None
        return replace(quote, chunk=replace(chunk, units=units), unit=first)

    def _text_before(self, quote: Quote) -> str:
        """The passage printed just before a quote's sentence: what a leading "these" refers to."""
        beside = self._unit_beside(quote, -1)
        return beside[1].text if beside is not None else ""

    def _unit_beside(self, quote: Quote, step: int) -> tuple | None:
        """(chunk, unit) printed just before (step -1) or after (+1) the quote's unit in its document: in
        its own chunk, else at the end of the chunk before or the start of the chunk after."""
        units = quote.chunk.units
        index = next((i for i, unit in enumerate(units) if unit == quote.unit), None)
        if index is not None and 0 <= index + step < len(units):
            return quote.chunk, units[index + step]
        if index is None and step > 0:
            return None
        neighbour = self._neighbouring_chunks.get(quote.chunk.id, (None, None))[step > 0]
        if neighbour is None or not neighbour.units:
            return None
        return neighbour, neighbour.units[0 if step > 0 else -1]

    @cached_property
    def _neighbouring_chunks(self) -> dict:
        """Each chunk's id → (the chunk before it, the chunk after it) in its document, in one pass."""
        neighbours: dict[str, list] = {}
        last: dict[str, object] = {}
        for chunk in self._searcher.chunks.values():
            neighbours[chunk.id] = [last.get(chunk.doc_id), None]
            if chunk.doc_id in last:
                neighbours[last[chunk.doc_id].id][1] = chunk
            last[chunk.doc_id] = chunk
        return {chunk_id: tuple(pair) for chunk_id, pair in neighbours.items()}

    @cached_property
    def _aligned_editions(self) -> list[AlignedUnits]:
        """Every passage of each draft beside its later edition's counterpart (built on first use)."""
        chunks = list(self._searcher.chunks.values())
        return [pair for doc in self._documents if doc.supersedes
                for pair in align_editions(chunks, doc.supersedes, doc.id)]

    def _edition_pair_quoting(self, question: str) -> AlignedUnits | None:
        """"Which do I use, the 119 or the 124?": two figures the question quotes that are one passage's
        draft and later-edition values."""
        numbers = _quoted_numbers(question, r"\d{2,}(?:[.,]\d+)?")
        if len(numbers) < 2:
            return None

        def printed(number: str, text: str) -> bool:
            return bool(re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d])", text))

        for pair in self._aligned_editions:
            if pair.same:
                continue
            draft, later = pair.draft_unit.text, pair.later_unit.text
            if any(printed(a, draft) and not printed(a, later) and printed(b, later) and not printed(b, draft)
                   for a in numbers for b in numbers if a != b):
                return pair
        return None

    def _compare_editions(self, question: str, form: QuestionForm) -> Answer | None:
        """"Did the devolution paragraph change?", "is obesity ticked in both?": the passage the question
        is about, side by side in the two editions. A difference the KPI database records (a figure, a
        tick) is answered from there first; a question about no passage in particular gets the list."""
        if self._kpi is not None and WHICH_EDITION.search(question):
            return self._kpi.edition_differences(question)  # which is current, and what differs
        if self._kpi is not None:
            recorded = self._kpi.edition_differences(question, only_relevant=True)
            if recorded is not None:
                return recorded
        topic = [t for t in salient_terms(question) if t not in _SCOPE_WORDS and t not in _EDITION_WORDS]
        # Figures the question quotes ("the 119 or the 124?") say which passage it means.
        topic += _quoted_numbers(question, r"\d{3,}")
        weights = {t: self._term_weight(t) for t in dict.fromkeys(topic)}
        if weights:
            vector = self._embedder.embed([question])[0]
            wants_figure = form.asks_figure or bool(_FIGURE_NOUN.search(question))
            scored = []
            for pair in self._aligned_editions:
                text = f"{pair.later_chunk.section or ''} {pair.draft_unit.text} {pair.later_unit.text}"
                index = pair.later_chunk.units.index(pair.later_unit)
                similarity = float(self._unit_vectors[pair.later_chunk.id][index] @ vector)
                # "did that population figure change?": a passage that prints a figure is what it means
                printed = 0.2 if wants_figure and figures_in(pair.later_unit.text) else 0.0
                scored.append((coverage(weights, text), similarity + printed, pair))
            if scored:
                covered, similarity, pair = max(scored, key=lambda item: item[0] + 0.5 * item[1] + 0.15 * (not item[2].same))
                if covered >= 0.6:
                    return self._editions_side_by_side(question, pair)
        return self._kpi.edition_differences(question) if self._kpi is not None else None

    def _editions_side_by_side(self, question: str, pair: AlignedUnits) -> Answer:
        draft_title = self._titles.get(pair.draft_chunk.doc_id, pair.draft_chunk.doc_id)
        later_title = self._titles.get(pair.later_chunk.doc_id, pair.later_chunk.doc_id)
        later = Citation(pair.later_chunk.doc_id, later_title, pair.later_chunk.section, pair.later_unit.text,
                         status=pair.later_chunk.status)
        draft = Citation(pair.draft_chunk.doc_id, draft_title, pair.draft_chunk.section, pair.draft_unit.text,
                         status=pair.draft_chunk.status)
        if pair.same:
            headline = (f"Both editions print the same here. The {later_title} (the later edition) says: "
                        f"“{pair.later_unit.text}”")
            return Answer(question, f"{headline}\n\nThe draft ({draft_title}) has the same words.", (later, draft))
        changed = pair.changed_words()
        what = f" “{changed[0]}” in the draft became “{changed[1]}” in the later edition." if changed else ""
        headline = f"The editions differ here.{what} The later edition is the current text."
        body = (f"Later edition ({later_title} › {pair.later_chunk.section}): “{pair.later_unit.text}”\n"
                f"Draft ({draft_title} › {pair.draft_chunk.section}): “{pair.draft_unit.text}”")
        return Answer(question, f"{headline}\n\n{body}", (later, draft))

    def _with_printed_figure(self, question: str, form: QuestionForm, result: Answer) -> Answer:
        """A published value that a strategy document also prints is cited to the document too."""
        printed = self._answer_from_documents(question, form)
        if printed.abstained or not printed.citations:
            return result
        first = printed.citations[0]
        if not any(f.value in first.quote for f in result.figures):
            return result
        where = f"{first.title} › {first.section}" if first.section else first.title
        text = f"{result.text}\n\nThe {first.title} prints it too: “{first.quote}” ({where})"
        return replace(result, text=text, citations=result.citations + (first,))

    def _with_table_rows(self, answer: Answer) -> Answer:
        """A citation that quotes only a KPI's name quotes its whole table row instead, so the lead
        committee, directorate and outcome the answer states are printed in the citation."""
        rows = {}
        for citation in answer.citations:
            for chunk in self._searcher.chunks.values():
                if chunk.doc_id != citation.doc_id:
                    continue
                row = next((u.text for u in chunk.units if u.text.startswith(f"Measure: {citation.quote}")), None)
                if row:
                    rows[citation] = replace(citation, quote=row, section=chunk.section)
                    break
        if not rows:
            return answer
        headline, _, body = answer.text.partition("\n\n")
        for old, new in rows.items():
            body = body.replace(f"“{old.quote}” ({old.title} › {old.section})", f"“{new.quote}” ({new.title} › {new.section})", 1)
        return replace(answer, text=f"{headline}\n\n{body}" if body else headline,
                       citations=tuple(rows.get(c, c) for c in answer.citations))

    def _documents_named(self, form: QuestionForm) -> list[str]:
        """The documents the question names, or the one in force in the year it names ("who was
        leader in 2010"), oldest first."""
        doc_ids = set(form.scope.doc_ids or ())
        for year in () if doc_ids else form.years:
            doc_ids |= in_force(year, self._documents, form.wants_draft)
        order = {d.id: recency(d) for d in self._documents}
        # A draft whose later edition is also named says the same: the later edition speaks for both.
        later = {d.supersedes for d in self._documents if d.id in doc_ids and d.supersedes}
        return sorted((d for d in doc_ids - later if d in self._cards), key=lambda d: order[d])

    def _cards_newest_first(self) -> list:
        current = [d for d in self._documents if d.id not in self._superseded]
        return [self._cards[d.id] for d in sorted(current, key=recency, reverse=True)]

    def _cards_in_scope(self, form: QuestionForm) -> list:
        """The cards of the documents the question names, else of the newest signed document."""
        doc_ids = self._documents_named(form)
        if doc_ids:
            return [self._cards[d] for d in doc_ids]
        signed = [d for d in self._documents if self._cards.get(d.id) and self._cards[d.id].signatories]
        if not signed:
            return []
        newest = max(signed, key=recency)
        return [self._cards[newest.id]]

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
        terms = [t for t in query_terms(query) if t not in _SCOPE_WORDS and t not in GENERIC_STEMS and not t.isdigit()]
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

    def _answer_from_documents(self, question: str, form: QuestionForm) -> Answer:
        scope = form.scope
        # A when question's "target year" asks for the date; the passage that gives it need not say "target".
        topic_text = without_date_words(question) if form.has(WHEN) else question
        # Words that named the document by its vision ("the greener fairer caring draft") chose it; they are not the topic.
        naming = {t for d in scope.doc_ids or () for t in self._vision_terms.get(d, ())} if scope.reason == _BY_VISION else set()
        salient = [t for t in salient_terms(topic_text) if t not in _SCOPE_WORDS and t not in naming
                   and not (scope.wants_draft and t in _EDITION_WORDS)]
        counted = counted_noun(question)
        if counted and form.asks_figure:
            # "how many councillors …": what is counted must be in the sentence that counts it.
            salient += [t for t in index_terms(counted) if t not in salient and t not in STOPWORDS]
        vector = self._embedder.embed([question])[0]
        filters = SearchFilters(doc_ids=scope.doc_ids, include_repeated=scope.wants_draft)
        # Words that chose the document ("draft", "2016", "framework") only add noise to keyword search.
        terms = [t for t in query_terms(question) if t not in _SCOPE_WORDS and t not in GENERIC_STEMS and not t.isdigit()]
        hits = self._searcher.search(vector, terms, filters, k=12)
        weights = {t: self._term_weight(t) for t in salient}
        own = set(salient_terms(own_words(question))) if ABOUT in question else set()
        if len(own & set(weights)) >= 4:
            # "and how many older people were cared for at home, about: … disabled children …": the
            # follow-up's own words decide; the earlier topic only breaks ties.
            weights = {t: w if t in own else 0.3 * w for t, w in weights.items()}
        ranked = rank_quotes(hits, self._unit_vectors, vector, weights, form.asks_figure,
                             prefer_drafts=scope.wants_draft, superseded=self._superseded, question=question)
        if not ranked:
            return Answer(question, NOT_FOUND, abstained=True)
        best = ranked[0]
        policy = self._policy
        full = next((q for q in ranked[:12] if salient and q.coverage >= 0.99
                     and q.similarity >= policy.min_similarity / 2), None)
        if full is not None and (best.similarity < policy.min_similarity or best.coverage < policy.min_coverage):
            # Every word the question asks about is in this passage: lexical evidence stands even when the
            # embedding finds the wording far off ("does the 2021 framework mention libraries?").
            ranked = [full] + [q for q in ranked if q is not full]
            best = full
        if best.similarity < policy.min_similarity and best is not full:
            return self._abstain(question, NOT_FOUND, ranked)
        if is_heading(best.unit.text) and best.coverage < 0.99:
            # "Introduction from the Leader of the Council" names a topic; it answers nothing about a salary.
            return self._abstain(question, NOT_FOUND, ranked)
        if salient and (best.coverage < policy.min_coverage
                        or (best.coverage < 0.5 and best.similarity < policy.weak_similarity)):
            return self._abstain(question, NOT_FOUND, ranked)
        introduced = list_introduced_by(self._cards.values(), best.chunk.doc_id, best.unit.text)
        if introduced is not None and not form.asks_figure:
            # The best line only introduces a list ("The Outcomes that we are working towards are:"): the list answers.
            card, named = introduced
            return list_answer(question, [card], named.names)
        echoed = _quoted_spans(question)
        if form.form == WHAT and plain_words(best.unit.text) in echoed:
            # "what does it say about “People live in a safe environment”": the line that only prints the
            # name says nothing about it; the passage under that name as a heading does.
            under = next((q for q in ranked[:8] if plain_words((q.chunk.section or "").rsplit(" › ", 1)[-1]) in echoed
                          and q.unit.text != best.unit.text and q.coverage >= best.coverage), None)
            if under is not None:
                ranked = [under] + [q for q in ranked if q is not under]
                best = under
        led = self._list_led_by(best) if not form.asks_figure else None
        if led is not None:
            # "… a single system strategy identifying the issues to tackle together" over a bulleted list: the list answers.
            ranked = [led] + [q for q in ranked if q is not best]
            best, form = led, replace(form, forms=form.forms + (LIST,))
        if best.unit.text.rstrip().endswith(":") and not form.asks_figure:
            # "We have agreed that we want Cambridgeshire to be:" introduces what follows; that is the answer.
            following = self._quote_after(best)
            if following is not None:
                ranked = [following] + [q for q in ranked if q is not best]
                best = following
        if form.form in (WHAT, LIST) and not form.asks_figure:
            # "What does the 2023 plan say about poverty?": a topic has several commitments; quote more of them.
            chosen = choose_quotes(ranked, limit=5, margin=0.3)
            chosen, form = self._with_list_around(chosen, ranked, weights, form)
        else:
            chosen = choose_quotes(ranked)
        if form.has(WHERE):
            # "… and where are they?": the passage that names the districts leads ("11 of these are in Fenland …").
            placed = next((q for q in ranked[:8] if districts_of(areas_in(f"{q.context} {q.unit.text}"))
                           and q.coverage >= best.coverage * 0.5), None)
            beside = self._unit_beside(best, +1) if placed is None else None
            if beside is not None and ANAPHOR.match(beside[1].text) and districts_of(areas_in(beside[1].text)):
                # the sentence printed right after the best one, continuing it ("11 of these are in Fenland")
                placed = replace(best, chunk=beside[0], unit=beside[1], context=best.unit.text)
            if placed is not None and placed is not chosen[0]:
                chosen = [placed] + [q for q in chosen if q is not placed][:2]
        if form.form == WHEN:
            dated = [q for q in ranked[:8] if _DATE.search(q.unit.text) and q.coverage >= best.coverage * 0.5]
            if not dated:
                return self._abstain(question, NO_DATE, ranked)
            chosen = [dated[0]] + [q for q in chosen if q is not dated[0]][:2]
        elif form.asks_figure:
            if any(not any(self._known(t) for t in index_terms(noun)) for noun in quantities_named(question)
                   if stem(noun) not in GENERIC_STEMS):  # "the right figure" names no amount
                # "staff turnover": an amount the documents never name is not any figure they print.
                return self._abstain(question, NO_FIGURE, ranked)
            with_figure = self._with_figure_first(chosen, ranked, weights, question)
            if with_figure is None or self._figure_off_topic(with_figure[0], weights):
                if not form.inferred:
                    return self._abstain(question, NO_FIGURE, ranked)
                # A terse look-up ("life expectancy gap for women") may be answered in words.
                return self._compose(question, chosen, replace(form, form=WHAT, forms=()))
            chosen = with_figure
            if chosen[0].has_placeholder():
                return Answer(question, (
                    f"{NO_FIGURE} The {self._titles[chosen[0].chunk.doc_id]} leaves that amount blank: it "
                    "prints a drafting placeholder (XX) where the figure should be."), abstained=True)
            dated = _other_year_of_the_same_thing(question, chosen[0].unit.text)
            if dated is not None:
                return self._abstain(question, f"{NO_FIGURE[:-1]} for the {dated[1]} {dated[0]}.", ranked)
            if scope.data_years and not self._matches_year(chosen[0], scope.data_years):
                # The year asked picks among the figures on topic ("… footprint in 2020": the 2020 one, not 2021/22's)
                dated = next((q for q in ranked[:8] if q is not chosen[0] and q.has_figure()
                              and self._matches_year(q, scope.data_years) and q.coverage >= chosen[0].coverage * 0.8
                              and not self._figure_off_topic(q, weights)), None)
                if dated is None:
                    return self._abstain(question, f"{NO_FIGURE[:-1]} for {', '.join(map(str, scope.data_years))}.", ranked)
                chosen = [dated] + [q for q in chosen if q is not dated][:2]
            # The area must be named where the figure is: a sentence about South Cambridgeshire that
            # goes on to mention East Cambridgeshire does not give East Cambridgeshire's figure.
            districts = districts_of(form.areas)
            if districts and not _names_areas(chosen[0], districts, weights, self._text_before(chosen[0])):
                # A county figure does not answer a question about one district; a nearby passage that
                # gives the district's own figure ("11 of these are in Fenland, …") does.
                # The sentence right after the best one ("11 of these are in Fenland …") continues it,
                # however far apart their scores.
                local = next((q for q in ranked[:8] if q.has_figure()
                              and _names_areas(q, districts, weights, self._text_before(q))
                              and (q.score >= best.score - 0.5 or self._text_before(q) == best.unit.text)
                              and self._on_topic(q, chosen[0], weights)), None)
                if local is None:
                    return self._abstain(question, f"{NO_FIGURE[:-1]} for {', '.join(districts)}.", ranked)
                chosen = [local] + [q for q in chosen if q is not local][:2]
        return self._compose(question, chosen, form)

    @staticmethod
    def _with_list_around(chosen: list[Quote], ranked: Sequence[Quote], weights: dict[str, float],
                          form: QuestionForm) -> tuple[list[Quote], QuestionForm]:
        """A commitment that is one bullet of a list brings the rest of the list: all of it, first, when
        the list's heading is about the topic ("Ambition 5 › People are helped out of poverty … ›
        Delivering the Ambition:"), else the bullets that mention the topic ("Develop community transport
        schemes" beside "Encourage the use of public and sustainable transport")."""
        # The heading must name the question's most specific word ("poverty"), not only common ones
        # ("making" in "… the choices we are making" is no answer to "what is Making Cambridgeshire Count").
        rarest = max(weights, key=weights.get) if weights else None

        def about_topic(quote: Quote) -> bool:
            heading = f"{quote.chunk.section or ''} {quote.unit.lead}"
            return (_is_bullet(quote) and len(quote.chunk.units) > 1 and coverage(weights, heading) >= 0.5
                    and coverage({rarest: 1.0}, heading) > 0)

        # A passage printing the question's own words in a row ("Making Cambridgeshire Count") is not
        # displaced by a list that only shares a word with it.
        listed = next((q for q in ranked[:12] if about_topic(q) and q.score >= chosen[0].score - 0.4
                       and (q.prints_phrase or not chosen[0].prints_phrase)), None)
        if listed is not None:
            return [listed] + [q for q in chosen if q.chunk.id != listed.chunk.id][:2], replace(
                form, forms=form.forms + (LIST,))
        bullet = next((q for q in chosen if _is_bullet(q)), None)
        if bullet is None:
            return chosen, form
        siblings = [u for u in bullet.chunk.units if u.lead == bullet.unit.lead and u is not bullet.unit]
        shown = {q.unit.text for q in chosen}
        covered = {id(u): coverage(weights, u.text) for u in siblings if u.text not in shown}
        on_topic = [Quote(bullet.chunk, u, bullet.score, bullet.similarity, covered[id(u)])
                    for u in siblings if covered.get(id(u), 0) > 0]
        at = chosen.index(bullet) + 1
        return chosen[:at] + on_topic[:3] + chosen[at:], form

    def _known(self, term: str) -> bool:
        """Whether the documents use the term or one of its synonyms at all."""
        return any(self._keywords.document_frequency(e) for e in expansions(term))

    def _term_weight(self, term: str) -> float:
        """Rare words say most about what a question wants; a word the documents never use, most of all."""
        total = max(1, len(self._searcher.chunks))
        # The typed word's own rarity; a synonym's only for a word the documents never print ("kids")
        frequency = self._keywords.document_frequency(term) or max(
            (self._keywords.document_frequency(e) for e in expansions(term)), default=0)
        if frequency == 0:
            return math.log((total + 1) / 0.5)
        return math.log((total + 1) / (frequency + 0.5))

    @staticmethod
    def _matches_year(quote: Quote, years: Sequence[int]) -> bool:
        """A figure answers "… in 2024?" only if its sentence is about that year: it names the year
        (or a financial year containing it), or names no year and its document covers it."""
        text = _FOOTNOTE_MARK.sub(" ", f"{quote.unit.lead} {quote.unit.text}")
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

    def _on_topic(self, quote: Quote, lead: Quote, weights: dict[str, float]) -> bool:
        """A figure is on topic by its own words, or, when it only continues the lead passage ("11 of
        these are in Fenland" after "16 LSOAs are in the 20% most deprived"), by the lead's."""
        if not self._figure_off_topic(quote, weights):
            return True
        continues = (ANAPHOR.match(quote.unit.text) and quote.chunk.doc_id == lead.chunk.doc_id
                     and quote.chunk.section == lead.chunk.section)
        return bool(continues) and not self._figure_off_topic(lead, weights)

    @staticmethod
    def _about_the_other_group(quote: Quote, weights: dict[str, float]) -> bool:
        """Whether the sentences that print the quote's figures name only the counterpart of a group
        the question asks about: "The range for males is 77.4 …" does not answer a question about women."""
        printed = set(index_terms(_figure_sentences(quote.unit.text)))
        for stems in _COUNTERPART_STEMS:
            for asked, other in ((stems[0], stems[1]), (stems[1], stems[0])):
                if asked & set(weights) and other & printed and not asked & printed:
                    return True
        return False

    def _with_figure_first(self, chosen: list[Quote], ranked: Sequence[Quote], weights: dict[str, float],
                           question: str = "") -> list[Quote] | None:
        """For "how many/how much" questions, lead with the best-covering sentence that prints a
        figure (or the placeholder where a figure should be); None when no such sentence is close.
        The base of a rate the question types itself ("… per 10,000") is no answer to it."""
        bases = set(re.findall(r"\bper\s+([\d,.]+)", question.lower()))

        def answers(q: Quote) -> bool:
            return any(value not in bases for value, _ in figures_in(q.unit.text))

        best = ranked[0]
        candidates = [
            q for q in ranked[:8]
            if (q.has_placeholder() or answers(q))
            and q.coverage >= max(best.coverage * 0.5, 0.01) and q.score >= best.score - 0.35
        ]
        if not candidates:
            return None
        # The figure stated must be about the group asked: in "… for males and females · The range for
        # males is 77.4 …" the figure is the men's, though the passage mentions women.
        around = {id(q): not self._about_the_other_group(q, weights) for q in candidates}
        # "how many councillors …": a sentence that names what is counted (or a synonym: "elected
        # politicians") before one that only shares a stem with it ("County Council").
        counted = _counted_words(question)
        names = {id(q): bool(counted) and bool(counted & set(re.findall(r"[a-z]+", q.unit.text.lower())))
                 for q in candidates}
        lead = max(candidates, key=lambda q: (around[id(q)], names[id(q)], round(q.coverage, 2), q.score))
        if lead is chosen[0] or (chosen[0] in candidates and around[id(chosen[0])] >= around[id(lead)]
                                 and chosen[0].coverage >= lead.coverage):
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

    def _compose(self, question: str, quotes: Sequence[Quote], form: QuestionForm) -> Answer:
        """Answer first (one sentence from the best evidence), then each supporting quote once with
        its source, then notes."""
        lines, citations, notes = [], [], []
        headline = None
        counterparts: set[str] = set()  # the other edition's wording of a sentence already quoted
        # a word the question asks about that one edition prints and the other does not is a difference too
        asked = frozenset(salient_terms(question))
        for quote in quotes:
            if quote.unit.text in counterparts:
                continue  # the note on the first edition's quote already gives this one
            title = self._titles.get(quote.chunk.doc_id, quote.chunk.title)
            where = f"{title} › {quote.chunk.section}" if quote.chunk.section else title
            lead = f"{quote.unit.lead} … " if quote.unit.lead and len(quote.unit.lead) < 160 else ""
            siblings = [u.text for u in quote.chunk.units if _is_bullet(quote) and u.lead == quote.unit.lead]
            if form.has(LIST) and len(siblings) > 1 and quote is quotes[0]:
                # "What are the enablers?" wants the whole list, not the one item that ranked first.
                # A list with no lead line of its own is introduced by its heading ("Ambition 5 › … › Delivering the Ambition:").
                headline = list_headline(quote.unit.lead or (quote.chunk.section or ""), siblings, title)
                introduced = f"{quote.unit.lead} ({where})" if quote.unit.lead else where
                lines.append(f"{introduced}\n" + "\n".join(f"  • {item}" for item in siblings))
                citations.append(self._citation(quote, "; ".join(siblings)))
                continue
            lines.append(f"“{lead}{quote.unit.text}” ({where})")
            citations.append(self._citation(quote, quote.unit.text))
            difference = find_difference(quote.chunk, quote.unit, self._editions, self._searcher.chunks.values(),
                                         asked)
            if difference:
                counterparts.add(difference.other_unit.text)
                other_title = self._titles.get(difference.other_doc, difference.other_doc)
                notes.append(f"The editions differ here: {self._what_changed(difference, quote.unit)}; the later edition is the "
                             f"current text (compare “{difference.other_unit.text}”, {other_title}).")
                citations.append(self._citation(Quote(difference.other_chunk, difference.other_unit, 0.0, 0.0, 0.0),
                                                difference.other_unit.text))
        if any(q.has_placeholder() for q in quotes):
            notes.append("“£XX” in the 2010 plan is a drafting placeholder, not a figure.")
        # Only figures that answer the question are listed as figures: the lead quote's, for a figure question.
        figures = tuple(figures_for(quotes[:1])) if form.asks_figure else ()
        if self._kpi is not None:
            figures = self._kpi.describe_figures(figures)
        if headline is None:
            best = quotes[0]
            headline = headline_for(form, best, self._titles.get(best.chunk.doc_id, best.chunk.title), figures)
        text = headline + "\n\n" + "\n".join(lines + [f"Note: {n}" for n in notes])
        return Answer(question, text, tuple(dict.fromkeys(citations)), figures, False, notes=tuple(notes))

    def _what_changed(self, difference, quoted) -> str:
        """"the draft printed £119 million where the later edition prints £124 million", or for a change of
        wording, the words each edition prints ("… for Cambridgeshire and Peterborough" / "devolution")."""
        quoted_is_later = self._is_later(difference.quoted_doc)
        if not difference.in_wording:
            draft, later = ((difference.other_figures, difference.quoted_figures) if quoted_is_later
                            else (difference.quoted_figures, difference.other_figures))
            return f"the draft printed {', '.join(draft)} where the later edition prints {', '.join(later)}"
        draft, later = (difference.other_unit, quoted) if quoted_is_later else (quoted, difference.other_unit)
        changed = AlignedUnits(difference.other_chunk, draft, difference.other_chunk, later).changed_words()
        if changed is None:
            return f"the draft reads “{draft.text}” where the later edition reads “{later.text}”"
        return f"the draft reads “{changed[0].rstrip('.,;:')}” where the later edition reads “{changed[1].rstrip('.,;:')}”"

    def _citation(self, quote: Quote, text: str) -> Citation:
        chunk = quote.chunk
        return Citation(chunk.doc_id, self._titles.get(chunk.doc_id, chunk.title), chunk.section, text,
                        status=chunk.status, added_by=chunk.added_by, added_at=chunk.added_at)

    def _is_later(self, doc_id: str) -> bool:
        return any(d.id == doc_id and d.supersedes for d in self._documents)
