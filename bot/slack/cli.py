"""`council-assistant slack`: run the Slack bot in Socket Mode or as an HTTP server.

Mounted by `bot/cli.py` (`cli.add_command(slack_command)`); receives `ctx.obj`, a
`bot.wiring.Services`. A missing or rejected token is a `ClickException` naming the
environment variable, never a traceback.
"""
from __future__ import annotations

import logging
import signal

import click
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, text

from bot.settings import Settings
from bot.slack.app import DEFAULT_WORKERS, SlackConfigError, build_app
from bot.slack.executor import WorkerPool
from bot.slack.http_server import EVENTS_PATH, SlackHttpServer
from bot.slack.store import SlackStore

log = logging.getLogger(__name__)
DRAIN_SECONDS = 30


def check_settings(settings: Settings, http: bool) -> None:
    """Raise a ClickException naming the first missing variable for the chosen mode."""
    if not settings.slack_bot_token:
        raise click.ClickException(
            "SLACK_BOT_TOKEN is not set. Copy the Bot User OAuth Token (xoxb-...) from your "
            "Slack app's OAuth & Permissions page; see docs/slack.md."
        )
    if http and not settings.slack_signing_secret:
        raise click.ClickException(
            "SLACK_SIGNING_SECRET is not set; HTTP mode needs it to verify requests. Copy it "
            "from your Slack app's Basic Information page, or set SLACK_APP_TOKEN for Socket Mode."
        )
    if not http and not settings.slack_app_token:
        raise click.ClickException(
            "SLACK_APP_TOKEN is not set; Socket Mode needs an app-level token (xapp-...) with "
            "the connections:write scope, or run with --http."
        )


@click.command("slack")
@click.option(
    "--http/--socket",
    "http_mode",
    default=None,
    help="Serve POST /slack/events over HTTP, or connect with Socket Mode. "
    "Default: Socket Mode when SLACK_APP_TOKEN is set, else HTTP.",
)
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP mode: address to listen on.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535),
              help="HTTP mode: port to listen on (0 picks a free one).")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 64),
              help="Questions answered at the same time.")
@click.pass_context
def slack_command(ctx: click.Context, http_mode: bool | None, host: str, port: int, workers: int) -> None:
    """Run the Slack bot: answers mentions, DMs, thread follow-ups and /council."""
    if ctx.obj is None:  # the group builds Services lazily; so do we
        from bot.wiring import Services

        ctx.obj = Services(Settings.from_env())
    services = ctx.obj
    settings: Settings = services.settings
    http = http_mode if http_mode is not None else not settings.slack_app_token
    check_settings(settings, http)
    if not logging.getLogger().handlers:
        from bot.observability import configure_logging

        configure_logging("WARNING", settings.log_format)
    # A long-running bot should log each answer and failure (LOG_LEVEL, default INFO) even
    # when the CLI group configured the root logger for quiet one-shot commands.
    for name in ("bot", "kpi_tools", "retrieval"):
        logging.getLogger(name).setLevel(settings.log_level)

    db = services.db()
    try:
        engine = services.answer_engine()
    except Exception as error:
        log.debug("answer engine failed to start", exc_info=True)
        raise click.ClickException(f"Could not start the answer engine: {error}") from None
    pool = WorkerPool(workers)
    try:
        app = build_app(settings, engine, db=db, executor=pool, briefings=services.briefings())
    except SlackConfigError as error:
        raise click.ClickException(str(error)) from None
    except (BoltError, SlackApiError) as error:
        raise click.ClickException(f"Slack rejected SLACK_BOT_TOKEN: {error}") from None
    except OSError as error:
        raise click.ClickException(f"Could not reach Slack's Web API to check SLACK_BOT_TOKEN: {error}") from None
    SlackStore(db).prune_events()

    previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if http:
            run_http(app, host, port, health_check(db, pool))
        else:
            run_socket_mode(app, settings.slack_app_token)
    finally:
        log.info("stopping: finishing %d answer(s) in progress", pool.in_flight)
        pool.wait_idle(DRAIN_SECONDS)
        pool.shutdown(wait=False, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous_handler)


def health_check(db: Engine, pool: WorkerPool):
    def check() -> dict:
        with db.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok", "in_flight": pool.in_flight}

    return check


def run_http(app: App, host: str, port: int, health) -> None:
    server = SlackHttpServer(app, host=host, port=port, health=health)
    click.echo(f"Listening on http://{host}:{server.port}{EVENTS_PATH} (health: /healthz)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def run_socket_mode(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, app_token)
    click.echo("Connecting to Slack with Socket Mode")
    try:
        handler.start()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


def _exit_on_sigterm(_signum, _frame) -> None:
    raise KeyboardInterrupt
