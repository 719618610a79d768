"""`council-assistant brief TOPIC`: a committee briefing (its one-screen headline block, with
`--full` all of it), or with `--lineage` a timeline.

Mounted by `bot/cli.py` (`cli.add_command(brief_command)`); receives `ctx.obj`, a
`bot.wiring.Services` (built here from the environment when run on its own). A topic that
matches nothing is a `ClickException` listing the ambitions; an unexpected failure is logged
with a reference id and the user sees only that id.
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

import click

log = logging.getLogger(__name__)


@click.command("brief")
@click.argument("topic", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the answer contract plus the briefing.")
@click.option("--chart-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write a PNG trend chart for each measure with two or more imported values into this folder.")
@click.option("--lineage", is_flag=True,
              help="Show how the topic changed across the 2010, 2016, 2021 and 2023 frameworks instead.")
@click.option("--since", type=click.IntRange(1990, 2100),
              help="With --lineage: start from the framework in force in this year.")
@click.option("--full", is_flag=True,
              help="The whole briefing: every commitment, measure and figure, not only the one-screen headline.")
@click.pass_context
def brief_command(ctx: click.Context, topic: tuple[str, ...], as_json: bool, chart_dir: Path | None,
                  lineage: bool, since: int | None, full: bool) -> None:
    """Brief on an ambition, outcome or topic: "Ambition 3", "SO2", "older people", "flooding"."""
    from bot.briefing.errors import UnknownTopic

    text = " ".join(topic)
    if since is not None and not lineage:
        raise click.UsageError("--since goes with --lineage.")
    if chart_dir is not None and lineage:
        raise click.UsageError("--chart-dir goes with a briefing, not with --lineage.")
    if full and lineage:
        raise click.UsageError("--full goes with a briefing, not with --lineage.")
    try:
        briefings = _briefings(ctx)
        if lineage:
            _print_timeline(briefings.timeline(text, since), text, as_json)
        else:
            _print_briefing(briefings.brief(text), chart_dir, as_json, full)
    except UnknownTopic as unknown:
        raise click.ClickException(str(unknown)) from None
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except Exception as error:  # the CLI's one error path: one line (the database down, a bug's reference)
        from bot.cli_errors import failure_message

        raise click.ClickException(failure_message(error, what="brief failed")) from None


def _briefings(ctx: click.Context):
    from bot.briefing.service import Briefings
    from kpi_tools.tools import KpiTools

    if ctx.obj is None:
        from bot.settings import Settings
        from bot.wiring import Services

        ctx.obj = Services(Settings.from_env())
    return Briefings(KpiTools(ctx.obj.db()))


def _print_briefing(briefing, chart_dir: Path | None, as_json: bool, full: bool = False) -> None:
    from bot.briefing.answers import briefing_answer
    from bot.briefing.render_text import render_briefing_text

    written: list[str] = []
    if chart_dir is not None:
        from bot.briefing.charts import write_charts

        written = [str(path) for path in write_charts(briefing.charts, chart_dir)]
        if not written:
            click.echo("No measure in this briefing has two or more imported values, so no chart was drawn.",
                       err=True)
    if as_json:
        document = briefing_answer(briefing, full=full).to_dict()
        document.update(briefing=asdict(briefing), chart_files=written)
        click.echo(json.dumps(document, ensure_ascii=False))
    else:
        click.echo(render_briefing_text(briefing, written, full=full))


def _print_timeline(timeline, question: str, as_json: bool) -> None:
    from bot.briefing.answers import timeline_answer
    from bot.briefing.render_text import render_timeline_text

    if as_json:
        document = timeline_answer(question, timeline).to_dict()
        document.update(timeline=asdict(timeline))
        click.echo(json.dumps(document, ensure_ascii=False))
    else:
        click.echo(render_timeline_text(timeline))
