"""The Key Performance Indicators table of the 2016-21 Strategic Framework, row by row.

The table is tab-separated text cut at page boundaries. What this module undoes:
- the header row repeated on each page, and rows of dashes left by the conversion;
- HTML fragments in cells (`<p>`, `<ul style=...>`, `<input type="checkbox"/>`);
- a measure whose bullet list runs onto the next page as a row with every other cell empty
  (health visiting; in the draft also adult lifestyles): merged into the measure above;
- secondary-outcome cells holding several outcomes, either as `<p>A</p> <p>B</p>` or run
  together ("Older people live well independently People at risk of harm are kept safe"):
  split against the framework's known outcome titles; text that is not one of them
  ("Developing our economy") is kept as printed and flagged as not a known outcome;
- the "Deprivation Indicator?" column: ✓ is yes; an empty checkbox or an empty cell is no,
  and which of the two was printed is kept.
"""
from __future__ import annotations

import re

from kpi_tools.normalise import normalise_text, strip_html
from kpi_tools.seed.records import MeasureRecord, PrintedOutcome, SeedError

HEADER_START = "Measure\tDirectorate\tLead Committee"
_SEPARATOR = re.compile(r"^[-\s]*$")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_CODE = re.compile(r"^(\S+(?: \S+)*?) - ")
SECTION = "Key Performance Indicators"


def parse_kpi_table(doc_id: str, lines: list[str], outcome_titles: list[str],
                    normalised: str) -> tuple[MeasureRecord, ...]:
    """Every measure of the table, in printed order, with continuation rows merged."""
    rows: list[dict] = []
    for line in lines:
        if not line.strip() or line.startswith(HEADER_START) or _SEPARATOR.match(line):
            continue
        cells = (line.split("\t") + [""] * 6)[:6]
        if cells[0].strip() and not any(strip_html(cell) for cell in cells[1:]):
            if not rows:
                raise SeedError(f"{doc_id}: the KPI table starts with a continuation row")
            rows[-1]["name_parts"].append(cells[0])  # the bullet list continues from the page above
            continue
        rows.append({"cells": cells, "name_parts": [cells[0]], "line": line})
    if not rows:
        raise SeedError(f"{doc_id}: no rows found in the KPI table")
    return tuple(_measure(doc_id, row, position, outcome_titles, normalised) for position, row in enumerate(rows, 1))


def _measure(doc_id: str, row: dict, position: int, outcome_titles: list[str], normalised: str) -> MeasureRecord:
    cells = row["cells"]
    name = strip_html(" ".join(row["name_parts"]))
    primary = strip_html(cells[3])
    if primary not in outcome_titles:
        raise SeedError(f"{doc_id}: KPI {name[:60]!r} has an unknown primary outcome {primary!r}")
    flag_cell = normalise_text(cells[5])
    if flag_cell == "✓":
        flag, printed = True, "✓"
    elif "checkbox" in flag_cell:
        flag, printed = False, "empty checkbox"
    elif not flag_cell:
        flag, printed = False, "blank"
    else:
        raise SeedError(f"{doc_id}: KPI {name[:60]!r} has an unreadable deprivation cell {flag_cell!r}")
    return MeasureRecord(
        kind="KPI",
        name=name,
        code=measure_code(name),
        directorate=strip_html(cells[1]) or None,
        lead_committee=strip_html(cells[2]) or None,
        deprivation_indicator=flag,
        deprivation_printed=printed,
        primary_outcome=primary,
        secondary_outcomes=split_outcomes(cells[4], outcome_titles),
        position=position,
        section=SECTION,
        quote=_quote(doc_id, cells[0], normalised),
    )


def measure_code(name: str) -> str | None:
    """The code printed before " - " ("BCF 2A PART 2", "RBT-I", "1C PART 1a"), if any.

    A code is one or more tokens each in capitals or containing a digit; "Sexual Health - ..."
    is a title, not a code.
    """
    match = _CODE.match(name)
    if not match:
        return None
    tokens = match[1].split()
    if all(token.isupper() or any(char.isdigit() for char in token) for token in tokens):
        return match[1]
    return None


def split_outcomes(cell: str, outcome_titles: list[str]) -> tuple[PrintedOutcome, ...]:
    """The outcomes named in a cell, in order; unknown text is kept and flagged."""
    paragraphs = _PARAGRAPH.findall(cell)
    pieces = paragraphs if paragraphs else [cell]
    found: list[PrintedOutcome] = []
    for piece in pieces:
        found.extend(_split_run_together(strip_html(piece), outcome_titles))
    return tuple(found)


def _split_run_together(text: str, outcome_titles: list[str]) -> list[PrintedOutcome]:
    if not text:
        return []
    pattern = "|".join(re.escape(title) for title in sorted(outcome_titles, key=len, reverse=True))
    result, cursor = [], 0
    for match in re.finditer(pattern, text):
        unknown = text[cursor:match.start()].strip()
        if unknown:
            result.append(PrintedOutcome(unknown, known=False))
        result.append(PrintedOutcome(match.group(0), known=True))
        cursor = match.end()
    if text[cursor:].strip():
        result.append(PrintedOutcome(text[cursor:].strip(), known=False))
    return result


def _quote(doc_id: str, first_cell: str, normalised: str) -> str:
    """The measure's printed name as it occurs in the document; the first HTML-free fragment
    when tags interrupt it (the health visiting list)."""
    whole = strip_html(first_cell)
    if whole in normalised:
        return whole
    for fragment in _TAG.split(first_cell):
        fragment = normalise_text(fragment)
        if fragment and fragment in normalised:
            return fragment
    raise SeedError(f"{doc_id}: no quotable text for KPI {whole[:60]!r}")
