"""`council-assistant kpi ...`: import performance data and look things up from a terminal.

Mounted by `bot/cli.py` (`cli.add_command(kpi_group)`); the database comes from
`ctx.obj.db()`, a migrated and seeded SQLAlchemy engine. A user's mistake (a bad file, an
unknown measure) is one clear message and exit status 1, never a traceback (every command goes
through `bot.cli_errors.reports_failures`, the CLI's one error path).
"""
from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

import click

from bot.cli_errors import reports_failures
from kpi_tools import summaries
from kpi_tools.import_results import ImportFailed
from kpi_tools.importer import import_definitions, import_observations, one_import_of
from kpi_tools.measure_definitions import DEFINITION_COLUMNS
from kpi_tools.tabular import read_table
from kpi_tools.tools import KpiTools

log = logging.getLogger(__name__)


@click.group("kpi", help="The KPI database: import performance data, look up measures, commitments and figures.")
def kpi_group() -> None:
    pass


def _database(ctx: click.Context):
    """The engine from the application's services (`ctx.obj.db()`: migrated and seeded)."""
    if not callable(getattr(ctx.obj, "db", None)):
        raise click.ClickException(
            "The kpi commands were started without the application's services (ctx.obj.db()); "
            "run them as `council-assistant kpi ...`.")
    return ctx.obj.db()


@kpi_group.command("import", help="Import a CSV or XLSX file of values (measure, period, value, unit, area, "
                                  "target, source[, note]) or, with --definitions, of measure definitions.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option("--definitions", is_flag=True,
              help="The file defines measures: code, name, unit, definition, related_kpi, related_outcome, publisher.")
@click.pass_context
@reports_failures
def import_command(ctx: click.Context, file: Path, dry_run: bool, definitions: bool) -> None:
    engine = _database(ctx)
    importer = import_definitions if definitions else import_observations
    try:
        with one_import_of(engine, file):
            summary = importer(engine, file, dry_run=dry_run)
    except ImportFailed as failed:
        message = failed.describe()
        if not definitions and _looks_like_definitions(file):
            message += "\nThis looks like a file of measure definitions: add --definitions."
        raise click.ClickException(message) from None
    click.echo(summary.describe())


@kpi_group.command("measures", help="List measures whose name or code contains TEXT (all measures without TEXT).")
@click.argument("text", required=False)
@click.option("--framework", help="Document id or year, e.g. 2023.")
@click.option("--outcome", help="Outcome or ambition title or code, e.g. 'Ambition 2'.")
@click.option("--committee", help="Lead committee, e.g. Adults.")
@click.option("--directorate", help="Directorate, e.g. CFA.")
@click.option("--deprivation/--no-deprivation", default=None, help="Only (or no) deprivation indicators.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.pass_context
@reports_failures
def measures_command(ctx, text, framework, outcome, committee, directorate, deprivation, limit, as_json) -> None:
    found = KpiTools(_database(ctx)).find_measures(
        text, framework=framework, outcome=outcome, committee=committee, directorate=directorate,
        deprivation=deprivation, limit=limit)
    _echo(found, summaries.measures_text, as_json)


@kpi_group.command("commitments", help="What the council has committed to on TOPIC: the current framework's "
                                       "commitments first, then earlier frameworks' under what replaced them.")
@click.argument("topic")
@click.option("--framework", help="Document id or year, e.g. 2010: that framework's matches, as a plain list.")
@click.option("--outcome", help="Outcome or ambition title or code: its matches, as a plain list.")
@click.option("--tracked", is_flag=True, help="Add the measures that track each commitment.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.pass_context
@reports_failures
def commitments_command(ctx, topic, framework, outcome, tracked, limit, as_json) -> None:
    tools = KpiTools(_database(ctx))
    found = tools.find_commitments(topic, framework=framework, outcome=outcome, limit=limit)
    if as_json or framework or outcome:
        _echo(found, summaries.commitments_text, as_json)
        return
    from bot.briefing.commitments import commitments_text  # the look-up the Slack bot gives
    from bot.briefing.errors import UnknownTopic
    from bot.briefing.service import Briefings

    try:
        click.echo(commitments_text(Briefings(tools).commitments(topic, tracked=tracked)))
    except UnknownTopic as unknown:
        raise click.ClickException(str(unknown)) from None


@kpi_group.command("figures", help="Headline figures printed in the documents about TEXT.")
@click.argument("text", required=False)
@click.option("--area", help="Area, e.g. Fenland.")
@click.option("--period", help="Period as printed, e.g. 2021/22.")
@click.option("--framework", help="Document id or year.")
@click.option("--all-editions", is_flag=True, help="Also show figures of superseded drafts.")
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.pass_context
@reports_failures
def figures_command(ctx, text, area, period, framework, all_editions, as_json) -> None:
    found = KpiTools(_database(ctx)).get_figures(
        text, area=area, period=period, framework=framework, include_superseded=all_editions)
    _echo(found, summaries.figures_text, as_json)


@kpi_group.command("value", help="The latest value and the trend of MEASURE (an id, code or name).")
@click.argument("measure")
@click.option("--area", help="Area, e.g. Cambridgeshire.")
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
@click.pass_context
@reports_failures
def value_command(ctx, measure, area, as_json) -> None:
    trend = KpiTools(_database(ctx)).trend(measure, area=area)
    _echo(trend, summaries.trend_text, as_json)


def _echo(result, render, as_json: bool) -> None:
    if as_json:
        data = [asdict(item) for item in result] if isinstance(result, tuple) else asdict(result)
        click.echo(json.dumps(data, ensure_ascii=False, default=str, indent=2))
    else:
        click.echo(render(result))


def _looks_like_definitions(file: Path) -> bool:
    try:
        read_table(file, ("code", "name"), DEFINITION_COLUMNS)
    except ImportFailed:
        return False
    return True
