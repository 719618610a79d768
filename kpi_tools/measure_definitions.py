"""Importing definitions of measures that no framework lists (published statistics).

Columns: `code, name, unit, definition, related_kpi, related_outcome, publisher`. A defined
measure is linked to the framework KPI it relates to (`related_kpi`, matched on the KPI's exact
printed wording) and to an outcome or ambition (`related_outcome`: a title, a code such as
"SO2", or "Ambition 1: <title>"). It stays a separate measure: the DfE's 16-17 NEET rate
informs the framework's 16-19 NEET KPI but is not it, and answers must say which one they hold.

All or nothing and idempotent, like the observation import: definitions are keyed by code.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update

from kpi_tools.import_results import ImportFailed, ImportProblem, ImportSummary
from kpi_tools.models import Framework, Measure, Outcome
from kpi_tools.normalise import name_key
from kpi_tools.tabular import Table, read_table

DEFINITION_COLUMNS = ("code", "name", "unit", "definition", "related_kpi", "related_outcome", "publisher")
DEFINED_MEASURE = "defined measure"
_FIELDS = ("name", "name_key", "unit", "definition", "publisher", "related_measure_id", "related_outcome_id")


def import_definitions(engine: Engine, path: Path, *, dry_run: bool = False) -> ImportSummary:
    table = read_table(Path(path), ("code", "name"), DEFINITION_COLUMNS)
    with engine.begin() as connection:
        return import_definitions_with(connection, table, dry_run=dry_run)


def import_definitions_with(connection: Connection, table: Table, *, dry_run: bool = False) -> ImportSummary:
    kpis = _framework_measures(connection)
    outcomes = _outcomes(connection)
    framework_codes = {code.lower() for code in connection.execute(
        select(Measure.code).where(Measure.framework_id.is_not(None), Measure.code.is_not(None))).scalars()}
    problems: list[ImportProblem] = []
    records: dict[str, dict] = {}
    seen: dict[str, int] = {}
    blank = [""] * len(table)
    column = {name: table.columns.get(name, blank) for name in DEFINITION_COLUMNS}
    for i, number in enumerate(table.row_numbers):
        def problem(name: str | None, message: str) -> None:
            problems.append(ImportProblem(table.file, number, name, message))

        code, name = column["code"][i], column["name"][i]
        for field, limit in (("code", 60), ("unit", 60)):
            if len(column[field][i]) > limit:
                problem(field, f"{field} is longer than {limit} characters")
        if not code:
            problem("code", "code is empty")
        elif code.lower() in seen:
            problem("code", f"code {code!r} repeats row {seen[code.lower()]}")
        elif code.lower() in framework_codes:
            problem("code", f"code {code!r} is already the code of a framework KPI; choose another")
        if not name:
            problem("name", "name is empty")
        related_measure_id = _match(column["related_kpi"][i], kpis, "related_kpi", "framework KPI", problem)
        related_outcome_id = _match_outcome(column["related_outcome"][i], outcomes, problem)
        if not code or not name or code.lower() in seen or code.lower() in framework_codes:
            continue
        seen[code.lower()] = number
        records[code] = {
            "name": name, "name_key": name_key(name), "unit": column["unit"][i] or None,
            "definition": column["definition"][i] or None, "publisher": column["publisher"][i] or None,
            "related_measure_id": related_measure_id, "related_outcome_id": related_outcome_id,
        }
    if problems:
        raise ImportFailed(problems)
    existing = {row.code: row for row in connection.execute(
        select(Measure.id, Measure.code, *(getattr(Measure, field) for field in _FIELDS))
        .where(Measure.framework_id.is_(None)))}
    new, changed, unchanged = [], [], 0
    for code, record in records.items():
        current = existing.get(code)
        if current is None:
            new.append({"code": code, "kind": DEFINED_MEASURE, "position": 0, **record})
        elif any(getattr(current, field) != record[field] for field in _FIELDS):
            changed.append((current.id, record))
        else:
            unchanged += 1
    if not dry_run:
        if new:
            connection.execute(insert(Measure), new)
        for measure_id, record in changed:
            connection.execute(update(Measure).where(Measure.id == measure_id).values(**record))
    return ImportSummary(
        file=table.file, kind="definitions", rows=len(records), inserted=len(new), updated=len(changed),
        unchanged=unchanged, dry_run=dry_run, encoding=table.encoding, measures=tuple(sorted(records)),
    )


def _framework_measures(connection: Connection) -> dict[str, tuple[int, str]]:
    rows = connection.execute(
        select(Measure.id, Measure.name_key, Measure.name).join(Framework, Measure.framework_id == Framework.id)
        .where(Framework.superseded_by.is_(None))
    )
    return {row.name_key: (row.id, row.name) for row in rows}


def _outcomes(connection: Connection) -> list[tuple[int, str | None, str]]:
    rows = connection.execute(
        select(Outcome.id, Outcome.code, Outcome.title).join(Framework, Outcome.framework_id == Framework.id)
        .where(Framework.superseded_by.is_(None))
    )
    return [(row.id, row.code, row.title) for row in rows]


def _match(text: str, candidates: dict[str, tuple[int, str]], column: str, what: str, problem) -> int | None:
    """The id of the KPI printed as `text` (ignoring case and punctuation); a problem otherwise."""
    if not text:
        return None
    key = name_key(text)
    if key in candidates:
        return candidates[key][0]
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
    hint = f"; did you mean {candidates[close[0]][1]!r}?" if close else ""
    problem(column, f"no {what} is printed as {text!r}{hint}")
    return None


def _match_outcome(text: str, outcomes: list[tuple[int, str | None, str]], problem) -> int | None:
    """A title, a code ("SO2", "Ambition 1") or both ("Ambition 1: Net zero ...")."""
    if not text:
        return None
    code, _, title = text.partition(":")
    for outcome_id, outcome_code, outcome_title in outcomes:
        title_matches = name_key(outcome_title).startswith(name_key(title)) if title.strip() else True
        if outcome_code and outcome_code.lower() == code.strip().lower() and title_matches:
            return outcome_id
    for outcome_id, _, outcome_title in outcomes:
        if name_key(outcome_title) == name_key(text):
            return outcome_id
    problem("related_outcome", f"no outcome or ambition matches {text!r}")
    return None
