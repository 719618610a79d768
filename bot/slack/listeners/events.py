"""Mentions in channels, direct messages and follow-ups in the bot's threads.

* `app_mention` in a channel: answered in the thread of the mention.
* `message` in a DM: answered in the DM (in its thread if the message is in one).
* `message` in a channel thread where the bot has answered before, without a mention:
  a follow-up, answered unless the channel is set to mention-only. Top-level channel
  messages without a mention are never answered.

Each event is claimed in the database by its `event_id` before anything is posted, so Slack's
retries and a second bot process never produce a second answer.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import replace
from typing import Iterator

from sqlalchemy.exc import SQLAlchemyError

from slack_bolt import App
from slack_sdk import WebClient

from bot.settings import Settings
from bot.slack.access import is_allowed, is_dm, is_from_bot
from bot.slack.answering import Answerer, Question
from bot.slack.delivery import EphemeralReply, ThreadReply
from bot.slack.messages import HELP_TEXT, NOT_ENABLED, admin_usage, help_blocks
from bot.slack.parsing import mentions_user, parse_request
from bot.slack.store import ChannelConfig, SlackStore

log = logging.getLogger(__name__)
ANSWERED_SUBTYPES = (None, "thread_broadcast", "file_share")


def acknowledge(ack) -> None:
    ack()


def register(app: App, answerer: Answerer, store: SlackStore, settings: Settings) -> None:
    def answer_mention(body: dict, event: dict, context, client: WebClient) -> None:
        with logged_failures(body):
            if is_dm(event.get("channel")) or is_from_bot(event, context.bot_user_id):
                return  # DMs arrive as `message` events too and are answered there
            if _claim(store, body):
                _answer(event, body, context, client, answerer, store, settings)

    def answer_message(body: dict, event: dict, context, client: WebClient) -> None:
        with logged_failures(body):
            if _is_question_for_us(event, context.bot_user_id, store) and _claim(store, body):
                _answer(event, body, context, client, answerer, store, settings)

    app.event("app_mention")(ack=acknowledge, lazy=[answer_mention])
    app.event("message")(ack=acknowledge, lazy=[answer_message])


@contextmanager
def logged_failures(body: dict) -> Iterator[None]:
    """Log a failure with its traceback (Bolt would log one line and drop it)."""
    try:
        yield
    except Exception:
        log.exception("failed to handle event %s", body.get("event_id"))


def _is_question_for_us(event: dict, bot_user_id: str | None, store: SlackStore) -> bool:
    if event.get("subtype") not in ANSWERED_SUBTYPES or is_from_bot(event, bot_user_id):
        return False
    if is_dm(event.get("channel")):
        return True
    thread_ts = event.get("thread_ts")
    return not (
        not thread_ts
        or thread_ts == event.get("ts")
        or mentions_user(event.get("text", ""), bot_user_id)  # the app_mention event has it
        or _channel_config(store, event["channel"]).mention_only
        or not store.history(event["channel"], thread_ts, event.get("user", ""), limit=1)
    )


def _channel_config(store: SlackStore, channel: str) -> ChannelConfig:
    """The channel's settings, or the defaults while the database is unreachable."""
    try:
        return store.channel_config(channel)
    except SQLAlchemyError:
        log.warning("database unavailable: using default settings for channel %s", channel)
        return ChannelConfig()


def _claim(store: SlackStore, body: dict) -> bool:
    """Claim the event in the database so a retry or another process does not answer it twice.
    With the database down, answer anyway: a rare duplicate beats leaving the asker unanswered."""
    event_id = body.get("event_id")
    if not event_id:
        return True
    try:
        claimed = store.claim_event(event_id, body.get("team_id"))
    except SQLAlchemyError as exc:
        log.warning("database unavailable, answering event %s without a dedupe claim: %s", event_id,
                    exc.__class__.__name__)
        return True
    if claimed:
        return True
    log.info("skipping event %s: already handled (a retry or another process)", event_id)
    return False


def _answer(event, body, context, client, answerer: Answerer, store: SlackStore, settings: Settings) -> None:
    team_id = body.get("team_id") or event.get("team")
    channel, user = event["channel"], event.get("user", "")
    dm = is_dm(channel)
    thread_root = event.get("thread_ts") or (None if dm else event.get("ts"))
    request = parse_request(event.get("text", ""), context.bot_user_id)
    config = ChannelConfig() if dm else _channel_config(store, channel)
    private = (request.private or config.private_answers) and not dm
    reply = (
        EphemeralReply(client, channel, user, thread_root)
        if private
        else ThreadReply(client, channel, user, thread_root, is_dm=dm)
    )
    if not is_allowed(settings, team_id, channel):
        reply.notice(NOT_ENABLED)
    elif request.kind == "help":
        reply.send(HELP_TEXT, help_blocks())
    elif request.kind == "admin":
        reply.notice("Channel settings are changed with the slash command.\n" + admin_usage())
    else:
        question = Question(team_id, channel, user, replace(request, private=private), thread_root)
        answerer.handle(question, reply, escalation=bool(config.escalation_contacts) and not dm)
