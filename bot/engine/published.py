"""Published figures by year, financial year and area: the observations a question pins down.

"NEET 2022", "the council's own emissions in 2020-21", "reablement vs the England median
2017-18", "fenland obesity kids 2019": the measure is the one with published values whose name
and definition use the question's words; the value is the one for the period and area asked. A
period or area that is not held gets an honest abstention that names what is held: a value for
another year is not the answer.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from bot.answer import Answer, Figure
from bot.engine.forms import ABOUT, AREAS, own_words, period_matches
from kpi_tools.queries import relation_note
from kpi_tools.series import format_value
from retrieval.terms import STOPWORDS, expansions, index_terms, salient_terms, stem

# Words that say a question is about a measure, not which measure.
MEASURE_WORDS = {stem(w) for w in ("kpi", "indicator", "measure", "lead", "leads", "committee", "directorate",
                                    "outcome", "serve", "deprivation", "latest", "figure", "value", "recent",
                                    "trend", "current", "data", "number", "rate", "responsible", "flagged",
                                    "which", "who")}
_MEDIAN = "All English councils (median)"
_ORGANISATION = "Cambridgeshire County Council"
# Words of a question's form ("how has it moved", "compared with"), not of its topic.
_FORM_TERMS = frozenset(index_terms("moved move moving changed change changes gone risen rise rising fallen fall "
                                    "falling compare compared comparison versus trend trends between going up down "
                                    "improved improve worse better higher lower increase increased decrease decreased "
                                    "biggest largest smallest highest lowest above below rate rates percentage level "
                                    "levels total count share proportion value values figure source sources main dropped drop dropping fell "
                                    "rose grew went period periods date dates year years month months covered "
                                    "cover covers hold held have got actual published official real"))
_MONTH_TERMS = frozenset(index_terms("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april "
                                     "june july august september october november december"))
_QUESTION_WORD = re.compile(r"\b(?:what|which|why|how|where|when|who|whose|tell|describe|explain|does|do|did|is|are|"
                            r"was|were|will|has|have|can|could|should|give|list|say|says|said)\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(?:published|official|actual|real)\b.{0,20}\b(?:figures?|data|stats?|statistics|numbers?)\b"
                        r"|\b(?:figures?|data|stats?|statistics) (?:we hold|held|published)\b", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\b|\bfrom (?:19|20)\d\d(?:-\d\d)? onwards?\b", re.IGNORECASE)
_RANGE_WORDS = re.compile(r"\bbetween\b|\bfrom\b.{0,30}\bto\b|\b(?:19|20)\d\d\s*(?:to|until|-|–)\s*(?:19|20)\d\d\b",
                          re.IGNORECASE)


_AGE_BAND = re.compile(r"\b(\d{1,2})\s?(?:-|–|to)\s?(\d{1,2})\s?(?:year|yr)s?[\s-]?olds?\b|\baged (\d{1,2})\s?(?:-|–|to)\s?(\d{1,2})\b",
                       re.IGNORECASE)


def age_band(text: str) -> str | None:
    """"16-19 year olds", "aged 16 to 17": the ages a figure counts, as "16-19"."""
    found = _AGE_BAND.search(text)
    if not found:
        return None
    low, high = (g for g in found.groups() if g)
    return f"{int(low)}-{int(high)}"


def _uses(terms: set[str], term: str) -> bool:
    """Whether a measure's words include `term`: the word itself or a close synonym. An abbreviation
    that stands for several words ("ehcp") must not match a measure through one of them ("care")."""
    found = expansions(term)
    return term in terms or (len(found) <= 3 and bool(found & terms))


def _match(terms: set[str], term: str) -> float:
    """1 for the word itself, half for a synonym only ("school" for a measure about "education")."""
    if term in terms or any(t[:4] == term[:4] and len(term) >= 5 for t in expansions(term) & terms):
        return 1.0  # the word itself, or a form of it ("obese" for "obesity")
    return 0.5 if _uses(terms, term) else 0.0


def _topic_of(question: str) -> list[str]:
    return [t for t in salient_terms(question) if t not in MEASURE_WORDS and t not in _AREA_TERMS]


def _name_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower())) - STOPWORDS


def _years_of(period: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", period)]
_AREA_TERMS = frozenset(index_terms(" ".join(AREAS) + " area areas city district county"))


def describe_values(detail, points: Sequence, direction: str | None = None) -> str:
    """One sentence: the measure, each value as published with its area and period, who published it.

    The publisher is named, not the raw source (a URL or a repository path stays on the `Figure`)."""
    parts = [f"{_qualified(p)} in {p.area}, {p.period}" for p in points]
    trend = f", {direction}" if direction and direction != "not enough data" else ""
    publisher = detail.publisher or points[-1].source
    return f"{detail.name}: {'; '.join(parts)}{trend} (published by {publisher})."


def _qualified(point) -> str:
    """"more than 95%": a value printed with a qualifier keeps it."""
    shown = format_value(point.value_text, point.unit)
    if point.qualifier and point.qualifier.lower() not in shown.lower():
        shown = f"{point.qualifier} {shown}"
    return shown


# "earliest year we have", "asc turnover peak yr", "lowest it has been": which of the held values is asked for
# ("the highest needs" describes people, not a value: the word must lead to a year or a figure)
_EXTREME = re.compile(r"\b(?:(?P<first>earliest|first|oldest)|(?P<high>peak|highest|maximum|max)|(?P<low>lowest|minimum|min))"
                      r"\b(?=(?:\s+[\w'-]+){0,2}?\s+(?:year|yr|years|figure|figures|value|values|rate|level|number|data|"
                      r"point|period|one)\b|\W*$)", re.IGNORECASE)


def _periods_typed(text: str) -> bool:
    return bool(re.search(r"\b(?:19|20)\d\d\b|\b\d\d\s?[-/]\s?\d\d\b", text))


def _one_per_area(points: Sequence, extreme: re.Match | None) -> dict:
    """One held value per area, points being in time order: the latest unless `extreme` asks otherwise."""
    chosen: dict = {}
    for point in points:
        held = chosen.get(point.area)
        if held is None or extreme is None:
            chosen[point.area] = point
        elif extreme.group("high") and point.value > held.value:
            chosen[point.area] = point
        elif extreme.group("low") and point.value < held.value:
            chosen[point.area] = point
    return chosen


def _own_areas(form) -> list[str]:
    """The areas a question names beyond the county itself (which is every measure's main area)."""
    return [a for a in form.areas if a != "Cambridgeshire"]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class PublishedFigures:
    """Answers from imported observations. `citations_of(detail)` gives a measure's document citations."""

    def __init__(self, tools, citations_of: Callable):
        self._tools = tools
        self._measure_citations = citations_of
        self._words: dict[int, set[str]] = {}

    def definition(self, question: str, form) -> Answer | None:
        """"How is the NEET figure worked out?": what a published measure counts, as its publisher defines it."""
        from kpi_tools.errors import KpiToolError

        measure, score = self._held_measure(question, form.areas)
        if measure is None or score < 0.6:
            return None
        try:
            detail = self._tools.get_measure(measure.id)
        except KpiToolError:
            return None
        if not detail.definition:
            return None
        publisher = f" (published by {detail.publisher})" if detail.publisher else ""
        text = f"{detail.name}: {detail.definition}{publisher}."
        note = relation_note(detail)
        return Answer(question, text + (f"\n\n{note}" if note else ""), self._measure_citations(detail),
                      notes=(note,) if note else ())

    def answer(self, question: str, form) -> Answer | None:
        if ((form.asks_figure and (form.periods or _own_areas(form))) or form.latest or form.has("trend")
                or _EXTREME.search(own_words(question))):
            # A figure for a year or an area, the latest one, or how it has moved.
            observed = self.observations_for(question, form)
            if observed is not None:
                return observed
        if not form.scope.doc_ids and (form.periods or not _QUESTION_WORD.search(question)
                                       or (form.asks_figure and _PUBLISHED.search(question))):
            # A question that names a measure outright, with a period ("the council's own emissions in
            # 2020-21"), as a terse look-up ("superfast take-up in the intervention area?"), or asking for
            # the published figure ("have we got a published figure for broadband coverage?").
            return self.observations_for(question, form, strong_only=True)
        return None

    def observations_for(self, question: str, form, strong_only: bool = False) -> Answer | None:
        """A published figure for the year, financial year or area asked; an honest abstention,
        naming what is held, when none matches (a value for another year is not the answer)."""
        from kpi_tools.errors import KpiToolError

        measures, score = self._held_measures(question, form.areas, strong_only)
        if not measures or score < (0.99 if strong_only else 0.6):
            return None
        asked_band = age_band(question)
        held_bands = {age_band(m.name) for m in measures} - {None}
        if asked_band and held_bands and asked_band not in held_bands:
            # "neet 16-19 year olds": the figures held are for 16-17 year olds, another measure
            detail = self._tools.get_measure(measures[0].id)
            return Answer(question, (
                f"No published figure is held for {asked_band} year olds. The nearest held is {detail.name} "
                f"({', '.join(sorted(held_bands))} year olds)."), self._measure_citations(detail), abstained=True)
        answers = [a for a in (self._observed(question, form, m) for m in measures) if a is not None]
        if len(answers) <= 1:
            return answers[0] if answers else None
        # "reception and year 6": one answer per measure the question names, in one reply.
        return Answer.joined(question, [a for a in answers if not a.abstained] or answers)

    def _observed(self, question: str, form, measure) -> Answer | None:
        """The values of one measure for the periods and areas the question asks."""
        from kpi_tools.errors import KpiToolError

        areas = _own_areas(form)
        if areas == [_MEDIAN]:
            areas = [None, _MEDIAN]  # "compared with the median": the county's value beside it
        points = []
        try:
            if areas == [_ORGANISATION] and not self._tools.trend(measure.id, area=_ORGANISATION).points:
                areas = []  # "ccc obesity": the council's area, for a measure not held for the council itself
            for area in areas or [None]:
                points.extend(self._tools.trend(measure.id, area=area).points)
            if not points and "England" in areas:
                # England's own figure is not held; the comparator held is the median of English councils.
                areas = [None, _MEDIAN]
                for area in areas:
                    points.extend(self._tools.trend(measure.id, area=area).points)
            if _MEDIAN in areas and points and not any(p.area == _MEDIAN for p in points):
                # "the england median for neet": the county's own value is not the comparator asked for
                return self._not_held_for(question, measure, [_MEDIAN], points)
            if not points and [a for a in areas if a]:
                return self._not_held_for(question, measure, [a for a in areas if a], self._tools.trend(measure.id).points)
            detail = self._tools.get_measure(measure.id)
        except KpiToolError:
            return None
        if not points:
            return None
        extreme = _EXTREME.search(own_words(question))  # "earliest", "peak year": which held value
        if len(form.periods) >= 2 and (form.has("trend") or _RANGE_WORDS.search(question)):
            # "trend 2018 to 2021", "between 2019 and 2022": every value from the first year to the last.
            first, last = min(form.years), max(form.years)
            chosen = [p for p in points if any(first <= y <= last for y in _years_of(p.period))]
        elif extreme and not _periods_typed(own_words(question)):
            # "peak year", after a question about 19-20: the extreme of every value held
            chosen = list(_one_per_area(points, extreme).values())
        elif form.periods and _SINCE.search(question):
            # "how has it changed since 2018-19": every value from that year on
            first = min(form.years)
            chosen = [p for p in points if any(y >= first for y in _years_of(p.period))]
        elif form.periods:
            chosen = [p for p in points if any(period_matches(asked, p.period) for asked in form.periods)]
        elif form.has("trend"):
            chosen = points  # "road deaths trend": every value held
        else:
            # per area: the latest value, or the earliest, highest or lowest one the question asks for
            chosen = list(_one_per_area(points, extreme).values())
        if not chosen:
            held = ", ".join(dict.fromkeys(p.period for p in points))
            return Answer(question, (
                f"No published figure for {detail.name} is held for {_join(list(form.periods))}. "
                f"The figures held are for {held}."), self._measure_citations(detail), abstained=True)
        outcome = detail.related_outcome.label if detail.related_outcome else None
        figures = tuple(Figure(name=detail.name, value=p.value_text, unit=p.unit, period=p.period, area=p.area,
                               source=p.source, outcome=outcome) for p in chosen)
        headline = describe_values(detail, chosen)
        # The publisher's own remarks travel with the value ("27% transport, …", "printed as 'over 97%'").
        remarks = [f"{p.period}: {p.note}" for p in chosen if p.note]
        notes = tuple(n for n in (relation_note(detail), "Source notes: " + "; ".join(remarks) if remarks else None)
                      if n)
        return Answer(question, headline + ("\n\n" + " ".join(notes) if notes else ""),
                      self._measure_citations(detail), figures, notes=notes)

    def _not_held_for(self, question: str, measure, areas: Sequence[str], held: Sequence) -> Answer:
        """An honest abstention: no value of the measure for the areas asked, and the areas it is held for."""
        detail = self._tools.get_measure(measure.id)
        return Answer(question, (
            f"No published figure for {detail.name} is held for {_join(areas)}: the figures held are for "
            f"{_join(sorted({p.area for p in held}))}."), self._measure_citations(detail), abstained=True)

    def names_measure(self, question: str, areas: Sequence[str]) -> bool:
        """Whether the question names a measure with published values nearly word for word
        ("adult social care workforce turnover"): then it is about the figures, not a theme."""
        return self._held_measure(question, areas)[1] >= 0.8

    def _held_measures(self, question: str, areas: Sequence[str], strong_only: bool = False
                       ) -> tuple[list, float]:
        """The best measure, and beside it any other that ties on the topic and is named by words
        of the question the best one's name lacks ("obesity for reception and year 6")."""
        ranked, score = self._ranked_measures(question, areas, strong_only)
        if not ranked:
            return [], score
        best_key, best = ranked[0]
        asked = _name_words(question)
        chosen = [best]
        # "reception and year 6" names two; a follow-up ("year 6, about: … reception …") swaps one for the other.
        joined = ABOUT not in question and re.search(r"\band\b|&|\bvs\b|\bversus\b|,", question)
        one_word = 1.0 / max(1, len(_topic_of(question))) + 0.01
        for key, other in ranked[1:]:
            # Within one topic word of the best: "year 6" is a measure's name, but "6" is no topic word.
            if (joined and key[0] >= best_key[0] - one_word - 1e-9 and (_name_words(other.name) - _name_words(best.name)) & asked
                    and (_name_words(best.name) - _name_words(other.name)) & asked):
                chosen.append(other)
        return chosen, score

    def _held_measure(self, question: str, areas: Sequence[str], strong_only: bool = False
                      ) -> tuple[object | None, float]:
        ranked, score = self._ranked_measures(question, areas, strong_only)
        return (ranked[0][1] if ranked else None), score

    def _ranked_measures(self, question: str, areas: Sequence[str], strong_only: bool = False
                         ) -> tuple[list, float]:
        """The measure with published values that the question's words name, and how fully
        (the share of the question's topic words its name or definition uses). Words no held
        measure uses at all ("moved", "biggest") say nothing about which one is meant."""
        from kpi_tools.errors import KpiToolError

        try:
            held = [m for m in self._tools.find_measures(kind="defined measure", limit=100) if m.has_values]
        except KpiToolError:
            return [], 0.0
        texts = {m.id: self._words_of(m) for m in held}
        vocabulary = set().union(*texts.values()) if texts else set()
        # A follow-up's own words ("and year 6?", before ", about:") count twice the topic carried over.
        focus = {t for t in index_terms(own_words(question)) if _uses(vocabulary, t)
                 and t not in _AREA_TERMS} if ABOUT in question else set()
        topic = [t for t in _topic_of(question) if _uses(vocabulary, t)]
        weights = {t: 1.0 for t in topic} | {t: 2.0 for t in focus}
        if not weights:
            return [], 0.0
        # Words of the question no measure uses still count against it: "care leavers council tax" is
        # not about adult social care, nor "park and ride users in 2019" about road deaths.
        unmatched = [t for t in _topic_of(question) if t not in weights and not t[:1].isdigit()
                     and t not in _MONTH_TERMS and t not in _FORM_TERMS]
        raw = _name_words(question)
        ranked = []
        for measure in held:
            score = sum(w * _match(texts[measure.id], t) for t, w in weights.items()) / sum(weights.values())
            # Ties ("county emissions": the county's or the council's own) go to the measure of the area
            # asked, the council as an organisation only when the question says so; then to the name
            # sharing more of the question's words ("Reception" or "Year 6" obesity).
            own_org = "council's own" in measure.name.lower()
            # A follow-up's own words in the measure's name ("not known") decide a tie between measures
            # whose definitions both use them.
            in_name = len(focus & set(index_terms(measure.name)))
            ranked.append(((score, own_org == (_ORGANISATION in areas), in_name, len(raw & _name_words(measure.name))),
                           measure))
        ranked.sort(key=lambda item: item[0], reverse=True)
        if not ranked or ranked[0][0][0] <= 0:
            return [], 0.0
        # Each such word counts half a topic word: one stray word ("… in the pandemic year") does not
        # outvote the measure's own name, two do.
        return ranked, ranked[0][0][0] * sum(weights.values()) / (sum(weights.values()) + 0.5 * len(unmatched))

    def _words_of(self, measure) -> set[str]:
        """The index terms of a measure's code, name and definition (its definition read once)."""
        if measure.id not in self._words:
            definition = self._tools.get_measure(measure.id).definition or ""
            self._words[measure.id] = set(index_terms(f"{measure.code or ''} {measure.name} {definition}"))
        return self._words[measure.id]
