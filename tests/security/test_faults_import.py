"""Faults while importing KPI data: the disk fills up half-way through the writes.

Two ways to fill the disk: the writer raises `OSError(ENOSPC)` after writing part of the file
(as a full filesystem does), and SQLite's own "database or disk is full" (a page limit set on
the connection, so SQLite itself refuses to grow the file). Either way the import leaves the
database exactly as it was, the user sees a sentence with no traceback, and the same import
succeeds once there is space again.
"""
from __future__ import annotations

import errno
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.cli import cli
from bot.settings import Settings
from kpi_tools import importer
from kpi_tools.database import make_engine
from tests.kpi.conftest import seed
from tests.security.conftest import FakeServices
from tests.security.test_fuzz_import import measures_of, snapshot

ROWS = 3000


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("disk-full") / "seeded.db"
    seed(make_engine(f"sqlite:///{path}")).dispose()
    return path


@pytest.fixture
def database(seeded_file, tmp_path):
    shutil.copy(seeded_file, tmp_path / "kpi.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'kpi.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def big_file(database, tmp_path):
    """ROWS new observations of one measure: enough for the writer to need several batches."""
    (code, _unit), *_ = measures_of(database)
    lines = ["measure,period,value,unit,area,target,source"]
    lines += [f"{code},{2000 + n // 12}-{(n % 12) + 1:02d},{n},,Area {n},,Disk test" for n in range(ROWS)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kpi_import(database, path):
    return CliRunner().invoke(cli, ["kpi", "import", str(path)], obj=FakeServices(Settings(), database))


def fill_disk_in_the_writer(monkeypatch):
    """The writer writes its first batch, then the filesystem is full."""
    real_write = importer._write

    def write_then_fail(connection, new, changed):
        real_write(connection, new[: len(new) // 2], [])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(importer, "_write", write_then_fail)
    return lambda: monkeypatch.setattr(importer, "_write", real_write)


def fill_disk_in_sqlite(monkeypatch, database):
    """SQLite may not grow the file beyond its current size plus a few pages."""

    def limit(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages + 5}")
        cursor.close()

    database.dispose()
    event.listen(database, "connect", limit)

    def free_space():
        event.remove(database, "connect", limit)
        database.dispose()

    return free_space


@pytest.mark.parametrize("fill", ["writer", "sqlite"])
def test_a_full_disk_leaves_the_database_unchanged_and_the_import_succeeds_later(monkeypatch, database, big_file,
                                                                                   fill):
    before = snapshot(database)
    free_space = fill_disk_in_the_writer(monkeypatch) if fill == "writer" else fill_disk_in_sqlite(monkeypatch,
                                                                                                  database)
    expected = OSError if fill == "writer" else OperationalError
    with pytest.raises(expected, match="No space left on device" if fill == "writer" else "database or disk is full"):
        importer.import_observations(database, big_file)  # the simulation is the real failure
    assert snapshot(database) == before

    result = kpi_import(database, big_file)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
    assert snapshot(database) == before

    free_space()
    result = kpi_import(database, big_file)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Imported {ROWS} observation rows from big.csv: {ROWS} new, 0 updated")
    assert len(snapshot(database)) == len(before) + ROWS


@pytest.mark.parametrize("fill", ["writer", "sqlite"])
def test_a_full_disk_is_named_in_the_message(monkeypatch, database, big_file, fill):
    if fill == "writer":
        fill_disk_in_the_writer(monkeypatch)
    else:
        fill_disk_in_sqlite(monkeypatch, database)
    result = kpi_import(database, big_file)
    assert "disk is full" in result.output and "nothing was imported" in result.output.lower()
