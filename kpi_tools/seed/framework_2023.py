"""The Draft Strategic Framework 2023-2028: seven ambitions, their commitments, measures, figures.

Document quirks handled here:
- Ambition 7's "# Ambition 7" heading is missing; its section starts at its title
  ("## Children and young people have opportunities to thrive"), so sections are found by
  heading "Ambition N" or, failing that, by the ambition's title.
- "We will track progress by" bullets start with ☒ or ✓ (the conversion's checkbox marks).
- Ambition 3 groups its commitments under two sub-headings, kept as each commitment's theme.
- Figures are infographic text ("6.89MILLION TONNES CO<sub>2</sub>e"), read by the rules below.
- The document gives no budget figures ("Financial details to follow"), so none are stored.
"""
from __future__ import annotations

import re

from kpi_tools.normalise import bullet_text, heading_text, is_heading, normalise_text
from kpi_tools.seed.figures import FigureRule, extract_figures
from kpi_tools.seed.records import (
    CommitmentRecord,
    FrameworkContent,
    MeasureRecord,
    OutcomeRecord,
    SeedError,
    require_quote,
)

_AMBITION_HEADING = re.compile(r"^#*\s*\**\s*ambition\s+(\d)\s*\**\s*$", re.IGNORECASE)
_LIST_START = "To do this we have"
_LIST_END = "Delivering these ambitions often"
_SECTIONS_END = "Corporate Approach"

FIGURE_RULES = (
    FigureRule(
        name="Carbon footprint of Cambridgeshire (the county)",
        pattern=r"Carbon footprint for Cambridgeshire in (?P<period>\d{4}) (?P<value>[\d.]+)MILLION TONNES CO2e",
        unit="million tonnes CO2e", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Greener", outcome="Ambition 1", measure="Monitoring our annual county-wide carbon footprint",
    ),
    FigureRule(
        name="Carbon footprint of Cambridgeshire County Council as an organisation",
        pattern=r"CARBON FOOTPRINT for Cambridgeshire County Council as an organisation (?P<period>\d{4}/\d{2}): (?P<value>[\d,]+) TONNES CO2e",
        unit="tonnes CO2e", area="Cambridgeshire County Council", section="The Cambridgeshire County Council Vision",
        headline="Greener", outcome="Ambition 1",
    ),
    FigureRule(
        name="Lower layer Super Output Areas in the 20% most deprived nationally (IMD 2019)",
        pattern=r"Cambridgeshire has (?P<value>\d+) Lower layer Super Output Areas in the 20% most relatively deprived nationally as measured by the Indices of multiple deprivation (?P<period>2019)",
        unit="LSOAs", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Fairer", outcome="Ambition 5",
    ),
    *(
        FigureRule(
            name="Lower layer Super Output Areas in the 20% most deprived nationally (IMD 2019)",
            pattern=pattern, unit="LSOAs", area=area, period="2019",
            section="The Cambridgeshire County Council Vision", headline="Fairer", outcome="Ambition 5",
        )
        for area, pattern in (
            ("Fenland", r"(?P<value>\d+) of these are in Fenland, \d+ in Cambridge City and \d+ in Huntingdonshire"),
            ("Cambridge City", r"\d+ of these are in Fenland, (?P<value>\d+) in Cambridge City and \d+ in Huntingdonshire"),
            ("Huntingdonshire", r"\d+ of these are in Fenland, \d+ in Cambridge City and (?P<value>\d+) in Huntingdonshire"),
        )
    ),
    *(
        FigureRule(
            name=name, pattern=pattern, unit="years", area=area, section="The Cambridgeshire County Council Vision",
            headline="Fairer", outcome="Ambition 3",
        )
        for name, area, pattern in (
            ("Life expectancy of males", "Fenland",
             r"The range for males is (?P<value>[\d.]+) years in Fenland through to [\d.]+ years in South Cambridgeshire\."),
            ("Life expectancy of males", "South Cambridgeshire",
             r"The range for males is [\d.]+ years in Fenland through to (?P<value>[\d.]+) years in South Cambridgeshire\."),
            ("Life expectancy of females", "Fenland",
             r"there are still inequalities with Fenland at (?P<value>[\d.]+) years through to South Cambridgeshire at [\d.]+ years"),
            ("Life expectancy of females", "South Cambridgeshire",
             r"there are still inequalities with Fenland at [\d.]+ years through to South Cambridgeshire at (?P<value>[\d.]+) years"),
        )
    ),
    FigureRule(
        name="Carers supported at any one time", pattern=r"(?P<value>Around [\d,]+) carers supported at any one time",
        unit="carers", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 4",
    ),
    FigureRule(
        name="Children supported with Education Health and Care Plans (EHCPs)",
        pattern=r"(?P<value>Around [\d,]+) children supported with Education Health and Care Plans \(EHCPs\)",
        unit="children", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Increase in children with EHCPs since January 2017",
        pattern=r"An increase of (?P<value>\d+)% since (?P<period>January 2017)",
        unit="%", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Social care cases at any one time", pattern=r"(?P<value>[\d,]+) social care cases at any one time",
        unit="cases", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Children in care aged 0-17", pattern=r"including (?P<value>around \d+) children in care aged 0-17",
        unit="children", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Children in social care with a recorded disability",
        pattern=r"(?P<value>around \d+) children with a recorded disability",
        unit="children", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Children supported with an early help episode in the past 12 months",
        pattern=r"(?P<value>Over [\d,]+) Children supported with an early help episode in the past 12 months",
        unit="children", area="Cambridgeshire", period="the past 12 months",
        section="The Cambridgeshire County Council Vision", headline="Caring", outcome="Ambition 7",
    ),
    FigureRule(
        name="Adults aged 18+ receiving long-term social care (fully or partially funded by the County Council)",
        pattern=r"(?P<value>Around [\d,]+) adults aged 18\+ receive long-term social care",
        unit="adults", area="Cambridgeshire", section="The Cambridgeshire County Council Vision",
        headline="Caring", outcome="Ambition 4",
    ),
    FigureRule(
        name="Town and parish councils in Cambridgeshire",
        pattern=r"a county council, (?P<value>\d+) town and parish councils",
        unit="councils", area="Cambridgeshire", section="Joint Administration Foreword",
    ),
    FigureRule(
        name="Year by which Cambridgeshire is to reach net zero carbon emissions",
        pattern=r"Net zero carbon emissions for Cambridgeshire by (?P<value>\d{4}), and our communities and natural environment are supported to adapt and thrive as the climate changes:",
        unit="year", area="Cambridgeshire", section="Ambition 1",
        headline="Ambition 1", outcome="Ambition 1",
    ),
    FigureRule(
        name="Year by which the council's direct carbon emissions are to be net zero",
        pattern=r"Reducing the council's direct carbon emissions to net zero by (?P<value>\d{4})",
        unit="year", area="Cambridgeshire County Council", section="Ambition 1",
        headline="Ambition 1", outcome="Ambition 1",
    ),
    FigureRule(
        name="Year by which the Vision Zero Partnership aims for a consistent reduction in deaths or serious injuries",
        pattern=r"consistent reduction in deaths or serious injuries by (?P<value>\d{4})",
        unit="year", area="Cambridgeshire", section="Ambition 2", headline="Ambition 2", outcome="Ambition 2",
    ),
)


def parse(doc_id: str, text: str) -> FrameworkContent:
    normalised = normalise_text(text)
    lines = text.splitlines()
    ambitions = _ambition_list(doc_id, lines, normalised)
    outcomes, commitments, measures = [], [], []
    sections = _ambition_sections(doc_id, lines, ambitions)
    for (number, title, quote), (section_lines, section_name, statement) in zip(ambitions, sections):
        delivering, tracking = _section_bullets(doc_id, section_lines, number)
        outcomes.append(
            OutcomeRecord(
                kind="ambition", title=title, code=f"Ambition {number}", description=statement,
                position=number, section=section_name, quote=quote,
            )
        )
        for theme, bullet in delivering:
            commitments.append(
                CommitmentRecord(
                    kind="delivering the ambition", text=bullet, outcome_title=title, theme=theme,
                    detail=None, position=len(commitments) + 1, section=section_name,
                    quote=require_quote(doc_id, normalised, bullet),
                )
            )
        for bullet in tracking:
            measures.append(
                MeasureRecord(
                    kind="tracking measure", name=bullet, code=None, directorate=None, lead_committee=None,
                    deprivation_indicator=None, deprivation_printed=None, primary_outcome=title,
                    secondary_outcomes=(), position=len(measures) + 1, section=section_name,
                    quote=require_quote(doc_id, normalised, bullet),
                )
            )
    return FrameworkContent(
        doc_id=doc_id,
        outcomes=tuple(outcomes),
        measures=tuple(measures),
        commitments=tuple(commitments),
        figures=extract_figures(doc_id, normalised, FIGURE_RULES),
    )


def _ambition_list(doc_id: str, lines: list[str], normalised: str) -> list[tuple[int, str, str]]:
    """The numbered list "Ambition 1 ... Ambition 7" with each title as printed there."""
    start = _index(doc_id, lines, lambda line: _LIST_START in line)
    ambitions = []
    number = None
    for line in lines[start + 1:]:
        if _LIST_END in line:
            break
        if match := _AMBITION_HEADING.match(line.strip().lstrip("#").strip()):
            number = int(match[1])
        elif line.strip() and number is not None:
            title = normalise_text(line)
            quote = require_quote(doc_id, normalised, f"Ambition {number} {title}")
            ambitions.append((number, title, quote))
            number = None
    if [number for number, _, _ in ambitions] != list(range(1, 8)):
        raise SeedError(f"{doc_id}: expected Ambitions 1 to 7 in the list, found {[a[0] for a in ambitions]}")
    return ambitions


def _ambition_sections(doc_id: str, lines: list[str], ambitions):
    """Each ambition's section lines, printed heading and opening statement, in order.

    A section starts at its "Ambition N" heading or, where that heading is missing
    (Ambition 7), at a heading that repeats the ambition's title; it ends where the next
    ambition's section starts, the last one at the "Corporate Approach" heading.
    """
    list_end = _index(doc_id, lines, lambda line: _LIST_END in line)
    end = _index(doc_id, lines, lambda line: _SECTIONS_END in line and is_heading(line), list_end)
    starts = []
    for number, title, _quote in ambitions:
        by_number = _find(lines, list_end, end, lambda line: _is_ambition_heading(line, number))
        if by_number is not None:
            starts.append((by_number, f"Ambition {number}", by_number + 1))
            continue
        by_title = _find(lines, list_end, end, lambda line: is_heading(line) and heading_text(line) == title)
        if by_title is None:
            raise SeedError(f"{doc_id}: no section found for Ambition {number}")
        starts.append((by_title, title, by_title))
    sections = []
    for i, (start, name, body_start) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else end
        body = lines[body_start:stop]
        statement = next((heading_text(line) for line in body if line.strip()), None)
        sections.append((body, name, statement))
    return sections


def _is_ambition_heading(line: str, number: int) -> bool:
    match = _AMBITION_HEADING.match(line.strip())
    return is_heading(line) and match is not None and int(match[1]) == number


def _find(lines, start, end, predicate) -> int | None:
    return next((i for i in range(start, end) if predicate(lines[i])), None)


def _section_bullets(doc_id: str, section_lines: list[str], number: int):
    """("theme", commitment) pairs under "Delivering the Ambition", and the tracking measures."""
    delivering: list[tuple[str | None, str]] = []
    tracking: list[str] = []
    part = None
    theme = None
    for line in section_lines:
        stripped = line.strip()
        if not stripped:
            continue
        label = heading_text(stripped).lower()
        if label.startswith("delivering the ambition"):
            part, theme = "delivering", None
            continue
        if label.startswith("we will track progress by"):
            part = "tracking"
            continue
        bullet = bullet_text(line)
        if bullet is None:
            if part == "delivering":
                theme = heading_text(stripped)  # a sub-heading grouping the bullets below it
            continue
        if part == "delivering":
            delivering.append((theme, bullet))
        elif part == "tracking":
            tracking.append(bullet)
    if not delivering or not tracking:
        raise SeedError(f"{doc_id}: Ambition {number} has no 'Delivering the Ambition' or tracking bullets")
    return delivering, tracking


def _index(doc_id, lines, predicate, start=0, end=None) -> int:
    for i in range(start, len(lines) if end is None else end):
        if predicate(lines[i]):
            return i
    raise SeedError(f"{doc_id}: expected line not found")
