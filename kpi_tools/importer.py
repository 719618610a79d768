"""Importing performance data: `measure, period, value, unit, area, target, source[, note]`.

The rules, each for a reason:
- All or nothing: every row is validated before anything is written, and the writes happen in
  one transaction, so a failed import leaves the database exactly as it was.
- Idempotent: a row is keyed by (measure, period, area). Re-importing the same row changes
  nothing; a row with a new value for an existing key updates it (a revised figure).
- Measures match by code or printed name; when none matches, the closest are suggested.
- The printed value is kept: "more than 95%" is stored as value_text "more than 95" beside 95.
  A note "printed as 'over 62%'" (the public seed data's convention) restores the qualifier.
- Problems name the file, row and column, so the person fixing the file can find them.
- One import of a file at a time (`one_import_of`): a second import of the same file, from any
  process, waits for the first to finish (then finds its rows unchanged), or after `wait_s`
  says that another import of that file is running.

Measure definitions (`code, name, unit, definition, related_kpi, related_outcome, publisher`)
are imported by `kpi_tools.measure_definitions`, re-exported here.
"""
from __future__ import annotations

import fcntl
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, insert, select, text, update

from kpi_tools.import_results import ImportFailed, ImportProblem, ImportSummary
from kpi_tools.measure_definitions import import_definitions, import_definitions_with
from kpi_tools.measure_index import MeasureIndex, load_measure_index
from kpi_tools.models import Observation
from kpi_tools.periods import period_sort_key
from kpi_tools.tabular import Table, read_table
from kpi_tools.values import parse_optional_number, parse_printed_value

__all__ = [
    "ImportFailed", "ImportInProgress", "ImportProblem", "ImportSummary", "OBSERVATION_COLUMNS",
    "import_definitions", "import_definitions_with", "import_observations", "import_observations_with",
    "one_import_of",
]

OBSERVATION_COLUMNS = ("measure", "period", "value", "unit", "area", "target", "source")
OPTIONAL_COLUMNS = ("note",)
_PRINTED_AS = re.compile(r"printed as\s*['\"‘“](.+?)['\"’”]", re.IGNORECASE)
_COMPARED = ("value", "value_text", "qualifier", "unit", "target", "source", "note", "period_sort")
_CHUNK = 5000
# Column widths of kpi_observations; longer text is a problem in the file, not a database error.
MAX_LENGTHS = {"period": 60, "unit": 60, "area": 200, "value": 100}


class ImportInProgress(RuntimeError):
    """Another import of the same file is running and did not finish in time; nothing was imported."""


@contextmanager
def one_import_of(engine: Engine, path: Path, wait_s: float = 120.0, poll_s: float = 0.2) -> Iterator[None]:
    """Hold the lock for importing `path` (by its resolved path) for the block, across processes:
    a PostgreSQL advisory lock on its own connection, or a lock file beside a SQLite database.
    Waits up to `wait_s` for another import of the same file, then raises ImportInProgress."""
    resolved = str(Path(path).resolve())
    digest = hashlib.sha256(resolved.encode()).digest()
    deadline = time.monotonic() + wait_s
    busy = ImportInProgress(f"Another import of {Path(path).name} is running; nothing was imported. "
                            "Run this import again when it has finished.")
    if engine.dialect.name == "postgresql":
        key = int.from_bytes(digest[:8], "big", signed=True)
        with engine.connect() as connection:
            while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
                connection.rollback()
                if time.monotonic() >= deadline:
                    raise busy
                time.sleep(poll_s)
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock_path = Path(database).with_name(f"{Path(database).name}.import-{digest[:6].hex()}.lock")
    with open(lock_path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy from None
                time.sleep(poll_s)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(slots=True)  # 400,000 rows of a large workbook: no per-row __dict__
class _Row:
    number: int
    measure_id: int
    period: str
    period_sort: int
    value: float
    value_text: str
    qualifier: str | None
    unit: str | None
    area: str
    target: float | None
    source: str
    note: str | None

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.measure_id, self.period, self.area)


def import_observations(engine: Engine, path: Path, *, dry_run: bool = False) -> ImportSummary:
    """Validate `path` and write its rows in one transaction; raise ImportFailed on any problem."""
    table = read_table(Path(path), OBSERVATION_COLUMNS, OPTIONAL_COLUMNS)
    with engine.begin() as connection:
        return import_observations_with(connection, table, dry_run=dry_run)


def import_observations_with(connection: Connection, table: Table, *, dry_run: bool = False) -> ImportSummary:
    """The import on an open transaction (the seed runs it inside its own)."""
    index = load_measure_index(connection)
    rows, problems = _validate(table, index)
    if problems:
        raise ImportFailed(problems)
    existing = _existing(connection, {row.measure_id for row in rows})
    new, changed, unchanged = [], [], 0
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            new.append(row)
        elif current[1] != tuple(getattr(row, field) for field in _COMPARED):
            changed.append((current[0], row))
        else:
            unchanged += 1
    if not dry_run:
        _write(connection, new, changed)
    measures = sorted({index.entries[row.measure_id].label for row in rows})
    return ImportSummary(
        file=table.file, kind="observations", rows=len(rows), inserted=len(new), updated=len(changed),
        unchanged=unchanged, dry_run=dry_run, encoding=table.encoding, measures=tuple(measures),
    )


def _validate(table: Table, index: MeasureIndex) -> tuple[list[_Row], list[ImportProblem]]:
    problems: list[ImportProblem] = []
    rows: list[_Row] = []
    seen: dict[tuple[int, str, str], int] = {}
    resolved: dict[str, int | ImportProblem] = {}
    columns = table.columns
    notes = columns.get("note") or [""] * len(table)
    for i, number in enumerate(table.row_numbers):
        def problem(column: str | None, message: str) -> None:
            problems.append(ImportProblem(table.file, number, column, message))

        too_long = [name for name, limit in MAX_LENGTHS.items() if len(columns[name][i]) > limit]
        for name in too_long:
            problem(name, f"{name} is longer than {MAX_LENGTHS[name]} characters")
        if too_long:
            continue
        measure_text = columns["measure"][i]
        measure_id = resolved.get(measure_text)
        if measure_id is None:
            measure_id = resolved[measure_text] = _resolve_measure(table.file, measure_text, index)
        if isinstance(measure_id, ImportProblem):
            problem("measure", measure_id.message)
            measure_id = None
        period = columns["period"][i]
        period_sort = None
        if not period:
            problem("period", "period is empty")
        else:
            try:
                period_sort = period_sort_key(period)
            except ValueError as exc:
                problem("period", str(exc))
        printed = _value(columns["value"][i], notes[i], problem)
        unit = columns["unit"][i] or None
        if measure_id is not None:
            unit = _unit(unit, index.entries[measure_id].unit, columns["value"][i], problem)
        area = columns["area"][i]
        if not area:
            problem("area", "area is empty; name the area the value covers (e.g. Cambridgeshire)")
        try:
            target = parse_optional_number(columns["target"][i])
        except ValueError:
            target = None
            problem("target", f"target {columns['target'][i]!r} is not a number")
        source = columns["source"][i]
        if not source:
            problem("source", "source is empty; say where the value was published")
        if measure_id is None or period_sort is None or printed is None or not area or not source:
            continue
        row = _Row(number, measure_id, period, period_sort, printed.number, printed.text, printed.qualifier,
                   unit, area, target, source, notes[i] or None)
        if row.key in seen:
            problem(None, f"repeats row {seen[row.key]} (same measure, period and area)")
            continue
        seen[row.key] = number
        rows.append(row)
    return rows, problems


def _resolve_measure(file: str, text: str, index: MeasureIndex) -> int | ImportProblem:
    if not text:
        return ImportProblem(file, None, "measure", "measure is empty")
    ids = index.match(text)
    if len(ids) == 1:
        return ids[0]
    if ids:
        labels = "; ".join(index.entries[i].label for i in ids)
        return ImportProblem(file, None, "measure", f"{text!r} matches several measures ({labels}); use a code")
    suggestions = index.suggest(text)
    hint = f"; did you mean {' or '.join(repr(s) for s in suggestions)}?" if suggestions else (
        "; define it first with an import of measure definitions")
    return ImportProblem(file, None, "measure", f"no measure has the code or name {text!r}{hint}")


def _value(text: str, note: str, problem):
    """The printed value; a note "printed as '...'" supplies the qualifier the number lost."""
    try:
        printed = parse_printed_value(text)
    except ValueError:
        if not text.strip():
            problem("value", "value is empty")
        else:
            problem("value", f"value {text!r} is not a number; leave the row out if there is no value")
        return None
    match = _PRINTED_AS.search(note or "")
    if match and printed.qualifier is None:
        try:
            as_printed = parse_printed_value(match[1])
        except ValueError:
            problem("note", f"the note's printed value {match[1]!r} is not a number")
            return None
        if as_printed.number != printed.number:
            problem("note", f"the note says it was printed as {match[1]!r} but the value is {text!r}")
            return None
        return as_printed
    return printed


def _unit(unit: str | None, measure_unit: str | None, value_text: str, problem) -> str | None:
    if unit and measure_unit and unit != measure_unit:
        problem("unit", f"unit {unit!r} differs from the measure's unit {measure_unit!r}")
    if value_text.strip().endswith("%") and (unit or measure_unit) not in (None, "%"):
        problem("value", f"value {value_text!r} is a percentage but the unit is {(unit or measure_unit)!r}")
    return unit or measure_unit


def _existing(connection: Connection, measure_ids: set[int]) -> dict[tuple[int, str, str], tuple[int, tuple]]:
    """(id, the compared values) of each stored row by key: tuples, not dicts (400,000 rows fit)."""
    if not measure_ids:
        return {}
    columns = [Observation.id, Observation.measure_id, Observation.period, Observation.area,
               *(getattr(Observation, field) for field in _COMPARED)]
    result = {}
    ids = sorted(measure_ids)
    for start in range(0, len(ids), 500):
        for row in connection.execute(select(*columns).where(Observation.measure_id.in_(ids[start:start + 500]))):
            result[(row[1], row[2], row[3])] = (row[0], tuple(row[4:]))
    return result


def _write(connection: Connection, new: list[_Row], changed: list[tuple[int, _Row]]) -> None:
    """Bulk statements (executemany), never one ORM object per row: 100,000 rows in seconds."""
    now = datetime.now(timezone.utc)
    fields = ("measure_id", "period", "period_sort", "value", "value_text", "qualifier", "unit", "area",
              "target", "source", "note")
    for start in range(0, len(new), _CHUNK):  # the rows of one statement at a time, never all at once
        records = [{**{field: getattr(row, field) for field in fields}, "imported_at": now}
                   for row in new[start:start + _CHUNK]]
        connection.execute(insert(Observation), records)
    if changed:
        statement = (
            update(Observation)
            .where(Observation.id == bindparam("row_id"))
            .values({field: bindparam(f"new_{field}") for field in (*_COMPARED, "imported_at")})
        )
        for start in range(0, len(changed), _CHUNK):
            updates = [
                {"row_id": row_id, **{f"new_{field}": getattr(row, field) for field in _COMPARED},
                 "new_imported_at": now}
                for row_id, row in changed[start:start + _CHUNK]
            ]
            connection.execute(statement, updates)
