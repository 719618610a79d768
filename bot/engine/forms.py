"""What kind of answer a question wants (its form) and what it pins down (its slots).

The form is read from the question's grammar, never from its topic: "who …" wants names with
roles, "how many/how much …" a figure, "which/list …" a list, "is/does …" yes or no, "compare
… and …" or "… vs …" two things side by side, "trend/over time/since" a series. The slots are
the year or period asked about, the area (a district or England), the framework (via `scope`)
and whether the draft edition is meant. Search finds the evidence; form and slots decide how
the answer is written and whether a figure really answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from bot.engine.scope import QuestionScope, resolve_scope
from retrieval.corpus import DocumentInfo

WHO, WHEN, WHERE, HOW_MANY, LIST, YES_NO, COMPARE, TREND, WHAT = (
    "who", "when", "where", "how-many", "list", "yes-no", "compare", "trend", "what")

_WHO = re.compile(r"^\W*(?:and\s+)?(?:who|whom|whose)\b|^\W*(?:which|what) (?:councillors?|people|person|officers?|"
                  r"members?|leaders?|politicians?)\b"
                  # mid-question only where a clause starts ("tell me who signed"): in "clients with SEND who
                  # are EET" the "who" belongs to a measure's name
                  r"|(?:^|[,;:?–-]\s*|\b(?:and|but|me|us|know|knows|say|says|said|tell|ask|asking|wondering|out|see|"
                  r"check|confirm)\s+)who(?:'s| is| was| are| were| signed| wrote| leads?| led| chairs?)\b|\b(?:name|names) of the (?:leader|chief executive|councillors?|signator)", re.I)
_WHEN = re.compile(r"^\W*(?:and\s+)?(?:by |in |from |until |at )?(?:when|what year|which year|what date|what time|"
                   r"what day|which day)\b|\bby when\b|\bwhat date\b"
                   r"|\b(?:target|deadline) (?:date|year)\b"
                   # "does it say when the details will come?": a when question inside another
                   r"|\b(?:say|says|said|know|tell me|mention|mentions|state|states|confirm)\s+when\b", re.I)
# "is there a target year", "by when": the words that ask for a date, which no dated passage repeats
_DATE_ASKED = re.compile(r"\b(?:target|deadline|end) (?:date|year)s?\b|\bdeadlines?\b|\bby when\b|\b(?:what|which) (?:year|date)\b",
                         re.I)


def without_date_words(question: str) -> str:
    return _DATE_ASKED.sub(" ", question)


# "where are they?", "which districts are they in?": the places, named
_WHERE = re.compile(r"^\W*(?:and\s+)?where\b|\bwhich (?:areas|districts|parts of the county)\b|\bwhere (?:are|is) (?:they|these|those|it|most)\b"
                    r"|\b(?:by|per|broken down by|split by) (?:district|area|ward)s?\b", re.I)
_TREND = re.compile(r"\btrend\b|\bover time\b|\bover the (?:years|last)\b|\bhow (?:has|have|did) .{2,140}\b(?:changed?|"
                    r"gone|moved|fallen|risen|improved)\b|\b(?:going|gone) (?:up|down)\b|\byear on year\b", re.I)
_COMPARE = re.compile(r"\bcompare[ds]?\b|\bcomparison\b|\bversus\b|\bvs\.?\b|\bagainst the (?:england |national )?"
                      r"(?:median|average)\b|\b(?:higher|lower|better|worse|more|less|fewer) than\b|\b(?:above|below) (?:the )?"
                      r"(?:median|average|national|england)\b"
                      r"|\bdifference between\b|\bdiffer(?:s|ed|ent)?\b", re.I)
# The plural nouns a document's named lists go by: a question using one asks for a list.
LIST_NOUNS = ("ambitions", "priorities", "outcomes", "objectives", "enablers", "principles", "strategies", "themes",
              "commitments", "indicators", "kpis", "measures")
_LIST = re.compile(r"^\W*(?:what|which) (?:are|were)\b|\blist\b|\ball (?:the|of the)\b|\bname (?:the|all)\b"
                   rf"|\b(?:{'|'.join(LIST_NOUNS)})\b", re.I)
_WHEN_CLAUSE = re.compile(r"^\W*when\b[^?,]{3,90},\s*(?=(?:does|do|did|is|are|was|were|what|how|which|who|can|will|has|have)\b)",
                          re.I)
_YES_NO = re.compile(r"^\W*(?:is|are|was|were|does|do|did|has|have|had|will|would|can|could|should)\b", re.I)
# Nouns that name an amount: a question about one of them wants the figure.
_QUANTITY = (r"(?:number|percentage|proportion|figure|total|amount|size|cost|rate|footprint|level|value|share|"
             r"expectancy|gap|range|reduction|increase|rise|growth|emissions|coverage|take-?up|turnover|uptake)")
_HOW_MANY = re.compile(
    rf"\bhow (?:many|much|big|large|long|high|low)\b|\bwhat (?:is|was|are|were)\b.{{0,60}}\b{_QUANTITY}\b"
    rf"|^\W*what\b.{{0,40}}\b{_QUANTITY}\b|\bper ?cent\b|\b(?:number|figure|amount|total|rate|level|percentage|count)"
    r" of\b|\bby how much\b"
    r"|\b(?:figures?|numbers?|stats?|statistics|data|rate|percentage|value)\s*(?:for|in|\?|$)|(?<=\w)\s?%|\s%\s"
    r"|£\s*(?:\?|$)"  # "2023-28 draft total budget £": an amount in pounds
    # "what is the budget / council tax / cost …": an amount asked for in other words
    r"|\bwhat (?:is|was|are|were|will be)\b.{0,40}\b(?:budget|cost|price|tax|spend|spending|deficit|salary|wage|"
    r"fees?|charges?|savings?)\b|\b(?:how much|what) (?:did|does|do|will) .{0,40}\b(?:spend|cost|pay|save|raise|earn)\b",
    re.I)
# "male life expectancy range 2023 draft", "ccc carbon footprint 21/22": a terse look-up of an amount
_TERSE_QUANTITY = re.compile(rf"\b{_QUANTITY}\b", re.I)


_COUNTED = re.compile(r"\bhow many\s+(?:more\s+|different\s+|extra\s+|additional\s+|new\s+)?(?P<noun>[a-z][a-z'’-]+)", re.I)


def counted_noun(question: str) -> str | None:
    """What "how many" counts ("how many councillors …" → "councillors"): the figure's subject, even when
    the word is common in questions."""
    found = _COUNTED.search(own_words(question))
    return found.group("noun").lower() if found and found.group("noun").lower() not in ("of", "times", "years") else None


_CHANGE_WORDS = frozenset({"reduction", "increase", "rise", "growth", "gap", "range"})


def quantities_named(question: str) -> list[str]:
    """The amounts a question names in its own words ("staff turnover" → ["turnover"]): what its figure
    must measure. A change ("rise", "reduction") is how a figure moved, not what it measures."""
    return [m.group(0).lower() for m in _TERSE_QUANTITY.finditer(own_words(question))
            if m.group(0).lower() not in _CHANGE_WORDS]

_HELD_FIGURES = re.compile(r"\b(?:figures?|data|numbers?|stats|statistics)\s+(?:that\s+)?(?:we|do we)\s+(?:hold|have|publish)\b"
                           r"|\b(?:figures?|data|numbers?)\s+(?:held|published)\b|\bpublished (?:figures?|data|numbers?)\b", re.I)
_SAYS = re.compile(r"^\W*what (?:does|did|do|will|would) .{0,60}\b(?:say|said|says|mention|expect|predict)\b", re.I)
_ROLE = re.compile(r"\b(?:leaders?|chief exec\w*|ceo|signator(?:y|ies)|signed|signs|authors?|foreword by)\b", re.I)
_MEASURE = re.compile(r"\b(?:kpis?|indicators?|measures?|committee|directorate|figures?|rates?)\b", re.I)
_QUESTION_WORD = re.compile(r"^\W*(?:what|which|why|how|where|tell|describe|explain|does|do|did|is|are|was|were|"
                            r"will|has|have|can|could|should|summari[sz]e|give)\b", re.I)
_YEAR = r"(?:19|20)\d\d"
_FINANCIAL = re.compile(rf"\b({_YEAR})\s?[-/–]\s?(\d\d)\b(?!\d)")
_SHORT_FINANCIAL = re.compile(r"(?<![\d£.])\b(\d\d)\s?/\s?(\d\d)\b(?![\d%])")
_SINGLE_YEAR = re.compile(rf"\b({_YEAR})\b")
# "in 22-23", "for fy 19-20": a financial year written short with a hyphen. Only after a word that
# introduces a period, because "16-17 year olds" is an age band.
_SHORT_FINANCIAL_HYPHEN = re.compile(r"\b(?:in|for|fy|during|of|from|to|and|vs|versus|v|since|by)\s+(\d\d)\s?[-–]\s?(\d\d)\b"
                                     r"(?!\s*(?:-\s*)?(?:year|yr)s?\b)", re.IGNORECASE)
# "asc turnover 19-20": a pair from 18-19 on is a financial year wherever it stands (no age band the
# data use starts at 18 or later); "16-17" needs "in"/"for" before it, as it is also an age band.
_BARE_FINANCIAL = re.compile(r"(?<![\d.\-–/])\b(1[89]|2\d)\s?[-–]\s?(\d\d)\b(?![\d%.\-–/])(?!\s*(?:-\s*)?(?:year|yr)s?\b)",
                             re.IGNORECASE)
# "latest", "most recent", "now": the newest value held is the period asked for.
# ("our newest strategy", "the current framework" name a document, not the newest value)
_LATEST = re.compile(r"\b(?:latest|most recent|more recent|newest|newer|up to date|current(?:ly)?|right now|these days|"
                     r"at the moment)\b"
                     r"(?!\s+(?:council\s+)?(?:strategic\s+)?(?:strategy|framework|plan|document|version|edition)\b)",
                     re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+({_YEAR})\b", re.IGNORECASE)
# "Dec 2022 to Feb 2023", "dec 2020-feb 2021", "Nov 2017": periods the published data use
_MONTH_RANGE = re.compile(rf"\b{_MONTH}\s+{_YEAR}(?:\s*(?:to|-|–|until)\s*{_MONTH}\s+{_YEAR})?\b", re.IGNORECASE)

# Areas the published data and the documents name; a question "in fenland" is about that area.
AREAS = ("Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire",
         "Peterborough", "England", "All English councils (median)", "Cambridgeshire County Council",
         "Cambridgeshire")
_AREA_WORDS = {
    "All English councils (median)": r"\b(?:england|english|national|nationally)\b.{0,20}\b(?:median|average)\b|"
                                     r"\b(?:median|average)\b.{0,30}\b(?:england|english|councils|nationally)\b|"
                                     r"\bother councils\b|\bmedian\b",
    "Cambridgeshire County Council": r"\b(?:council|ccc)[’']?s own\b|^\W*ccc\b(?![’']s? (?:plan|framework|strategy))|\bown (?:operations|emissions|footprint)\b|\bas an "
                                     r"organisation\b",
}


@dataclass(frozen=True)
class QuestionForm:
    """A question's form and slots. `periods` are data periods asked about ("2019", "2021-22")."""

    form: str
    scope: QuestionScope
    periods: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    areas: tuple[str, ...] = ()
    wants_draft: bool = False
    forms: tuple[str, ...] = field(default=())  # every form the question shows, strongest first
    inferred: bool = False  # the figure form was read from a terse look-up, not from "how many"
    latest: bool = False  # "latest", "most recent", "now": the newest value held is wanted

    @property
    def asks_figure(self) -> bool:
        return self.form in (HOW_MANY, TREND, COMPARE) or HOW_MANY in self.forms

    def has(self, form: str) -> bool:
        return form == self.form or form in self.forms


def read_question(question: str, documents: Sequence[DocumentInfo]) -> QuestionForm:
    scope = resolve_scope(question, documents)
    # "which directorate owns it, about: The number of looked after children …": the form is the
    # question's own; the sentence it leans on gives the topic and slots only.
    patterns = ((WHO, _WHO), (WHEN, _WHEN), (WHERE, _WHERE), (TREND, _TREND), (COMPARE, _COMPARE),
                (HOW_MANY, _HOW_MANY), (LIST, _LIST), (YES_NO, _YES_NO))
    own = own_words(question)
    found = [name for name, pattern in patterns if pattern.search(own)]
    if not found:  # "and where are the rest of them, about: how many …": the earlier question's form
        own = question
        found = [name for name, pattern in patterns if pattern.search(own)]
    # A question starting "who/when/how many" is that, whatever else it mentions; "When the framework
    # talks about devolution, does it …" opens with a clause, and the question comes after it.
    opens_with_clause = bool(_WHEN_CLAUSE.match(own))
    if opens_with_clause:
        found = [f for f in found if f != WHEN]
    leading = next((name for name, pattern in ((WHO, _WHO), (WHEN, _WHEN)) if pattern.match(own)
                    and not (name == WHEN and opens_with_clause)), None)
    form = leading or (found[0] if found else WHAT)
    if form == HOW_MANY and _SAYS.match(own) and not re.search(r"\bhow (?:many|much)\b", own, re.I):
        # "what did the 2016 strategy say would happen to the number of complaints?": what it says, in words
        form, found = WHAT, [f for f in found if f != HOW_MANY]
    if _HELD_FIGURES.search(own) and HOW_MANY not in found:
        found.append(HOW_MANY)  # "what do the figures we hold say?": the values held are what is asked for
    if form == YES_NO and len(found) > 1:
        form = found[1] if found[0] == YES_NO else found[0]
    # A period the question names itself replaces one carried from the thread ("asc turnover 2023-24, about:
    # asc turnover 19-20").
    own_periods = _periods(own_words(question), scope)
    periods, years = own_periods if own_periods[0] else _periods(question, scope)
    inferred = False
    areas = areas_in(question)
    if form == WHAT and _ROLE.search(question) and not _QUESTION_WORD.match(question) and not _MEASURE.search(question):
        # "2010 plan leader", "chief exec 2023 draft": a terse look-up of a person by role
        form, found = WHO, [WHO] + found
    if (form == WHAT and (periods or _TERSE_QUANTITY.search(question) or districts_of(areas))
            and not _QUESTION_WORD.match(question)):
        # "fenland obesity kids 2019", "council co2 21/22", "hunts lsoas deprived": a terse look-up with a
        # period, an amount's name or a district wants the figure (answered in words when none is printed).
        form, found, inferred = HOW_MANY, [HOW_MANY] + found, True
    return QuestionForm(form, scope, periods, years, areas, scope.wants_draft, tuple(found), inferred,
                        latest=bool(_LATEST.search(question)))


# A question that leans on an earlier one carries its topic after this marker ("how many of those are in
# Fenland, about: how many LSOAs are in the most deprived 20%?"). Follow-ups and long messages write it;
# readers that must weigh the question's own words apart from the borrowed topic split on it.
ABOUT = ", about:"


def leaning_on(question: str, topic: str) -> str:
    """`question`, carrying `topic` (an earlier question, or the sentence a long message leans on)."""
    return f"{question.rstrip(' ?')}{ABOUT} {topic}"


def own_words(question: str) -> str:
    """The question's own words, without a topic it carries."""
    return question.split(ABOUT, 1)[0]


def districts_of(areas: Sequence[str]) -> list[str]:
    """The areas below the county ("Fenland", "Cambridge"): the county and the council as an
    organisation are what every county-wide figure is about already."""
    return [a for a in areas if a not in ("Cambridgeshire", "Cambridgeshire County Council")]


def areas_in(question: str) -> tuple[str, ...]:
    lower = question.lower()
    found = []
    for area, pattern in _AREA_WORDS.items():
        if re.search(pattern, lower):
            found.append(area)
    for area in AREAS:
        if area in _AREA_WORDS:
            continue
        if re.search(rf"\b{re.escape(area.lower())}\b", lower):
            # "South Cambridgeshire" is not also "Cambridgeshire"; "Cambridge" is not "Cambridgeshire".
            if any(area != other and area.lower() in other.lower() and other in found for other in found):
                continue
            found.append(area)
    if "All English councils (median)" in found and "England" in found:
        found.remove("England")  # "the England median" is the comparator, not an area of its own
    return tuple(dict.fromkeys(found))


def _periods(question: str, scope: QuestionScope) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Data periods the question asks about; years that chose a framework are not data periods."""
    if scope.doc_ids and not scope.data_years:
        framework_years = set(int(y) for y in _SINGLE_YEAR.findall(question))
    else:
        framework_years = set()
    periods: list[str] = []
    years: list[int] = []
    for match in _FINANCIAL.finditer(question):
        start = int(match.group(1))
        end = int(match.group(1)[:2] + match.group(2))
        if end == start + 1:
            periods.append(f"{start}-{match.group(2)}")
            years.append(start)
    for match in [*_SHORT_FINANCIAL.finditer(question), *_SHORT_FINANCIAL_HYPHEN.finditer(question),
                  *_BARE_FINANCIAL.finditer(question)]:
        start, end = int(match.group(1)), int(match.group(2))
        if end == start + 1:
            periods.append(f"20{match.group(1)}-{match.group(2)}")
            years.append(2000 + start)
    for match in _MONTH_RANGE.finditer(question):
        periods.insert(0, " to ".join(f"{m[:3].title()} {y}" for m, y in _MONTH_YEAR.findall(match.group(0))))
        years.extend(int(y) for _, y in _MONTH_YEAR.findall(match.group(0)))
    covered = {y for p in periods if p[:4].isdigit() for y in (int(p[:4]), int(p[:4]) + 1)}
    covered |= set(years)
    for match in _SINGLE_YEAR.finditer(question):
        year = int(match.group(1))
        if year in covered or year in framework_years:
            continue
        periods.append(str(year))
        years.append(year)
    return tuple(dict.fromkeys(periods)), tuple(dict.fromkeys(years))


def period_matches(asked: str, held: str) -> bool:
    """Whether a held observation's period ("2021-22", "Dec 2020 to Feb 2021", "2015/16", "Nov 2017")
    is the period asked about ("2021", "2021-22")."""
    held_years = [int(y) for y in re.findall(rf"\b({_YEAR})\b", held)]
    held_years += [int(a[:2] + b) for a, b in re.findall(rf"\b({_YEAR})\s?[/-]\s?(\d\d)\b(?!\d)", held)]
    if asked[:1].isalpha():  # a month period asked ("Dec 2022 to Feb 2023"): the same months
        return _normal_months(asked) == _normal_months(held) or (" to " not in asked and _normal_months(asked)
                                                                 in _normal_months(held).split(" to "))
    if "-" in asked and len(asked) == 7:  # a financial year asked: the held period must be that year
        start = int(asked[:4])
        normal = re.sub(r"\s", "", held).replace("/", "-")
        if normal.startswith(f"{start}-{asked[5:]}") or normal == f"{start}-{start + 1}":
            return True
        # "winter 2021/22" and a held "Dec 2021 to Feb 2022": months inside April to March of that year
        months = _MONTH_YEAR.findall(held)
        return bool(months) and all(_in_financial_year(month, int(year), start) for month, year in months)
    year = int(asked)
    return year in held_years


_MONTH_NUMBER = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def _in_financial_year(month: str, year: int, start: int) -> bool:
    number = _MONTH_NUMBER[month[:3].lower()]
    return (year == start and number >= 4) or (year == start + 1 and number <= 3)


def _normal_months(period: str) -> str:
    return " to ".join(f"{m[:3].lower()} {y}" for m, y in _MONTH_YEAR.findall(period))
