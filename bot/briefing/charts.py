"""Trend charts as PNG: one measure's imported values over time, its target line and a caption
naming the source.

Drawn on a `matplotlib.figure.Figure` with the Agg canvas directly: no pyplot, no global
backend switch, nothing kept between calls, so charts are safe to draw in the Slack bot's
worker threads. Output is deterministic: fixed size and resolution, and no "Software" or date
entry in the PNG metadata, so the same series always gives the same bytes.

`draw_chart` returns the figure before saving, for tests: its value line has gid "values",
the target line gid "target" and the caption gid "caption".
"""
from __future__ import annotations

import textwrap
from io import BytesIO
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.briefing.model import ChartSeries

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 4.8, 100
CAPTION_WIDTH = 125  # characters per caption line at CAPTION_SIZE
CAPTION_LINES = 6
CAPTION_SIZE = 7


def caption(series: ChartSeries) -> str:
    """The area, whether a target was imported, "Source: ..." (every source of the plotted
    values) and the measure's note; cut with "…" after CAPTION_LINES lines."""
    has_target = any(point.target is not None for point in series.points)
    parts = [f"Values for {series.area}{'' if has_target else '; no target imported'}.",
             f"Source: {'; '.join(series.sources)}."]
    if series.note:
        parts.append(series.note)
    lines = textwrap.wrap(" ".join(parts), CAPTION_WIDTH, break_on_hyphens=False)
    if len(lines) > CAPTION_LINES:
        lines = lines[:CAPTION_LINES]
        lines[-1] = lines[-1][: CAPTION_WIDTH - 1].rstrip() + "…"
    return "\n".join(lines)


def draw_chart(series: ChartSeries) -> Figure:
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    text = caption(series)
    caption_lines = text.count("\n") + 1
    figure.subplots_adjust(left=0.1, right=0.97, top=0.86, bottom=0.2 + 0.032 * caption_lines)
    axes = figure.add_subplot()
    xs = list(range(len(series.points)))
    values = [point.value for point in series.points]
    axes.plot(xs, values, marker="o", color="#1d4f6f", label=series.area, gid="values")
    for x, point in zip(xs, series.points):
        axes.annotate(point.value_text, (x, point.value), textcoords="offset points", xytext=(0, 7),
                      ha="center", fontsize=8)
    targets = [(x, point.target) for x, point in zip(xs, series.points) if point.target is not None]
    if targets:
        axes.plot([x for x, _ in targets], [t for _, t in targets], linestyle="--", color="#b5412a",
                  label="Target", gid="target")
    axes.set_xticks(xs, [point.period for point in series.points], fontsize=8,
                    rotation=20 if len(series.points) > 4 else 0, ha="right" if len(series.points) > 4 else "center")
    axes.set_ylabel(series.unit or "", fontsize=9)
    axes.margins(x=0.08, y=0.2)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8, loc="best")
    figure.suptitle("\n".join(textwrap.wrap(series.measure, 80)), fontsize=11)
    figure.text(0.01, 0.01, text, fontsize=CAPTION_SIZE, va="bottom", ha="left", gid="caption")
    return figure


def chart_png(series: ChartSeries) -> bytes:
    buffer = BytesIO()
    draw_chart(series).savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def chart_filename(series: ChartSeries) -> str:
    return f"{series.slug}.png"


def write_charts(charts, directory: Path) -> list[Path]:
    """Write each chart as `<slug>.png` in `directory` (created if missing); the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for series in charts:
        path = directory / chart_filename(series)
        path.write_bytes(chart_png(series))
        written.append(path)
    return written
