"""What an import reports: each problem with its file, row and column, or a summary of changes."""
from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an input file. `row` is the line (CSV) or sheet row (XLSX) number
    a person sees in their editor; `None` when the problem concerns the whole file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Raised when a file has problems; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[ImportProblem] | tuple[ImportProblem, ...]):
        self.problems = tuple(problems)
        super().__init__(self.describe())

    def describe(self, limit: int = MAX_PROBLEMS_SHOWN) -> str:
        files = sorted({problem.file for problem in self.problems})
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in {', '.join(files)}; nothing was imported."
        lines = [head, *(f"- {problem}" for problem in self.problems[:limit])]
        if count > limit:
            lines.append(f"... and {count - limit} more.")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed (or, with `dry_run`, would have changed)."""

    file: str
    kind: str  # observations | definitions
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dry_run: bool
    encoding: str | None
    measures: tuple[str, ...]

    def describe(self) -> str:
        verb = "Would import" if self.dry_run else "Imported"
        text = (
            f"{verb} {self.rows} {self.kind.removesuffix('s')} row{'s' if self.rows != 1 else ''} from {self.file}: "
            f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.measures:
            shown = ", ".join(self.measures[:8]) + (", ..." if len(self.measures) > 8 else "")
            text += f" ({len(self.measures)} measure{'s' if len(self.measures) != 1 else ''}: {shown})"
        if self.encoding and self.encoding not in ("utf-8", "utf-8-sig", "xlsx"):
            text += f". The file was read as {self.encoding}, not UTF-8"
        if self.dry_run:
            text += ". Dry run: nothing was written"
        return text + "."
