"""Working out which framework a question is about (what kind of answer it wants is `forms`).

"The current strategy" means the newest framework; "the 2016 framework" or "in 2018" selects
the framework in force then; a draft is searched only when asked for, because the later
edition replaces it. Bare years elsewhere ("carbon footprint in 2020") describe data, not a
document, so they do not filter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from retrieval.corpus import DocumentInfo

_DOC_WORDS = (r"(?:strategic framework|framework|strategy|plan|document|edition|draft|one|priorit(?:y|ies)|ambitions?|"
              r"objectives?|outcomes?)")
_YEAR = r"(?:19|20)\d\d"
_RANGE = re.compile(rf"\b({_YEAR})\s*(?:-|–|to)\s*((?:{_YEAR})|\d\d)\b")
_YEAR_NEAR_DOC = re.compile(
    # the year nearest the document word: in "since 2011 census - 2016 framework" the framework is 2016's
    rf"\b({_YEAR})\b(?:(?!\b{_YEAR}\b)[\w\s'’-]){{0,20}}?\b{_DOC_WORDS}\b|\b{_DOC_WORDS}\b[\w\s'’-]{{0,25}}?\b(?:of|from|in|for)?\s*({_YEAR})\b"
    rf"|\bin ({_YEAR})\b(?=.*\b(?:council|strategy|framework|plan|promise|commit|aim|prioriti))",
    re.IGNORECASE,
)
_CURRENT = re.compile(
    rf"\b(current|latest|newest|most recent|present|today'?s|new)\s+(?:council\s+)?{_DOC_WORDS}"
    rf"|\b{_DOC_WORDS}\s+(?:now|currently|today)\b|\bright now\b|\bcurrently\b",
    re.IGNORECASE,
)
_DRAFT = re.compile(r"\bdraft\b|\bearlier (?:edition|version)\b|\bfirst (?:edition|version)\b|\beditions\b",
                    re.IGNORECASE)
# "the 23-28 draft", "16-21 framework": a framework's years written short (an age band such as
# "16-17 NEET rate" is not followed by a document word).
_SHORT_RANGE = re.compile(rf"\b([1-4]\d)\s?[-–/]\s?([1-4]\d)\b(?=\s+(?:{_DOC_WORDS})\b)", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"[\s,]*(?:according|per|says?|said|as stated|in the)\b", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionScope:
    doc_ids: frozenset[str] | None
    wants_draft: bool
    reason: str = ""
    data_years: tuple[int, ...] = ()  # years the question asks data for (not framework years)


def resolve_scope(question: str, documents: Sequence[DocumentInfo]) -> QuestionScope:
    wants_draft = bool(_DRAFT.search(question))
    years = _framework_years(question, {d.period_start for d in documents})
    if years:
        chosen = set()
        for year in years:
            chosen |= in_force(year, documents, wants_draft)
        if chosen:
            return QuestionScope(frozenset(chosen), wants_draft, f"framework for {', '.join(map(str, years))}")
    if _CURRENT.search(question):
        newest = max((d for d in documents if d.status != "added"), default=None, key=recency) or documents[-1]
        return QuestionScope(frozenset({newest.id}), wants_draft, "newest framework")
    data_years = tuple(int(y) for y in re.findall(rf"\b({_YEAR})\b", question))
    return QuestionScope(None, wants_draft, data_years=data_years)


def recency(document: DocumentInfo) -> tuple[int, bool]:
    """How new a framework is: its start year, and an adopted text ahead of a draft of the same year."""
    return document.period_start, document.status != "draft"


def _framework_years(question: str, starts: set[int] | None = None) -> list[int]:
    years: list[int] = []
    for match in _RANGE.finditer(question):
        start, end = int(match.group(1)), match.group(2)
        end_year = int(end) if len(end) == 4 else int(match.group(1)[:2] + end)
        # "2016-21" names a framework; "2021-22" (a financial year) and "2018 to 2021" are data periods
        if end_year != start + 1 and (starts is None or start in starts):
            years.append(start)
    for match in _SHORT_RANGE.finditer(question):
        start = 2000 + int(match.group(1))
        if starts is None or start in starts:
            years.append(start)
    for match in _YEAR_NEAR_DOC.finditer(question):
        data_year = match.group(1) or match.group(3)
        if data_year and _ATTRIBUTION.match(question, question.index(data_year, match.start()) + 4):
            continue  # "footprint in 2020 according to the draft": the year is the data's, not the document's
        years.extend(int(g) for g in match.groups() if g)
    return list(dict.fromkeys(years))


def in_force(year: int, documents: Sequence[DocumentInfo], wants_draft: bool) -> set[str]:
    """The framework(s) a year points at: the one that starts that year, else the newest covering it."""
    # A document a user added never stands in for a council framework the question names.
    official = [d for d in documents if d.status != "added"]
    documents = official or list(documents)
    starting = [d for d in documents if d.period_start == year]
    candidates = starting or [d for d in documents if d.covers(year)]
    if not candidates:
        return set()
    newest_start = max(d.period_start for d in candidates)
    chosen = {d.id for d in candidates if d.period_start == newest_start}
    superseded = {d.supersedes for d in documents if d.supersedes}
    if not wants_draft:
        chosen -= {i for i in chosen if i in superseded}
    else:
        chosen |= {d.supersedes for d in documents if d.id in chosen and d.supersedes}
    return chosen
