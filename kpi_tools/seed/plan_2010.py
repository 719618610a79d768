"""The Draft Integrated Plan 2010: five strategic objectives, what the council will do, how it
will know, and the figures of the Leader's introduction (the 2009 achievements).

"£XX in efficiency savings" is a drafting placeholder, not a figure: no rule reads it, and a
test checks that no stored figure contains "XX".
"""
from __future__ import annotations

import re

from kpi_tools.normalise import bullet_text, normalise_text
from kpi_tools.seed.figures import FigureRule, extract_figures
from kpi_tools.seed.records import (
    CommitmentRecord,
    FrameworkContent,
    MeasureRecord,
    OutcomeRecord,
    SeedError,
    require_quote,
)

_SO_LIST_START = "Our strategic objectives, SOs, are in equal priority"
_SO_ITEM = re.compile(r"^-\s+(SO\d)\s+(.+)$")
_DETAIL_START = "The rest of this document gives more detail"
_WANT = "What do we want to achieve?"
_DO = re.compile(r"^What will we do to (?:help us )?achieve our ambition\?$")
_KNOW = "How will we know if we have been successful?"
_SAY = "As a result of this work"

_INTRO = "Introduction from the Leader of the Council"
_ACHIEVEMENTS = "2009 achievements"
FIGURE_RULES = (
    FigureRule(
        name="Reduction in the County Council's spending power over the next five years",
        pattern=r"will see a reduction in its spending power of (?P<value>about \d+)%",
        unit="%", period="the next five years (from 2010)", area="Cambridgeshire County Council", section=_INTRO,
    ),
    FigureRule(
        name="Increase in the number of local bus passengers during 2009",
        pattern=r"Increased the number of local bus passengers by (?P<value>over \d+ million)",
        unit="million passengers", period="2009", area="Cambridgeshire", section=_INTRO,
        headline=_ACHIEVEMENTS, outcome="SO3",
    ),
    FigureRule(
        name="Libraries improved during 2009 (in Huntingdon and Cambridge)",
        pattern=r"Improved (?P<value>two) of our largest and busiest libraries in Huntingdon and Cambridge",
        unit="libraries", period="2009", area="Cambridgeshire", section=_INTRO, headline=_ACHIEVEMENTS, outcome="SO1",
    ),
    FigureRule(
        name="Hours of support provided to disabled children at home during 2009",
        pattern=r"Provided (?P<value>[\d,]+) hours of support to \d+ disabled children at home",
        unit="hours", period="2009", area="Cambridgeshire", section=_INTRO, headline=_ACHIEVEMENTS, outcome="SO2",
    ),
    FigureRule(
        name="Disabled children supported at home during 2009",
        pattern=r"hours of support to (?P<value>\d+) disabled children at home",
        unit="children", period="2009", area="Cambridgeshire", section=_INTRO, headline=_ACHIEVEMENTS, outcome="SO2",
    ),
    FigureRule(
        name="Cost of the waste recycling plant opened in 2009",
        pattern=r"Opened a (?P<value>£\d+ million) waste recycling plant",
        unit="£ million", period="2009", area="Cambridgeshire", section=_INTRO, headline=_ACHIEVEMENTS, outcome="SO5",
    ),
    FigureRule(
        name="Older people cared for in their own homes during 2009",
        pattern=r"Cared for (?P<value>nearly [\d,]+) older people in their own homes",
        unit="older people", period="2009", area="Cambridgeshire", section=_INTRO, headline=_ACHIEVEMENTS, outcome="SO2",
    ),
    FigureRule(
        name="Elected councillors of the County Council",
        pattern=r"The County Council of (?P<value>\d+) elected local politicians",
        unit="councillors", period="2010", area="Cambridgeshire County Council",
        section="Who are we and what do we want to achieve?",
    ),
    FigureRule(
        name="Gap in women's life expectancy between South Cambridgeshire and Fenland",
        pattern=r"women living in South Cambridgeshire, on average, have a life expectancy (?P<value>three and a half) years higher than women living in Fenland",
        unit="years", area="South Cambridgeshire compared with Fenland", section="What is Cambridgeshire like now?",
        outcome="SO1",
    ),
    FigureRule(
        name="Reported crimes in Cambridge compared with East Cambridgeshire",
        pattern=r"The number of reported crimes is (?P<value>three) times higher in Cambridge than it is in East Cambridgeshire",
        unit="times as many", area="Cambridge compared with East Cambridgeshire",
        section="What is Cambridgeshire like now?", outcome="SO3",
    ),
)


def parse(doc_id: str, text: str) -> FrameworkContent:
    normalised = normalise_text(text)
    lines = text.splitlines()
    objectives = _objective_list(doc_id, lines, normalised)
    detail_start = _line_index(doc_id, lines, lambda line: line.startswith(_DETAIL_START))
    outcomes, commitments, measures = [], [], []
    titles = [title for _, title, _ in objectives]
    for position, (code, title, quote) in enumerate(objectives, start=1):
        section = _section_lines(doc_id, lines, detail_start, title, titles)
        parts = _split_section(doc_id, section, title)
        outcomes.append(
            OutcomeRecord(
                kind="strategic objective", title=title, code=code, description=parts["want"],
                position=position, section=title, quote=quote,
            )
        )
        for bullet in parts["do"]:
            commitments.append(
                CommitmentRecord(
                    kind="what will we do", text=bullet, outcome_title=title, theme=None, detail=None,
                    position=len(commitments) + 1, section=title, quote=require_quote(doc_id, normalised, bullet),
                )
            )
        for bullet in parts["know"]:
            measures.append(
                MeasureRecord(
                    kind="success measure", name=bullet, code=None, directorate=None, lead_committee=None,
                    deprivation_indicator=None, deprivation_printed=None, primary_outcome=title,
                    secondary_outcomes=(), position=len(measures) + 1, section=title,
                    quote=require_quote(doc_id, normalised, bullet),
                )
            )
    return FrameworkContent(
        doc_id=doc_id, outcomes=tuple(outcomes), measures=tuple(measures), commitments=tuple(commitments),
        figures=extract_figures(doc_id, normalised, FIGURE_RULES),
    )


def _objective_list(doc_id: str, lines: list[str], normalised: str) -> list[tuple[str, str, str]]:
    start = _line_index(doc_id, lines, lambda line: line.startswith(_SO_LIST_START))
    objectives = []
    for line in lines[start + 1:]:
        if match := _SO_ITEM.match(line.strip()):
            quote = require_quote(doc_id, normalised, f"{match[1]} {normalise_text(match[2])}")
            objectives.append((match[1], normalise_text(match[2]), quote))
        elif objectives and line.strip():
            break
    if [code for code, _, _ in objectives] != ["SO1", "SO2", "SO3", "SO4", "SO5"]:
        raise SeedError(f"{doc_id}: expected SO1 to SO5, found {[code for code, _, _ in objectives]}")
    return objectives


def _section_lines(doc_id: str, lines: list[str], start: int, title: str, titles: list[str]) -> list[str]:
    begin = _line_index(doc_id, lines, lambda line: normalise_text(line) == title, start)
    end = next(
        (i for i in range(begin + 1, len(lines)) if normalise_text(lines[i]) in titles),
        len(lines),
    )
    return lines[begin + 1:end]


def _split_section(doc_id: str, section: list[str], title: str) -> dict:
    """The "want" paragraph(s), the "What will we do" bullets and the "How will we know" bullets."""
    part = None
    want: list[str] = []
    bullets: dict[str, list[str]] = {"do": [], "know": []}
    for line in section:
        stripped = line.strip()
        if stripped == _WANT:
            part = "want"
        elif _DO.match(stripped):
            part = "do"
        elif stripped == _KNOW:
            part = "know"
        elif stripped.startswith(_SAY):
            part = None
        elif not stripped or part is None:
            continue
        elif part == "want":
            want.append(stripped)
        elif (bullet := bullet_text(line)) is not None:
            bullets[part].append(bullet)
        elif line[:1].isspace() and bullets[part]:
            bullets[part][-1] = normalise_text(f"{bullets[part][-1]} {stripped}")  # wrapped bullet
    if not want or not bullets["do"] or not bullets["know"]:
        raise SeedError(f"{doc_id}: section {title!r} lacks its want/do/know parts")
    return {"want": normalise_text(" ".join(want)), **bullets}


def _line_index(doc_id: str, lines: list[str], predicate, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if predicate(lines[i]):
            return i
    raise SeedError(f"{doc_id}: expected line not found after line {start}")
