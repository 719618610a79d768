"""Reading a CSV or XLSX file into named columns of text, with its real row numbers.

Exports from council systems are messy: Windows encodings, a title or notes above the header,
semicolons instead of commas, numbers formatted as text. This module finds the header row,
decodes the bytes, and returns every cell as text so that validation (in the importers) can
name the exact row and column of each problem. It never guesses values.

Large files: an XLSX workbook is streamed row by row (openpyxl's read-only mode) straight into
columns, and repeated cell texts (a measure code, an area, a source on every row) are stored
once, so 400,000 rows need tens of MB, not hundreds. A CSV field longer than the csv module's
limit (128 KB) is a problem naming the file and row, not a crash.
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
        table = _xlsx_table(name, data, required, optional)
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


FIELD_LIMIT = csv.field_size_limit()


def _field_too_long(name: str, row: int | None) -> ImportFailed:
    return ImportFailed([ImportProblem(
        name, row, None, f"a field is longer than {FIELD_LIMIT // 1024} KB ({FIELD_LIMIT:,} characters); "
        "a value that long is not a KPI value (check for a missing closing quote)")])


def _csv_rows(name: str, lines, delimiter: str, first_row: int = 1) -> list[list[str]]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _field_too_long(name, first_row + reader.line_num - 1) from None
        raise ImportFailed([ImportProblem(name, first_row + reader.line_num - 1, None,
                                          f"the row is not valid CSV ({exc})")]) from None


def _csv_table(name, text, encoding, required, optional) -> Table:
    import pandas as pd  # imported here: pandas costs 0.5 s, and only imports need it
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    best = None
    for delimiter in (",", ";", "\t"):
        grid = _csv_rows(name, lines, delimiter)
        header_at = _header_index(grid, required, optional)
        if header_at is not None:
            best = (delimiter, header_at)
            break
    if best is None:
        _find_header(name, _csv_rows(name, lines, ","), required, optional)  # raises with the reason
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
    try:
        header = next(rows, [])
        for row in rows:
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
                raise ImportFailed([ImportProblem(
                    name, header_at + rows.line_num, None,
                    f"the row has {len(row)} fields but the header has {len(header)}; a value containing "
                    "the separator must be in double quotes",
                )])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _field_too_long(name, header_at + rows.line_num) from None
        raise ImportFailed([ImportProblem(name, header_at + rows.line_num, None,
                                          f"the row is not valid CSV ({exc})")]) from None


def _xlsx_table(name: str, data: bytes, required, optional) -> Table:
    """The first sheet, streamed: the header is looked for in the first rows, then every later row
    goes straight into its columns (texts seen before are shared, not copied)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt or encrypted file
        raise ImportFailed([ImportProblem(name, None, None, f"the file is not a readable XLSX workbook ({exc})")]) from exc
    try:
        return _stream_sheet(name, workbook, required, optional)
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged sheet found while streaming
        raise ImportFailed([ImportProblem(name, None, None, f"the file is not a readable XLSX workbook ({exc})")]) from exc
    finally:
        workbook.close()


def _stream_sheet(name, workbook, required, optional) -> Table:
    if not workbook.worksheets:
        raise ImportFailed([ImportProblem(name, None, None, "the workbook has no sheets")])
    sheet = workbook.worksheets[0]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # exporters often record a wrong size; read what is there
    rows = sheet.iter_rows(values_only=True)
    head: list[list[str]] = []
    header_at = None
    for row in rows:
        head.append([_cell_text(cell) for cell in row])
        header_at = _header_index(head, required, optional)
        if header_at is not None or len(head) >= HEADER_SEARCH_ROWS:
            break
    if header_at is None:
        _find_header(name, head, required, optional)  # raises with the reason
    header = [column_name(cell) for cell in head[header_at]]
    _check_duplicates(name, header_at + 1, header)
    width = len(header)
    kept = [(i, column) for i, column in enumerate(header) if column]
    columns: dict[str, list[str]] = {column: [] for _, column in kept}
    numbers: list[int] = []
    shared: dict[str, str] = {}

    def add(number: int, cells) -> None:
        texts = [_cell_text(cell) for cell in cells[:width]]
        if not any(text.strip() for text in texts):
            return
        texts += [""] * (width - len(texts))
        for i, column in kept:
            text = texts[i]
            columns[column].append(shared.setdefault(text, text))
        numbers.append(number)

    for offset, row in enumerate(head[header_at + 1:], start=header_at + 2):
        add(offset, row)
    for number, row in enumerate(rows, start=len(head) + 1):
        add(number, row)
    return Table(name, "xlsx", header_at + 1, columns, numbers)


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
