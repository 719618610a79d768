"""`council-assistant`: ask, evaluate, ingest and index from the command line.

Every command's failures go through `bot.cli_errors.reports_failures`: a user's mistake or a
known state (the database down, a damaged index) is one clear sentence and a non-zero exit; an
unexpected failure is logged with a reference id and the user sees only that id; the same helper
makes text arguments storable (`bot.clean_text`: NUL and lone surrogates replaced). Heavy
imports (the model, Chroma, pandas) happen inside the commands that need them, so `--help`
and argument errors answer instantly.
"""
from __future__ import annotations

import getpass
import json
import logging
import sys
from pathlib import Path

import click

from bot.cli_errors import reports_failures
from bot.settings import Settings

log = logging.getLogger("council_assistant")


def _services(ctx: click.Context):
    from bot.wiring import Services

    if ctx.obj is None:
        ctx.obj = Services(Settings.from_env())
    return ctx.obj


class LazyGroup(click.Group):
    """Sub-commands owned by other layers are imported only when called, so `ask` does not pay
    for pandas (KPI import) or slack_bolt at start-up."""

    lazy_commands = {
        "kpi": "kpi_tools.cli:kpi_group",
        "slack": "bot.slack.cli:slack_command",
        "brief": "bot.briefing.cli:brief_command",
        "admin": "bot.admin_cli:admin_group",
    }

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx, name):
        if name in self.lazy_commands and name not in self.commands:
            module_name, attribute = self.lazy_commands[name].split(":")
            import importlib

            try:
                self.add_command(getattr(importlib.import_module(module_name), attribute), name)
            except ImportError as exc:
                log.warning("The %s command is unavailable: %s", name, exc)
                return None
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, help="Cited answers from Cambridgeshire County Council's strategy documents and KPIs.")
@click.option("--verbose", is_flag=True, help="Log progress to standard error.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    try:
        services = _services(ctx)  # cheap: every part inside is built on first use
    except ValueError as error:  # a setting that is not a number, e.g. AUDIT_RETENTION_DAYS=abc
        raise click.UsageError(f"A setting in the environment cannot be used: {error}") from None
    if not logging.getLogger().handlers:  # like basicConfig: a test runner's capture handlers stay
        from bot.observability import configure_logging

        try:
            configure_logging("INFO" if verbose else "WARNING", services.settings.log_format, stream=sys.stderr)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
    if verbose:  # our own modules at DEBUG, so failure tracebacks show; libraries stay at INFO
        for name in ("bot", "kpi_tools", "retrieval", "council_assistant"):
            logging.getLogger(name).setLevel(logging.DEBUG)
    from bot.redaction import install_log_redaction

    install_log_redaction(services.settings)  # no token, secret, e-mail or phone number in any log line


@cli.command(help="Answer one question, with citations.")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.pass_context
@reports_failures
def ask(ctx: click.Context, question: str, as_json: bool) -> None:
    from bot.guardrails import QuestionRejected, clean_question

    try:
        clean_question(question)
    except QuestionRejected as rejected:
        raise click.UsageError(str(rejected)) from None
    services = _services(ctx)
    answer = services.answer_engine().answer(question)
    from bot.audit.recording import record_cli_answer

    record_cli_answer(services.audit_log(), answer)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        from bot.plain_text import render_text

        click.echo(render_text(answer))


@cli.command("eval", help="Answer every question of an evaluation YAML file and score the answers.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print results and summary as JSON.")
@click.pass_context
@reports_failures
def evaluate(ctx: click.Context, file: Path, as_json: bool) -> None:
    from bot.evaluation import EvaluationError, load_questions, run_evaluation

    try:
        questions = load_questions(file)
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from None
    report = run_evaluation(_services(ctx).answer_engine(), questions)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for result in report.results:
        mark = "PASS" if result.passed else "FAIL"
        click.echo(f"{mark} {result.id} [{result.kind}] {result.question}")
        if not result.passed:
            click.echo(f"     {result.reason}")
    summary = report.summary()
    click.echo(f"{summary['passed']} of {summary['total']} passed ({summary['pass_rate']:.0%}); "
               f"p95 latency {summary['latency_p95_ms']:.0f} ms")


@cli.command(help="Build or refresh the search index (incremental unless --rebuild).")
@click.option("--rebuild", is_flag=True, help="Re-embed everything from scratch.")
@click.pass_context
@reports_failures
def index(ctx: click.Context, rebuild: bool) -> None:
    services = _services(ctx)
    report = services.build_index(rebuild=rebuild)
    for repaired in getattr(services, "repaired", None) or ():
        click.echo(f"Repaired: {repaired}.")
    click.echo(f"Indexed {report.documents} documents into {report.chunks} chunks in {report.seconds:.1f} s "
               f"({report.embedded} texts embedded, {report.reused} reused, {report.removed} chunks removed).")


@cli.command(help="Add a .txt or .md document to the corpus, marked as added (not an official document), "
                  "and index it.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="Title as printed on the document (required).")
@click.option("--period", help="Period the document covers, e.g. 2024-2029 (required).")
@click.option("--id", "doc_id", help="Document id (default: the file name without extension).")
@click.option("--added-by", help="Who is adding it (default: your login name); shown with its citations.")
@click.option("--supersedes", help="Id of an added document this one replaces.")
@click.pass_context
@reports_failures
def ingest(ctx, path: Path, title, period, doc_id, added_by, supersedes) -> None:
    from bot.ingest import IngestError, ingest_document, read_document

    services = _services(ctx)
    read_document(path)  # the file's own problems first: they need no options to explain
    missing = [option for option, value in (("--period", period), ("--title", title)) if not (value or "").strip()]
    if missing:
        raise IngestError(f"Say what the document is with {' and '.join(missing)}, e.g. --title \"Budget note "
                          "2025\" --period 2025-2026; an added document's years and title are never guessed.")
    info = ingest_document(services.settings, path, doc_id=doc_id, title=title, period=period,
                           supersedes=supersedes, added_by=added_by or _login(),
                           known_ids={d.id for d in services.documents()})
    report = services.build_index()
    click.echo(f"Added {info.id} ({info.title}, {info.period}) as an added document by {info.added_by}; "
               f"the index now holds {report.chunks} chunks.")


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        raise click.UsageError("Say who is adding the document with --added-by NAME.") from None


def main() -> None:
    cli(prog_name="council-assistant")


if __name__ == "__main__":  # pragma: no cover
    main()
