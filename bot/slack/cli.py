"""`council-assistant slack`: run the Slack bot in Socket Mode or as an HTTP server.

Mounted by `bot/cli.py`; receives `ctx.obj`, a `bot.wiring.Services`.

Start-up is quick on purpose: the database is opened (and migrated) and the bot token is
checked, then the bot listens at once while the answer engine (and, on an empty data
directory, the index) is built on a background thread (`bot.slack.readiness`). Meanwhile
`/healthz` answers 503 "starting" and a question gets "I'm starting up, ask again in a minute".

Every start-up failure is one line and a non-zero exit, never a traceback: a missing or
rejected token, the database down, the port in use, Socket Mode unable to connect, the
answer engine unable to start.
"""
from __future__ import annotations

import errno
import logging
import re
import signal
import threading
import time
from contextlib import contextmanager

import click
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.slack.app import DEFAULT_WORKERS, SlackConfigError, build_app
from bot.slack.executor import WorkerPool
from bot.slack.http_server import EVENTS_PATH, SlackHttpServer
from bot.slack.readiness import FAILED, READY, EngineSlot
from bot.slack.store import SlackStore

log = logging.getLogger(__name__)
DRAIN_SECONDS = 30
SOCKET_CONNECT_TIMEOUT_S = 10.0


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
@click.option("--host", default="127.0.0.1", show_default=True,
              help="HTTP mode: address to listen on (0.0.0.0 to listen on every interface, as in a container).")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535),
              help="HTTP mode: port to listen on (0 picks a free one).")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=click.IntRange(1, 64),
              help="Questions answered at the same time.")
@click.pass_context
def slack_command(ctx: click.Context, http_mode: bool | None, host: str, port: int, workers: int) -> None:
    """Run the Slack bot: answers mentions, DMs, assistant threads and /council."""
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

    db = open_database(services)
    slot = EngineSlot()
    pool = WorkerPool(workers)
    try:
        with _quiet("slack_sdk.web.base_client"):  # its own ERROR lines would repeat the one below
            app = build_app(settings, slot, db=db, executor=pool, briefings=services.briefings())
    except SlackConfigError as error:
        raise click.ClickException(str(error)) from None
    except (BoltError, SlackApiError) as error:
        raise click.ClickException(
            f"Slack rejected SLACK_BOT_TOKEN ({_slack_error_code(error)}); copy the Bot User OAuth Token "
            "(xoxb-...) from your Slack app's OAuth & Permissions page."
        ) from None
    except OSError as error:
        raise click.ClickException(f"Could not reach Slack's Web API to check SLACK_BOT_TOKEN: {error}") from None
    try:
        SlackStore(db).prune_events()
    except SQLAlchemyError as error:
        log.warning("could not prune old Slack event claims: %s", _one_line(error))

    server = bind_http(app, host, port, health_check(db, pool, slot), settings.slack_signing_secret) if http else None
    previous_handler = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        if server is not None:
            run_http(server, slot, services.answer_engine)
        else:
            run_socket_mode(app, settings.slack_app_token, slot, services.answer_engine)
    finally:
        log.info("stopping: finishing %d answer(s) in progress", pool.in_flight)
        pool.wait_idle(DRAIN_SECONDS)
        pool.shutdown(wait=False, cancel_futures=True)
        signal.signal(signal.SIGTERM, previous_handler)


def open_database(services) -> Engine:
    """`services.db()`, or one line saying why the database cannot be used."""
    try:
        return services.db()
    except Exception as error:
        log.debug("the database could not be opened", exc_info=True)
        message = str(error) if type(error).__name__ == "DatabaseUnavailable" else _database_error(services, error)
        raise click.ClickException(_one_line_text(message)) from None


def _database_error(services, error: Exception) -> str:
    try:
        from bot.database_health import describe_database_error

        return describe_database_error(services.settings.effective_database_url, error)
    except Exception:
        return f"The database is not available ({_one_line(error)}); check DATABASE_URL."


def bind_http(app: App, host: str, port: int, health, signing_secret: str | None = None) -> SlackHttpServer:
    """The HTTP server, bound (it serves once `run_http` runs); one line if it cannot bind."""
    try:
        return SlackHttpServer(app, host=host, port=port, health=health, signing_secret=signing_secret)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"Port {port} on {host} is already in use; stop the other process or choose another with --port."
            ) from None
        raise click.ClickException(f"Could not listen on {host}:{port}: {error.strerror or error}") from None


def health_check(db: Engine, pool: WorkerPool, slot: EngineSlot):
    """What `/healthz` reports: "starting" until the engine is ready, "unavailable" with a reason
    when it failed to start or the database (its schema included) cannot be used, else "ok"."""

    def check() -> dict:
        if slot.state != READY:
            if slot.state == FAILED:
                return {"status": "unavailable", "reason": f"the answer engine could not start: {slot.reason}"}
            return {"status": "starting", "reason": "the answer engine is being built", "in_flight": pool.in_flight}
        healthy, reason = database_health(db)
        if not healthy:
            return {"status": "unavailable", "reason": reason, "in_flight": pool.in_flight}
        return {"status": "ok", "in_flight": pool.in_flight}

    return check


def database_health(db: Engine) -> tuple[bool, str]:
    """(True, "ok"), or (False, one sentence): the database answers and its schema is complete."""
    try:
        from bot.database_health import schema_health
    except ImportError:  # an older tree: reachability only
        try:
            with db.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            return False, f"the database is not available ({_one_line(error)})"
        return True, "ok"
    return schema_health(db)


def run_http(server: SlackHttpServer, slot: EngineSlot, build_engine) -> None:
    """Serve until Ctrl-C or SIGTERM; the engine is built meanwhile. A failed build stops the
    server and becomes a one-line error."""
    slot.start_in_background(build_engine, on_settled=lambda s: s.state == FAILED and _stop_soon(server))
    host = server.url
    click.echo(f"Listening on {host}{EVENTS_PATH} (health: /healthz); building the answer engine in the background")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if slot.state == FAILED:
        raise click.ClickException(f"Could not start the answer engine: {slot.reason}")


def _stop_soon(server: SlackHttpServer) -> None:
    threading.Thread(target=server.shutdown, name="slack-http-stop", daemon=True).start()


def run_socket_mode(app: App, app_token: str, slot: EngineSlot, build_engine) -> None:
    """Connect with Socket Mode and stay connected until Ctrl-C or SIGTERM. A rejected app
    token or a connection that cannot be made is a one-line error, not a retry loop."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    # The Socket Mode client logs its own failures with tracebacks; while connecting, the one
    # line below says it all, so its logger stays quiet until the connection is up.
    socket_log = logging.getLogger("bot.slack.socket_mode")
    socket_log.setLevel(logging.CRITICAL)
    handler = SocketModeHandler(app, app_token, logger=socket_log)
    click.echo("Connecting to Slack with Socket Mode…")
    try:
        connect_socket_mode(handler)
        socket_log.setLevel(logging.WARNING)
        click.echo("Connected to Slack with Socket Mode; building the answer engine in the background")
        slot.start_in_background(build_engine)
        while slot.state != FAILED:
            time.sleep(0.5)
        raise click.ClickException(f"Could not start the answer engine: {slot.reason}")
    except KeyboardInterrupt:
        pass
    finally:
        try:
            handler.close()
        except Exception:
            log.debug("closing the Socket Mode connection failed", exc_info=True)


def connect_socket_mode(handler, timeout_s: float = SOCKET_CONNECT_TIMEOUT_S) -> None:
    try:
        handler.connect()
    except SlackApiError as error:
        code = error.response.get("error")
        raise click.ClickException(
            f"Slack rejected SLACK_APP_TOKEN ({code}); it must be an app-level token (xapp-...) with the "
            "connections:write scope, from your app's Basic Information page."
        ) from None
    except Exception as error:
        raise click.ClickException(f"Could not connect to Slack with Socket Mode: {_one_line(error)}") from None
    deadline = time.monotonic() + timeout_s
    while not handler.client.is_connected():
        if time.monotonic() > deadline:
            raise click.ClickException(
                f"Could not connect to Slack with Socket Mode: no WebSocket connection after {timeout_s:.0f} s "
                "(check the network or proxy between this machine and wss-primary.slack.com)."
            )
        time.sleep(0.1)


def _slack_error_code(error: BaseException) -> str:
    """Slack's error code ("invalid_auth") from a SlackApiError, or from the auth.test result
    Bolt quotes in its BoltError."""
    response = getattr(error, "response", None)
    if response is not None and response.get("error"):
        return str(response.get("error"))
    found = re.search(r"'error': '([a-z_]+)'", str(error))
    return found.group(1) if found else _one_line(error)


@contextmanager
def _quiet(logger_name: str):
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _one_line(error: BaseException) -> str:
    return _one_line_text(str(error)) or type(error).__name__


def _one_line_text(message: str) -> str:
    return (message.strip().splitlines() or [""])[0][:300]


def _exit_on_sigterm(_signum, _frame) -> None:
    raise KeyboardInterrupt
