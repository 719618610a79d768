"""Trend charts: the PNG exists, plots one point per imported value, and its caption names the source."""
from __future__ import annotations

import csv
import struct

from click.testing import CliRunner

from bot.briefing.charts import caption, chart_png, draw_chart
from bot.briefing.cli import brief_command
from bot.briefing.model import ChartPoint, ChartSeries
from bot.settings import DEFAULT_SEED_DATA_DIR
from kpi_tools import mapping

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COUNTY_SOURCE = ("https://www.cambridgeshire.gov.uk/residents/climate-change-energy-and-environment/"
                 "carbon-footprinting-how-big-is-the-problem")


class FakeServices:
    def __init__(self, db):
        self._db = db

    def db(self):
        return self._db


def seed_rows(code: str, area: str) -> list[dict]:
    with open(DEFAULT_SEED_DATA_DIR / "performance-public.csv", encoding="utf-8") as rows:
        return [row for row in csv.DictReader(rows) if row["measure"] == code and row["area"] == area]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def values_line(figure):
    (line,) = [line for line in figure.axes[0].get_lines() if line.get_gid() == "values"]
    return line


def test_the_cli_writes_a_chart_per_measure_with_values(seeded_db, tmp_path):
    result = CliRunner().invoke(brief_command, ["Ambition", "1", "--chart-dir", str(tmp_path / "charts")],
                                obj=FakeServices(seeded_db))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert written == ["carbon-ccc.png", "carbon-county.png"]
    for name in written:
        assert png_size((tmp_path / "charts" / name).read_bytes()) == (800, 480)
    assert result.output.splitlines()[-3:] == [
        "Charts", f"  {tmp_path / 'charts' / 'carbon-ccc.png'}", f"  {tmp_path / 'charts' / 'carbon-county.png'}"]


def test_a_chart_plots_each_imported_value_and_names_its_source(briefings):
    (county,) = [c for c in briefings.brief("Ambition 1").charts if c.code == "CARBON-COUNTY"]
    rows = seed_rows("CARBON-COUNTY", "Cambridgeshire")
    figure = draw_chart(county)
    line = values_line(figure)
    assert list(line.get_xdata()) == [0, 1, 2]
    assert list(line.get_ydata()) == [float(row["value"]) for row in rows] == [6.89, 6.78, 6.45]
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()] == [row["period"] for row in rows]
    assert [line.get_gid() for line in figure.axes[0].get_lines()] == ["values"]  # no target was imported
    (text,) = [t for t in figure.texts if t.get_gid() == "caption"]
    assert text.get_text() == caption(county)
    assert text.get_text().replace("\n", " ") == (
        f"Values for Cambridgeshire; no target imported. Source: {COUNTY_SOURCE}.")


def test_comparator_rows_are_not_plotted(briefings):
    (chart,) = briefings.brief(mapping.DISABILITIES).charts
    assert chart.code == "ASC-INFO-USERS"
    assert len(values_line(draw_chart(chart)).get_xdata()) == len(seed_rows("ASC-INFO-USERS", "Cambridgeshire")) == 7


SERIES = ChartSeries(
    measure="Share of roads in good condition", code="ROADS-GOOD", unit="%", area="Cambridgeshire",
    points=(ChartPoint("2019", 61.0, "61", 60.0), ChartPoint("2020", 63.5, "63.5", None),
            ChartPoint("2021", 66.0, "66", 65.0), ChartPoint("2022", 64.0, "more than 64", 70.0)),
    sources=("Highways condition survey",),
)


def test_the_target_line_has_a_point_for_each_target():
    figure = draw_chart(SERIES)
    lines = {line.get_gid(): line for line in figure.axes[0].get_lines()}
    assert list(lines["values"].get_ydata()) == [61.0, 63.5, 66.0, 64.0]
    assert (list(lines["target"].get_xdata()), list(lines["target"].get_ydata())) == ([0, 2, 3], [60.0, 65.0, 70.0])
    assert caption(SERIES) == "Values for Cambridgeshire. Source: Highways condition survey."
    assert [t.get_text() for t in figure.axes[0].texts] == ["61", "63.5", "66", "more than 64"]  # as published


def test_png_output_is_deterministic_and_carries_no_software_or_time_stamp():
    first, second = chart_png(SERIES), chart_png(SERIES)
    assert first == second
    assert png_size(first) == (800, 480)
    assert b"Software" not in first and b"tIME" not in first


def test_a_long_caption_is_cut_after_six_lines():
    many = ChartSeries("M", None, None, "Cambridgeshire", SERIES.points,
                       tuple(f"https://example.org/a-rather-long-source-address/{n}" for n in range(30)))
    lines = caption(many).splitlines()
    assert len(lines) == 6 and lines[-1].endswith("…") and lines[0].startswith("Values for Cambridgeshire.")
