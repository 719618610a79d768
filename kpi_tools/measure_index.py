"""Finding a measure from what a person typed: its code, its printed name, or something close.

Shared by the importer (a `measure` column may hold "BCF 2A PART 2" or the full printed name)
and the tools (the model passes a code or a name). Measures of a superseded edition (the
2016-21 draft) are left out: values and questions belong to the edition in force.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from kpi_tools.models import Framework, Measure
from kpi_tools.normalise import name_key


@dataclass(frozen=True)
class MeasureEntry:
    id: int
    code: str | None
    name: str
    unit: str | None
    doc_id: str | None

    @property
    def label(self) -> str:
        return f"{self.code} ({self.name})" if self.code else self.name


@dataclass(frozen=True)
class MeasureIndex:
    entries: dict[int, MeasureEntry]
    by_code: dict[str, tuple[int, ...]]
    by_key: dict[str, tuple[int, ...]]

    def match(self, text: str) -> tuple[int, ...]:
        """Ids whose code (case-insensitive) or printed name (ignoring case, bullets and
        punctuation) equals `text`; empty when none, several when ambiguous."""
        code = " ".join(str(text).split()).lower()
        if code in self.by_code:
            return self.by_code[code]
        return self.by_key.get(name_key(text), ())

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Labels of the measures closest to `text`, for "did you mean" messages."""
        key = name_key(text)
        candidates: dict[str, str] = {}
        for entry in self.entries.values():
            if entry.code:
                candidates[entry.code.lower()] = entry.label
            candidates[name_key(entry.name)] = entry.label
        close = difflib.get_close_matches(key, list(candidates), n=limit * 2, cutoff=0.6)
        if not close and key:
            close = [candidate for candidate in candidates if key in candidate][: limit * 2]
        labels: list[str] = []
        for candidate in close:
            if candidates[candidate] not in labels:
                labels.append(candidates[candidate])
        return labels[:limit]


def load_measure_index(connection: Connection) -> MeasureIndex:
    """Every measure of a framework in force, plus every imported definition."""
    rows = connection.execute(
        select(Measure.id, Measure.code, Measure.name, Measure.unit, Framework.doc_id)
        .outerjoin(Framework, Measure.framework_id == Framework.id)
        .where(or_(Measure.framework_id.is_(None), Framework.superseded_by.is_(None)))
    ).all()
    entries = {row.id: MeasureEntry(row.id, row.code, row.name, row.unit, row.doc_id) for row in rows}
    by_code: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    for entry in entries.values():
        if entry.code:
            by_code.setdefault(entry.code.lower(), []).append(entry.id)
        by_key.setdefault(name_key(entry.name), []).append(entry.id)
    return MeasureIndex(
        entries,
        {code: tuple(ids) for code, ids in by_code.items()},
        {key: tuple(ids) for key, ids in by_key.items()},
    )
