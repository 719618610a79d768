"""Mentions in channels and direct messages (assistant threads are in `listeners/assistant`).

Etiquette: in a channel the bot speaks only when spoken to.

* `app_mention` in a channel: answered in the thread of the mention; a mention inside a
  thread the bot answered in is a follow-up and gets the thread's earlier turns.
* `message` in a channel (top level or thread) without a mention: never answered, so
  "Thanks, that's helpful!" or "<@U7> can you add this…" under an answer stays between people.
* `message` in a DM: every message is answered, except one addressed to someone else (it
  opens with another person's mention and never mentions the bot).
* A message with a file attached gets "I can't read attachments yet: ask in words", and its
  words, if any, are answered as usual.

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
from bot.slack.messages import ATTACHMENT_IGNORED, HELP_TEXT, NOT_ENABLED, admin_usage, help_blocks
from bot.slack.parsing import addressed_to_someone_else, parse_request
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
            if _is_question_for_us(event, context.bot_user_id) and _claim(store, body):
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


def _is_question_for_us(event: dict, bot_user_id: str | None) -> bool:
    """A `message` event is ours only in a DM, from a person, and not meant for someone else.
    (In channels the `app_mention` event carries every message that names the bot.)"""
    return (
        is_dm(event.get("channel"))
        and event.get("subtype") in ANSWERED_SUBTYPES
        and not is_from_bot(event, bot_user_id)
        and not addressed_to_someone_else(event.get("text", ""), bot_user_id)
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
    if answered_without_engine(reply, settings, team_id, channel, event, request):
        return
    question = Question(team_id, channel, user, replace(request, private=private), thread_root)
    answerer.handle(question, reply, escalation=bool(config.escalation_contacts) and not dm)


def answered_without_engine(reply, settings: Settings, team_id, channel: str, event: dict, request) -> bool:
    """The replies that need no engine: a workspace or channel not enabled, an attachment, help, or an
    admin command typed in a message. True when `reply` has been given the whole answer."""
    if not is_allowed(settings, team_id, channel):
        reply.notice(NOT_ENABLED)
        return True
    if event.get("files"):
        reply.notice(ATTACHMENT_IGNORED)
        if request.kind == "help" and not request.text:
            return True  # a file and no words: the notice is the whole reply
    if request.kind == "help":
        reply.send(HELP_TEXT, help_blocks())
        return True
    if request.kind == "admin":
        reply.notice("Channel settings are changed with the slash command.\n" + admin_usage())
        return True
    return False
