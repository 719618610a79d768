"""Reading a CSV or XLSX file into named columns of text, with its real row numbers.

Exports from council systems are messy: Windows encodings, a title or notes above the header,
semicolons instead of commas, numbers formatted as text. This module finds the header row,
decodes the bytes, and returns every cell as text so that validation (in the importers) can
name the exact row and column of each problem. It never guesses values.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path


from kpi_tools.import_results import ImportFailed, ImportProblem

HEADER_SEARCH_ROWS = 20
_XLSX_MAGIC = b"PK\x03\x04"
_PANDAS_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


@dataclass(frozen=True)
class Table:
    """Cells as text by column name (lower-case, "_" for spaces); `row_numbers[i]` is the
    number a person sees for data row i."""

    file: str
    encoding: str
    header_row: int
    columns: dict[str, list[str]]
    row_numbers: list[int]

    def __len__(self) -> int:
        return len(self.row_numbers)


def column_name(cell: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(cell).strip().lstrip("\ufeff").lower())


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Table:
    """Read `path` (CSV or XLSX); raise ImportFailed naming the file for anything unreadable."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImportFailed([ImportProblem(name, None, None, f"no such file: {path}")])
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailed([ImportProblem(name, None, None, "the file is empty")])
    if data.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        grid, encoding = _xlsx_grid(name, data), "xlsx"
        header_at = _find_header(name, grid, required, optional)
        table = _table_from_grid(name, encoding, grid, header_at)
    else:
        text, encoding = decode(name, data)
        table = _csv_table(name, text, encoding, required, optional)
    _check_columns(table, required)
    if not len(table):
        raise ImportFailed([ImportProblem(name, table.header_row, None, "the file has a header row but no data rows")])
    return table


def decode(name: str, data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with a BOM,
    else Windows-1252 (what Excel writes on UK Windows), else Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252", "latin-1"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, encoding
    raise ImportFailed(
        [ImportProblem(name, None, None, "the file is not readable text; save it as CSV (UTF-8) or as XLSX")]
    )


def _csv_table(name, text, encoding, required, optional) -> Table:
    import pandas as pd  # imported here: pandas costs 0.5 s, and only imports need it
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    best = None
    for delimiter in (",", ";", "\t"):
        grid = list(csv.reader(lines, delimiter=delimiter))
        header_at = _header_index(grid, required, optional)
        if header_at is not None:
            best = (delimiter, header_at)
            break
    if best is None:
        _find_header(name, list(csv.reader(lines)), required, optional)  # raises with the reason
    delimiter, header_at = best
    body = "\n".join(text.splitlines()[header_at:])
    _check_row_widths(name, body, delimiter, header_at)
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep=delimiter, dtype=str, keep_default_na=False,
            skip_blank_lines=False, header=0,
        )
    except pd.errors.ParserError as exc:
        match = _PANDAS_FIELDS.search(str(exc))
        if match:
            expected, line, saw = match.groups()
            raise ImportFailed([ImportProblem(
                name, header_at + int(line), None,
                f"the row has {saw} fields but the header has {expected}; a value containing "
                "the separator must be in double quotes",
            )]) from exc
        raise ImportFailed([ImportProblem(name, None, None, f"the file is not valid CSV ({exc})")]) from exc
    header_row = header_at + 1
    return _table_from_frame(name, encoding, header_row, frame)


def _check_row_widths(name: str, body: str, delimiter: str, header_at: int) -> None:
    """Refuse a row wider than the header before pandas sees it: pandas would turn the extra
    fields into an index, at about 0.3 ms a field (minutes for one hostile line)."""
    rows = csv.reader(io.StringIO(body), delimiter=delimiter)
    header = next(rows, [])
    for offset, row in enumerate(rows, start=1):
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            raise ImportFailed([ImportProblem(
                name, header_at + offset + 1, None,
                f"the row has {len(row)} fields but the header has {len(header)}; a value containing "
                "the separator must be in double quotes",
            )])


def _xlsx_grid(name: str, data: bytes) -> list[list[str]]:
    import pandas as pd  # imported here: pandas costs 0.5 s, and only imports need it
    try:
        frame = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl", keep_default_na=False)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt or encrypted file
        problem = ImportProblem(name, None, None, f"the file is not a readable XLSX workbook ({exc})")
        raise ImportFailed([problem]) from exc
    return [[_cell_text(cell) for cell in row] for row in frame.itertuples(index=False)]


def _cell_text(cell: object) -> str:
    """An Excel cell as the text a person sees: 95 not "95.0", a date as 2021-03-31."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _header_index(grid, required, optional) -> int | None:
    expected = set(required) | set(optional)
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        names = {column_name(cell) for cell in row}
        if len(names & expected) >= min(2, len(required)):
            return index
    return None


def _find_header(name, grid, required, optional) -> int:
    index = _header_index(grid, required, optional)
    if index is None:
        raise ImportFailed([ImportProblem(
            name, None, None,
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows; expected the columns "
            + ", ".join(required),
        )])
    return index


def _table_from_grid(name, encoding, grid, header_at) -> Table:
    header = [column_name(cell) for cell in grid[header_at]]
    width = len(header)
    rows = [(header_at + 2 + i, (row + [""] * width)[:width]) for i, row in enumerate(grid[header_at + 1:])]
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    _check_duplicates(name, header_at + 1, header)
    columns = {column: [row[i] for _, row in rows] for i, column in enumerate(header) if column}
    return Table(name, encoding, header_at + 1, columns, [number for number, _ in rows])


def _table_from_frame(name, encoding, header_row, frame) -> Table:
    frame = frame.fillna("")
    header = [column_name(column) for column in frame.columns]
    _check_duplicates(name, header_row, [re.sub(r"\.\d+$", "", column) for column in header])
    values = {column: frame.iloc[:, i].tolist() for i, column in enumerate(header) if not column.startswith("unnamed:")}
    blank = [all(not str(values[column][i]).strip() for column in values) for i in range(len(frame))]
    keep = [i for i, is_blank in enumerate(blank) if not is_blank]
    if len(keep) == len(frame):
        columns = {column: [str(cell).strip() for cell in cells] for column, cells in values.items()}
        numbers = list(range(header_row + 1, header_row + 1 + len(frame)))
    else:
        columns = {column: [str(cells[i]).strip() for i in keep] for column, cells in values.items()}
        numbers = [header_row + 1 + i for i in keep]
    return Table(name, encoding, header_row, columns, numbers)


def _check_duplicates(name, header_row, header) -> None:
    seen = set()
    for column in header:
        if column and column in seen:
            raise ImportFailed([ImportProblem(name, header_row, column, "the column appears twice in the header")])
        seen.add(column)


def _check_columns(table: Table, required: tuple[str, ...]) -> None:
    missing = [column for column in required if column not in table.columns]
    if missing:
        found = ", ".join(table.columns) or "none"
        raise ImportFailed([
            ImportProblem(table.file, table.header_row, column, f"required column is missing (found: {found})")
            for column in missing
        ])
