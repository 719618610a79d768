"""Build the Bolt app: settings, engine, Slack client and database in; a wired `App` out.

Nothing is created at import time. Tests hand in `WebClient(base_url=<fake Slack>)` and a
SQLite engine; production passes `Services.db()` and lets `make_client` read `SLACK_API_URL`.

Bolt runs with `process_before_response=True`: the ack functions run on the request's own
thread and return at once, and every slow step (database claims, the engine, Web API calls)
runs in lazy functions on the `WorkerPool`. (With Bolt's default, ack functions would queue
on the same pool as the answers, and a burst of slow questions would delay acknowledgements.)

`engine` may be an `EngineSlot` that is still empty: the app then answers every question
with "I'm starting up, ask again in a minute" until the slot is filled (see `readiness`).
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy import Engine

from bot.answer import AnswerEngine
from bot.audit.recording import audit_log_if_installed
from bot.settings import Settings
from bot.slack.answering import Answerer
from bot.slack.executor import WorkerPool
from bot.slack.listeners import actions, assistant, commands, events, home
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import EngineSlot
from bot.slack.store import SLACK_TABLES, SlackStore
from kpi_tools.database import make_engine

log = logging.getLogger(__name__)
DEFAULT_WORKERS = 8


class _NoTokenSkippedWarning(logging.Filter):
    """Bolt warns "`token` will be unused" whenever SLACK_BOT_TOKEN is set and a client is
    given, which is how this app is always built: the warning says nothing, so drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def _quiet_token_warning() -> None:
    bolt_logger = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _NoTokenSkippedWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_NoTokenSkippedWarning())


class SlackConfigError(ValueError):
    """A setting the Slack adapter needs is missing; the message names the variable."""


def make_client(settings: Settings) -> WebClient:
    """A Web API client for the bot token, at `SLACK_API_URL` if set, that retries
    connection errors and waits out Slack's 429 rate limits (twice at most)."""
    if not settings.slack_bot_token:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set (the xoxb- token from OAuth & Permissions).")
    kwargs = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    return WebClient(
        token=settings.slack_bot_token,
        retry_handlers=[ConnectionErrorRetryHandler(), RateLimitErrorRetryHandler(max_retry_count=2)],
        **kwargs,
    )


def build_app(
    settings: Settings,
    engine: AnswerEngine | EngineSlot,
    client: WebClient | None = None,
    db: Engine | None = None,
    *,
    executor: WorkerPool | None = None,
    limiter: RateLimiter | None = None,
    briefings=None,
) -> App:
    """A Bolt app with every listener registered. Calls `auth.test` once (token check and
    the bot's own user id, used to ignore its own messages).

    `db=None` keeps state in a SQLite file in a new temporary folder: fine for a quick try,
    but nothing is shared with other processes, so duplicates are caught only within this one.
    """
    client = client or make_client(settings)
    if not client.token:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set (the xoxb- token from OAuth & Permissions).")
    if db is None:
        path = Path(tempfile.mkdtemp(prefix="council-slack-")) / "slack-state.db"
        log.warning("no database given: Slack state is kept in %s for this process only", path)
        db = make_engine(f"sqlite:///{path}")
        SLACK_TABLES[0].metadata.create_all(db, tables=list(SLACK_TABLES))
    store = SlackStore(db)
    _quiet_token_warning()
    app = App(
        name="council-assistant",
        client=client,  # Bolt takes the token from the client
        signing_secret=settings.slack_signing_secret or "",
        process_before_response=True,
        listener_executor=executor or WorkerPool(DEFAULT_WORKERS),
    )
    answerer = Answerer(engine, store, limiter or RateLimiter(settings.rate_limit_per_minute),
                        audit=audit_log_if_installed(db, retention_days=settings.audit_retention_days),
                        briefings=briefings)
    assistant.register(app, answerer, store, settings)
    events.register(app, answerer, store, settings)
    commands.register(app, answerer, store, settings, briefings=briefings)
    actions.register(app, store, answerer)
    home.register(app)
    return app
