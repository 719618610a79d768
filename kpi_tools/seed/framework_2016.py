"""The 2016-21 Strategic Framework, in both editions (the draft and the later Business Plan
section 1): seven outcomes with their appendix descriptions, the KPI table, the approaches of
"What will be different by 2020?", the key principles, and the headline figures.

Both editions are parsed by the same code; `kpi_tools.seed.differences` then records where
they disagree (the budget reduction, two deprivation ticks).
"""
from __future__ import annotations

import re

from kpi_tools.normalise import bullet_text, normalise_text
from kpi_tools.seed.figures import FigureRule, extract_figures
from kpi_tools.seed.kpi_table_2016 import HEADER_START, parse_kpi_table
from kpi_tools.seed.records import (
    CommitmentRecord,
    FrameworkContent,
    OutcomeRecord,
    SeedError,
    require_quote,
)

_OUTCOMES_START = "To achieve our vision we are focussing on achieving a number of outcomes"
_APPENDIX = re.compile(r"^Appendix.*Outcomes$")
_APPENDIX_INTRO = "The Outcomes that we are working towards are:"
_DIFFERENT_START = "To achieve our vision and ambition despite these challenges"
_DIFFERENT_END = ("We need to support our workforce", "The following diagram sets out")
_THEME = re.compile(r"achieving our vision of \*\*(.+?)\*\*")
_PRINCIPLES_START = "Underpinning how we will work is a set of key principles"
_PRINCIPLES_END = "Headline implications for our communities"
_BOLD_BULLET = re.compile(r"^-\s+\*\*(.+?)\*\*\s*$")

_VISION = "Our Vision and Ambition"
FIGURE_RULES = (
    FigureRule(
        name="Estimated increase in Cambridgeshire's population since the 2011 census, by 2020-21",
        pattern=r"the Cambridgeshire population will have increased by an estimated (?P<value>[\d,]+) since the last census in 2011",
        unit="people", period="2011 to 2020-21", area="Cambridgeshire", section=_VISION,
        headline="The challenges we face",
    ),
    FigureRule(
        name="Reduction in the County Council's budget by 2020-21",
        pattern=r"our budget will have reduced by (?P<value>£\d+ million)",
        unit="£ million", period="by 2020-21", area="Cambridgeshire County Council", section=_VISION,
        headline="The challenges we face",
    ),
    FigureRule(
        name="Reduction in the resources available to deliver the outcomes over the next five years",
        pattern=r"deliver these outcomes with (?P<value>\d+) per cent less resource over the next five years",
        unit="%", period="2016-17 to 2020-21", area="Cambridgeshire County Council", section=_VISION,
        headline="An outcome-led Council",
    ),
)


def parse(doc_id: str, text: str) -> FrameworkContent:
    normalised = normalise_text(text)
    lines = text.splitlines()
    titles = _outcome_titles(doc_id, lines)
    table_start = _index(doc_id, lines, lambda line: line.startswith(HEADER_START))
    appendix_at = _index(doc_id, lines, lambda line: bool(_APPENDIX.match(line.strip())), table_start)
    descriptions = _appendix_descriptions(doc_id, lines[appendix_at + 1:], titles)
    appendix_heading = normalise_text(lines[appendix_at])
    outcomes = tuple(
        OutcomeRecord(
            kind="outcome", title=title, code=None, description=descriptions[title], position=position,
            section=appendix_heading, quote=require_quote(doc_id, normalised, title),
        )
        for position, title in enumerate(titles, start=1)
    )
    measures = parse_kpi_table(doc_id, lines[table_start:appendix_at], titles, normalised)
    commitments = _approaches(doc_id, lines, normalised) + _principles(doc_id, lines, normalised)
    commitments = tuple(
        CommitmentRecord(**{**c.__dict__, "position": position}) for position, c in enumerate(commitments, 1)
    )
    return FrameworkContent(
        doc_id=doc_id, outcomes=outcomes, measures=measures, commitments=commitments,
        figures=extract_figures(doc_id, normalised, FIGURE_RULES),
    )


def _outcome_titles(doc_id: str, lines: list[str]) -> list[str]:
    start = _index(doc_id, lines, lambda line: line.startswith(_OUTCOMES_START))
    titles = []
    for line in lines[start + 1:]:
        if (bullet := bullet_text(line)) is not None:
            titles.append(bullet)
        elif titles and line.strip():
            break
    if len(titles) != 7:
        raise SeedError(f"{doc_id}: expected seven outcomes, found {len(titles)}")
    return titles


def _appendix_descriptions(doc_id: str, lines: list[str], titles: list[str]) -> dict[str, str]:
    descriptions: dict[str, list[str]] = {}
    current = None
    for line in lines:
        text = normalise_text(line)
        if text in titles:
            current = text
            descriptions[current] = []
        elif text and current and text != _APPENDIX_INTRO:
            descriptions[current].append(text)  # a page break can split a paragraph in two
    missing = [title for title in titles if not descriptions.get(title)]
    if missing:
        raise SeedError(f"{doc_id}: no appendix description for {missing}")
    return {title: " ".join(parts) for title, parts in descriptions.items()}


def _approaches(doc_id: str, lines: list[str], normalised: str) -> tuple[CommitmentRecord, ...]:
    """"What will be different by 2020?": the approaches under each vision statement."""
    start = _index(doc_id, lines, lambda line: line.startswith(_DIFFERENT_START))
    end = _index(doc_id, lines, lambda line: line.startswith(_DIFFERENT_END), start)
    return _bold_bullets(doc_id, lines[start:end], normalised, "what will be different",
                         "What will be different by 2020?", theme_of=_vision_theme)


def _principles(doc_id: str, lines: list[str], normalised: str) -> tuple[CommitmentRecord, ...]:
    """"Key principles of our approach", grouped under their sub-headings."""
    start = _index(doc_id, lines, lambda line: line.startswith(_PRINCIPLES_START))
    end = _index(doc_id, lines, lambda line: _PRINCIPLES_END in line, start)
    return _bold_bullets(doc_id, lines[start + 1:end], normalised, "key principle",
                         "Key principles of our approach", theme_of=_principle_theme)


def _vision_theme(line: str) -> str | None:
    match = _THEME.search(line)
    return match[1] if match else None


def _principle_theme(line: str) -> str | None:
    """A short line without a full stop that is not the repeated "Key principles" page title."""
    text = normalise_text(line)
    if not text or text == "Key principles" or text.endswith(".") or len(text) > 70 or text.startswith("-"):
        return None
    return text


def _bold_bullets(doc_id, lines, normalised, kind, section, theme_of) -> tuple[CommitmentRecord, ...]:
    records: list[dict] = []
    theme = None
    for line in lines:
        if normalise_text(line) == "Key principles":
            continue  # the page title repeated on every page of the section
        if match := _BOLD_BULLET.match(line.strip()):
            text = normalise_text(match[1])
            records.append({"text": text, "theme": theme, "detail": []})
        elif (new_theme := theme_of(line)) is not None:
            theme = new_theme
        elif line.strip() and records:
            records[-1]["detail"].append(normalise_text(line))
    if not records:
        raise SeedError(f"{doc_id}: no commitments found in {section!r}")
    return tuple(
        CommitmentRecord(
            kind=kind, text=record["text"], outcome_title=None, theme=record["theme"],
            detail=" ".join(record["detail"]) or None, position=0, section=section,
            quote=require_quote(doc_id, normalised, record["text"]),
        )
        for record in records
    )


def _index(doc_id: str, lines: list[str], predicate, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if predicate(lines[i]):
            return i
    raise SeedError(f"{doc_id}: expected line not found after line {start}")
