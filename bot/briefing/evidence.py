"""What the records say about a topic: the commitments, measures, printed figures and outcome
statements of every current framework that are about it, found by their words, not by a theme
table.

Two steps, both plain and predictable:
1. **Direct matches.** A record matches when its text covers the topic's telling words (all of
   one or two words, two thirds of more), each word itself (with its endings) or one of the
   documents' own words for it, `corpus/topic_words.yaml` (read by `kpi_tools.text_search`).
   An outcome whose title covers the topic ("Older people live well independently") brings its
   measures with it; a sentence of an outcome's description that covers it is a statement.
2. **The same subject in the newest framework.** A record of the newest framework (or an
   imported measure) that shares two rare telling words with a matched measure is about the
   same subject: "killed or seriously injured casualties" and "deaths or serious injuries" for
   "people killed or seriously injured on the roads". That is how a 2016 KPI leads to the 2023
   ambition that tracks the same thing, where the 2023 text never uses the topic's words.
When nothing covers a topic of two or more words ("child poverty"), its rare words stand in,
at half weight.

The records are read once (`Records.load`) and kept with the catalogue by `Briefings`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.briefing.catalogue import Catalogue
from kpi_tools import mapping
from kpi_tools.lookups import MAX_LIMIT
from kpi_tools.results import CommitmentResult, FigureResult, MeasureSummary, OutcomeRef, OutcomeWithMeasures
from kpi_tools.text_search import QueryTerm, query_terms, stem, subject_stems

DIRECT, SYNONYM, SAME_SUBJECT = 1.0, 0.6, 0.5
SEED_SCORE = 0.8  # a measure matched this well leads to others on its subject
RARE_WORD_RECORDS = 8  # a word in more records than this says little about which subject a record is on
FALLBACK_RECORDS = 8  # a single word of a topic that matched nothing whole may stand in, if this rare
SUBJECT_WORDS = 2  # telling words a record must share with a matched measure to be on its subject
# Words too common in a topic to decide a match when the topic has others: "bus services".
_WEAK = frozenset(("service", "services", "support", "policy", "policies", "help", "provision",
                   "local", "issue", "issues", "strategy", "work", "scheme", "schemes", "programme", "programmes"))


@dataclass(frozen=True)
class TopicWords:
    """The topic's telling words, each with the pattern of the word itself and of its synonyms
    (`kpi_tools.text_search`: stems that may take an ending; "bus" is not "business")."""

    topic: str
    terms: tuple[QueryTerm, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(term.word for term in self.terms)

    def score(self, text: str | None) -> float:
        """0 when `text` does not cover the topic (all of one or two words, two thirds of
        more); else the share of words matched, a synonym counting `SYNONYM`, the word `DIRECT`."""
        if not text or not self.terms:
            return 0.0
        lowered = text.lower().replace("’", "'")
        total, covered = 0.0, 0
        for term in self.terms:
            base = stem(term.word)
            own = QueryTerm(term.word, tuple(s for s in term.stems if s in (base, base[:-1])))
            if own.pattern().search(lowered):
                total, covered = total + DIRECT, covered + 1
            elif term.pattern().search(lowered):
                total, covered = total + SYNONYM, covered + 1
        needed = len(self.terms) if len(self.terms) <= 2 else -(-2 * len(self.terms) // 3)
        return total / len(self.terms) if covered >= needed else 0.0


def topic_words(topic: str) -> TopicWords:
    terms = query_terms(topic)
    strong = [term for term in terms if term.word not in _WEAK]
    return TopicWords(topic, tuple(strong or terms))


@dataclass(frozen=True)
class MeasureRecord:
    summary: MeasureSummary
    outcome: OutcomeRef | None  # the outcome it serves (a defined measure: its related outcome)


@dataclass(frozen=True)
class Records:
    """Every commitment, measure and printed figure of the current frameworks (superseded
    drafts left out), with the outcome each belongs to."""

    commitments: tuple[CommitmentResult, ...]
    measures: tuple[MeasureRecord, ...]
    figures: tuple[FigureResult, ...]

    @property
    def frequency(self) -> dict[str, int]:
        """In how many records each telling word occurs (see `rare_words`)."""
        found = self.__dict__.get("_frequency")
        if found is None:
            found = {}
            texts = ([c.text for c in self.commitments] + [m.summary.name for m in self.measures]
                     + [f.name for f in self.figures])
            for text in texts:
                for word in subject_stems(text, widen=False):
                    found[word] = found.get(word, 0) + 1
            object.__setattr__(self, "_frequency", found)
        return found

    def rare_words(self, text: str) -> frozenset[str]:
        """The telling words of `text` that few records use: "injured", "admissions", not
        "children" or "young", which would tie every record on children together."""
        frequency = self.frequency
        return frozenset(w for w in subject_stems(text, widen=False) if frequency.get(w, 0) <= RARE_WORD_RECORDS)

    @classmethod
    def load(cls, tools, catalogue: Catalogue) -> "Records":
        commitments = []
        for framework in catalogue.frameworks:
            commitments.extend(tools.find_commitments(framework=framework.doc_id, limit=MAX_LIMIT))
        outcome_of: dict[int, OutcomeRef] = {}
        for outcome in catalogue.all_outcomes():
            for measure in outcome.measures + outcome.defined_measures:
                outcome_of.setdefault(measure.id, outcome.outcome)
        measures = [MeasureRecord(m, outcome_of.get(m.id)) for m in _all_measures(tools, catalogue)]
        figures = [f for framework in catalogue.frameworks
                   for f in tools.get_figures(framework=framework.doc_id, limit=MAX_LIMIT)]
        return cls(tuple(commitments), tuple(measures), tuple(figures))


def _all_measures(tools, catalogue: Catalogue) -> list[MeasureSummary]:
    found, seen = [], set()
    batches = [tools.find_measures(framework=f.doc_id, limit=MAX_LIMIT) for f in catalogue.frameworks]
    batches.append(tools.find_measures(kind="defined measure", limit=MAX_LIMIT))
    for measure in (m for batch in batches for m in batch):
        if measure.id not in seen:
            seen.add(measure.id)
            found.append(measure)
    return found


@dataclass(frozen=True)
class Evidence:
    """What the records say about `topic`, each with its score (best first within a kind)."""

    topic: str
    commitments: tuple[tuple[float, CommitmentResult], ...]
    measures: tuple[tuple[float, MeasureRecord], ...]
    figures: tuple[tuple[float, FigureResult], ...]
    outcomes: tuple[OutcomeWithMeasures, ...]  # outcomes whose title covers the topic
    statements: tuple[tuple[OutcomeWithMeasures, str], ...] = ()  # sentences of outcome descriptions on it

    @property
    def empty(self) -> bool:
        return not (self.commitments or self.measures or self.figures or self.outcomes or self.statements)

    def outcome_scores(self) -> dict[int, tuple[float, OutcomeRef]]:
        """Each outcome the evidence belongs to, with the summed scores of its items."""
        scores: dict[int, tuple[float, OutcomeRef]] = {}

        def add(ref: OutcomeRef | None, score: float) -> None:
            if ref is not None:
                scores[ref.id] = (scores.get(ref.id, (0.0, ref))[0] + score, ref)

        for score, commitment in self.commitments:
            add(commitment.outcome, score * 2)  # a promise says more than a measure
        for score, measure in self.measures:
            add(measure.outcome, score)
        for score, figure in self.figures:
            add(figure.outcome, score)
        for outcome in self.outcomes:
            add(outcome.outcome, DIRECT)
        for outcome, _ in self.statements:
            add(outcome.outcome, SAME_SUBJECT)
        return scores


def find_evidence(records: Records, catalogue: Catalogue, topic: str,
                  words: TopicWords | None = None) -> Evidence:
    """What the records say about `topic` (see the module docstring). When no record covers
    a topic of two or more words ("child poverty"), each of its words that few records use
    (FALLBACK_RECORDS) stands in, at half weight."""
    words = words or topic_words(topic)
    found = _find(records, catalogue, topic, words)
    if not found.empty or len(words.terms) < 2:
        return found
    parts = []
    for term in words.terms:
        single = TopicWords(topic, (term,))
        part = _find(records, catalogue, topic, single)
        if 0 < len(part.commitments) + len(part.measures) + len(part.figures) <= FALLBACK_RECORDS:
            parts.append(part)
    if not parts:
        return found
    half = lambda pairs: tuple((score / 2, item) for score, item in pairs)  # noqa: E731
    return Evidence(topic,
                    _merge((), tuple(p for part in parts for p in half(part.commitments))),
                    _merge((), tuple(p for part in parts for p in half(part.measures))),
                    _merge((), tuple(p for part in parts for p in half(part.figures))),
                    tuple(dict.fromkeys(o for part in parts for o in part.outcomes)),
                    tuple(dict.fromkeys(s for part in parts for s in part.statements)))


def _find(records: Records, catalogue: Catalogue, topic: str, words: TopicWords) -> Evidence:
    commitments = _scored(records.commitments, lambda c: max(words.score(c.text), 0.8 * words.score(c.theme)))
    figures = _scored(records.figures, lambda f: words.score(f.name))
    outcomes = tuple(o for o in catalogue.all_outcomes() if words.score(o.outcome.title))
    from_outcomes = {m.id for o in outcomes for m in o.measures + o.defined_measures}
    measures = _scored(records.measures, lambda m: max(
        words.score(m.summary.name), 0.8 if m.summary.id in from_outcomes else 0))
    measures = _with_relatives(records, measures)

    # The same subject in other frameworks: two telling words shared with a matched measure.
    seeds = [records.rare_words(m.summary.name) for score, m in measures if score >= SEED_SCORE]

    newest = catalogue.newest.doc_id

    def near(doc_id: str | None, text: str) -> float:
        """Only into the newest framework (and imported measures): that is where a subject
        carried forward under other words must be found; older frameworks match directly."""
        if doc_id not in (newest, None):
            return 0.0
        words = records.rare_words(text)
        return SAME_SUBJECT if any(len(words & seed) >= SUBJECT_WORDS for seed in seeds) else 0.0

    measures = _merge(measures, _scored(records.measures, lambda m: near(m.summary.doc_id, m.summary.name)))
    commitments = _merge(commitments, _scored(records.commitments, lambda c: near(c.doc_id, c.text)))
    shown_measures = {m.summary.id for _, m in measures}
    figures = _merge(figures, _scored(records.figures, lambda f: max(
        near(f.doc_id, f.name), SAME_SUBJECT if f.measure is not None and f.measure.id in shown_measures else 0.0)))
    statements = tuple((o, sentence) for o in catalogue.all_outcomes() if o not in outcomes
                       for sentence in _sentences(o) if words.score(sentence))
    return Evidence(topic, commitments, measures, figures, outcomes, statements)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _sentences(outcome: OutcomeWithMeasures) -> list[str]:
    """The sentences of an outcome's description that say more than its title."""
    text = " ".join((outcome.description or "").split())
    if not text or text.rstrip(".") == outcome.outcome.title.rstrip("."):
        return []
    return [sentence for sentence in _SENTENCE_END.split(text) if sentence]


def _with_relatives(records: Records, measures):
    """A matched KPI brings the imported measures that inform it, and the reverse."""
    ids = {m.summary.id: score for score, m in measures}
    extra = []
    for record in records.measures:
        related = record.summary.related_kpi
        if record.summary.id not in ids and related is not None and related.id in ids:
            extra.append((ids[related.id], record))
    by_id = {r.summary.id: r for r in records.measures}
    for score, record in measures:
        related = record.summary.related_kpi
        if related is not None and related.id not in ids and related.id in by_id:
            extra.append((score, by_id[related.id]))
    return _merge(measures, tuple(extra))


def _scored(items, score_of) -> tuple:
    scored = [(score, item) for item in items if (score := score_of(item)) > 0]
    return tuple(sorted(scored, key=lambda pair: -pair[0]))


def _merge(first: tuple, second: tuple) -> tuple:
    """Both lists, each item once at its best score, best first (stable)."""
    best: dict[int, tuple[float, object]] = {}
    order = []
    for score, item in first + second:
        key = item.summary.id if isinstance(item, MeasureRecord) else item.id
        if key not in best:
            order.append(key)
            best[key] = (score, item)
        elif score > best[key][0]:
            best[key] = (score, item)
    return tuple(sorted((best[key] for key in order), key=lambda pair: -pair[0]))


def best_outcomes(catalogue: Catalogue, evidence: Evidence) -> list[OutcomeRef]:
    """The outcomes the evidence belongs to, newest framework first, then by score."""
    order = {f.doc_id: i for i, f in enumerate(catalogue.frameworks)}
    scored = [(order.get(ref.doc_id, -1), score, ref) for score, ref in evidence.outcome_scores().values()]
    return [ref for _, _, ref in sorted(scored, key=lambda item: (-item[0], -item[1]))]


def nearest_ambition(catalogue: Catalogue, evidence: Evidence) -> OutcomeRef | None:
    """The newest framework's outcome closest to the topic: one the evidence belongs to; else
    the one the evidence's older outcomes are carried forward to (`kpi_tools.mapping` links,
    weighted by how much evidence each has); else the one sharing most telling words with it."""
    newest = catalogue.newest.doc_id
    scores = evidence.outcome_scores()
    own = [(score, ref) for score, ref in scores.values() if ref.doc_id == newest]
    if own:
        return max(own, key=lambda pair: pair[0])[1]
    carried: dict[int, list] = {}
    for score, ref in scores.values():
        for found, hops in _carried_forward(catalogue, ref):
            entry = carried.setdefault(found.outcome.id, [0.0, 0.0, len(carried), found.outcome])
            entry[0] += score / hops
            entry[1] = max(entry[1], score / hops)
    if carried:
        # Most evidence carried forward; then the strongest single line of it; then link order.
        return max(carried.values(), key=lambda entry: (entry[0], entry[1], -entry[2]))[3]
    topic = subject_stems(evidence.topic)
    overlap = [(len(topic & subject_stems(" ".join([o.outcome.title, *o.commitments, *(m.name for m in o.measures)]))),
                -i, o.outcome) for i, o in enumerate(catalogue.outcomes.get(newest, ()))]
    best = max(overlap, default=None, key=lambda item: item[:2])
    return best[2] if best is not None and best[0] > 0 else None


def outcome_evidence(records: Records, outcome: OutcomeWithMeasures, topic: str) -> Evidence:
    """Everything the records hold for one named outcome ("Ambition 2", "SO3"): its
    commitments, measures (and the imported measures related to it) and figures."""
    ref = outcome.outcome
    own = {m.id for m in outcome.measures + outcome.defined_measures}
    return Evidence(
        topic,
        tuple((DIRECT, c) for c in records.commitments if c.outcome is not None and c.outcome.id == ref.id),
        tuple((DIRECT, m) for m in records.measures if m.summary.id in own),
        tuple((DIRECT, f) for f in records.figures if f.outcome is not None and f.outcome.id == ref.id),
        (outcome,),
    )


def _carried_forward(catalogue: Catalogue, ref: OutcomeRef, max_hops: int = 3):
    """The newest framework's outcomes linked to `ref` (`kpi_tools.mapping`), directly or
    through the frameworks between (2010 SO4 -> 2016 economy -> Ambition 6), with the number
    of links followed; each through its shortest path, later frameworks only."""
    newest = catalogue.newest.doc_id
    order = {f.doc_id: i for i, f in enumerate(catalogue.frameworks)}
    seen, frontier, found = {(ref.doc_id, ref.code or ref.title)}, [ref], []
    for hops in range(1, max_hops + 1):
        following = []
        for current in frontier:
            for _, (doc_id, name) in mapping.links_of(current.doc_id, current.code, current.title):
                outcome = catalogue.find((doc_id, name))
                if outcome is None or (doc_id, name) in seen or order.get(doc_id, -1) <= order.get(current.doc_id, -1):
                    continue
                seen.add((doc_id, name))
                if doc_id == newest:
                    found.append((outcome, hops))
                else:
                    following.append(outcome.outcome)
        frontier = following
    return found
