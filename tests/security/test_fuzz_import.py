"""Property tests of the KPI import (`kpi_tools.importer`): whatever file arrives (any text in
any cell, missing or doubled columns, broken quoting, odd encodings, random bytes, XLSX with
strange cells), the import either writes every row or raises `ImportFailed` naming the file
and leaves the database exactly as it was. A successful import is idempotent.

Runs on SQLite always and on PostgreSQL (fewer examples) when it is reachable: PostgreSQL is
stricter (NUL characters, column widths), so it finds what SQLite forgives.
"""
from __future__ import annotations

import csv
import io
import shutil
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kpi_tools.database import make_engine
from kpi_tools.import_results import ImportFailed, ImportSummary
from kpi_tools.importer import OBSERVATION_COLUMNS, import_definitions, import_observations
from kpi_tools.measure_index import load_measure_index
from kpi_tools.models import Measure, Observation
from tests.kpi.conftest import seed
from tests.security.conftest import FUZZED, fuzz, in_schema

PERIODS = ["2021-22", "2021/22", "2023", "Q1 2023-24", "Mar 2021", "Dec 2020 to Feb 2021", "2019-20"]
ODD_PERIODS = ["2023-13", "FY2020", "٢٠٢١", "Q5 2023", "2023 to", "0000", "9999/10000", "2021-23"]
ODD_VALUES = ["n/a", "", "1e308", "nan", "inf", "-0", "95 %", "£1bn", "1" * 101, "1,23", "0x1F", "١٢", "12%%",
              "more than", "=1+1", "\u200b12", "12\t", "-", "—"]
ODD_TEXT = ["", " ", "\u200b", "Cambridgeshire\x0b", "x" * 201, "=HYPERLINK(\"http://evil\")", "a\nb", '"', "'",
            "\\N", "NULL", "😀" * 50]
QUALIFIED = ["more than 95%", "over 62%", "around 6,800", "less than 1.5"]


def snapshot(engine) -> list[tuple]:
    with Session(engine) as session:
        observations = session.execute(select(Observation.__table__).order_by(Observation.id)).all()
        measures = session.execute(select(Measure.__table__).order_by(Measure.id)).all()
    return [tuple(row) for row in observations + measures]


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("import-fuzz") / "seeded.db"
    seed(make_engine(f"sqlite:///{path}")).dispose()
    return path


@pytest.fixture
def sqlite_engine(seeded_file, tmp_path):
    shutil.copy(seeded_file, tmp_path / "kpi.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'kpi.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_schema):
    engine = seed(in_schema(*postgres_schema))
    yield engine
    engine.dispose()


def measures_of(engine) -> list[tuple[str, str | None]]:
    """(code, unit) of measures a code names unambiguously."""
    with engine.connect() as conn:
        index = load_measure_index(conn)
        rows = conn.execute(select(Measure.code, Measure.unit).where(Measure.code.is_not(None))).all()
    return sorted({(code, unit) for code, unit in rows if len(index.match(code)) == 1})


def valid_row(draw, measures) -> dict:
    code, unit = draw(st.sampled_from(measures))
    number = draw(st.sampled_from(["12", "1,234", "0.5", "95", "131,610"]))
    value = number + "%" if unit == "%" and draw(st.booleans()) else number
    return {"measure": code, "period": draw(st.sampled_from(PERIODS)), "value": value, "unit": "",
            "area": draw(st.sampled_from(["Cambridgeshire", "Fenland", "East Cambridgeshire"])),
            "target": draw(st.sampled_from(["", "n/a", "500", "12.5"])),
            "source": draw(st.sampled_from(["ASC return", "DfE", "https://example.org/stats"])),
            "note": draw(st.sampled_from(["", f"printed as 'more than {value}'", "provisional"]))}


def odd_cell(column: str):
    pool = {"period": ODD_PERIODS, "value": ODD_VALUES + QUALIFIED}.get(column, ODD_TEXT)
    return st.sampled_from(pool) | st.text(max_size=40)


@st.composite
def observation_files(draw, measures):
    columns = list(OBSERVATION_COLUMNS) + ["note"]
    header = draw(st.sampled_from(["exact"] * 4 + ["shuffled", "upper", "missing", "doubled", "extra", "none"]))
    if header == "shuffled":
        columns = draw(st.permutations(columns))
    elif header == "missing":
        columns.remove(draw(st.sampled_from(columns)))
    elif header == "doubled":
        columns.append(draw(st.sampled_from(columns)))
    elif header == "extra":
        columns.append(draw(st.text(min_size=1, max_size=12)))
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        row = valid_row(draw, measures)
        odd = draw(st.sampled_from([0, 0, 0, 1, 2]))  # most rows are good, so imports also succeed
        for column in draw(st.lists(st.sampled_from(list(row)), min_size=odd, max_size=odd, unique=True)):
            row[column] = draw(odd_cell(column))
        rows.append([row.get(column, draw(st.text(max_size=10))) for column in columns])
    if header == "none":
        lines = rows
    else:
        lines = [[c.upper() if header == "upper" else c for c in columns]] + rows
    if draw(st.sampled_from([True, True, False])):  # properly quoted, as a spreadsheet writes it
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=draw(st.sampled_from([",", ",", ";", "\t"]))).writerows(lines)
        text = buffer.getvalue()
    else:  # naive joining: stray quotes and commas break the columns
        text = "\n".join(",".join(line) for line in lines)
    if draw(st.sampled_from([False, False, False, True])):
        text = draw(st.text(max_size=60)) + "\n" + text  # a title or notes above the header
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


def import_and_check(engine, path, importer=import_observations) -> str:
    before = snapshot(engine)
    try:
        summary = importer(engine, path)
    except ImportFailed as failed:
        assert snapshot(engine) == before, "a failed import changed the database"
        assert failed.problems and {problem.file for problem in failed.problems} == {path.name}
        text = failed.describe()
        assert text.startswith(f"{len(failed.problems)} problem") and "nothing was imported" in text
        assert "Traceback" not in text
        return "rejected"
    assert isinstance(summary, ImportSummary)
    again = importer(engine, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, summary.rows), "re-import changed rows"
    return "imported"


def fuzz_csv(engine, tmp_path, data, name: str) -> None:
    measures = measures_of(engine)
    path = tmp_path / data.draw(st.sampled_from(["perf.csv", "perf.txt", "perf.CSV"]))
    path.write_bytes(data.draw(observation_files(measures)))
    FUZZED[name] += 1
    FUZZED[f"{name}: {import_and_check(engine, path)}"] += 1


@fuzz(150)
@given(data=st.data())
def test_csv_files_on_sqlite(sqlite_engine, tmp_path, data):
    fuzz_csv(sqlite_engine, tmp_path, data, "imports")


@pytest.mark.postgres
@fuzz(50)
@given(data=st.data())
def test_csv_files_on_postgresql(postgres_engine, tmp_path, data):
    fuzz_csv(postgres_engine, tmp_path, data, "imports (PostgreSQL)")


@fuzz(40)
@given(content=st.binary(max_size=3000), name=st.sampled_from(["perf.csv", "perf.xlsx", "perf"]))
def test_random_bytes(sqlite_engine, tmp_path, content, name):
    FUZZED["imports"] += 1
    path = tmp_path / name
    path.write_bytes(content)
    import_and_check(sqlite_engine, path)


@fuzz(25)
@given(data=st.data())
def test_xlsx_workbooks(sqlite_engine, tmp_path, data):
    from openpyxl import Workbook

    measures = measures_of(sqlite_engine)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(OBSERVATION_COLUMNS))
    for _ in range(data.draw(st.integers(0, 4))):
        row = valid_row(data.draw, measures)
        column = data.draw(st.sampled_from(list(OBSERVATION_COLUMNS)))
        row[column] = data.draw(st.sampled_from([12, 0.5, -1e300, True, None, "=1/0", "٢٠٢١", "x" * 300])
                                | st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"]), max_size=30))
        sheet.append([row[c] for c in OBSERVATION_COLUMNS])
    path = tmp_path / "perf.xlsx"
    workbook.save(path)
    FUZZED["imports"] += 1
    import_and_check(sqlite_engine, path)


@fuzz(40)
@given(data=st.data())
def test_measure_definition_files(sqlite_engine, tmp_path, data):
    columns = ["code", "name", "unit", "definition", "related_kpi", "related_outcome", "publisher"]
    rows = [columns] + [[data.draw(st.sampled_from(["", "NEW-1", "Ambition 1", "%", "SO2", "DfE"]) | st.text(max_size=30))
                         for _ in columns] for _ in range(data.draw(st.integers(0, 4)))]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "definitions.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    FUZZED["imports"] += 1
    import_and_check(sqlite_engine, path, importer=import_definitions)


def test_the_generated_files_include_good_ones_that_import(sqlite_engine, tmp_path):
    """The property above would pass vacuously if nothing ever imported; this pins the good path."""
    (code, unit), *_ = measures_of(sqlite_engine)
    path = tmp_path / "good.csv"
    path.write_text("measure,period,value,unit,area,target,source\n"
                    f"{code},2021-22,12,,Fenland,,DfE\n{code},2022-23,13,,Fenland,n/a,DfE\n", encoding="utf-8")
    assert import_and_check(sqlite_engine, path) == "imported"
    path.write_text("measure,period,value,unit,area,target,source\n"
                    f"{code},2023-13,12,,Fenland,,DfE\n", encoding="utf-8")
    assert import_and_check(sqlite_engine, path) == "rejected"


def test_a_large_file_of_junk_is_refused_quickly(sqlite_engine, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"measure,period,value,unit,area,target,source\n" + b"x,y,z,1,2,3,4\n" * 50_000)
    started = time.perf_counter()
    assert import_and_check(sqlite_engine, path) == "rejected"
    assert time.perf_counter() - started < 20


def test_a_row_far_wider_than_the_header_is_refused_at_once(sqlite_engine, tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"measure,period,value,unit,area,target,source\n" + b"x," * 10_000)
    started = time.perf_counter()
    with pytest.raises(ImportFailed, match="fields but the header has 7"):
        import_observations(sqlite_engine, path)
    assert time.perf_counter() - started < 0.5
