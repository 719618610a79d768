"""The buttons under an answer: 👍 / 👎 (stored) and "Need more help" (tags the channel's
contacts once per answer). The click is acknowledged at once; the database work and the
reply to the clicker (ephemeral, through the action's `response_url`) happen lazily.
"""
from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.messages import (
    ANSWER_GONE,
    FEEDBACK_THANKS,
    NO_ESCALATION_CONTACTS,
    already_escalated,
    escalation,
    escalation_sent,
)
from bot.slack.render import ACTION_ESCALATE, ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP
from bot.slack.store import SlackStore

log = logging.getLogger(__name__)
FEEDBACK_ACTIONS = re.compile(f"^({ACTION_FEEDBACK_UP}|{ACTION_FEEDBACK_DOWN})$")


def acknowledge(ack) -> None:
    ack()


def register(app: App, store: SlackStore) -> None:
    def record_feedback(body: dict, action: dict, respond) -> None:
        try:
            rating = "up" if action["action_id"] == ACTION_FEEDBACK_UP else "down"
            answer = store.record_feedback(action["value"], body["user"]["id"], rating)
            _tell(respond, FEEDBACK_THANKS[rating] if answer else ANSWER_GONE)
        except Exception:
            log.exception("failed to record feedback %s", action.get("value"))

    def escalate(body: dict, action: dict, respond, client: WebClient) -> None:
        try:
            _escalate(store, client, respond, action["value"], body["user"]["id"])
        except Exception:
            log.exception("failed to escalate answer %s", action.get("value"))

    app.action(FEEDBACK_ACTIONS)(ack=acknowledge, lazy=[record_feedback])
    app.action(ACTION_ESCALATE)(ack=acknowledge, lazy=[escalate])


def _escalate(store: SlackStore, client: WebClient, respond, answer_id: str, user_id: str) -> None:
    answer = store.get_answer(answer_id)
    if answer is None:
        return _tell(respond, ANSWER_GONE)
    contacts = store.channel_config(answer.channel_id).escalation_contacts
    if not contacts:
        return _tell(respond, NO_ESCALATION_CONTACTS)
    if not store.claim_escalation(answer_id, user_id):
        return _tell(respond, already_escalated(store.get_answer(answer_id).escalated_by))
    # A private answer has no public message to thread under; the thread root (the
    # mention) is public, and the text then does not repeat the question.
    thread_ts = answer.thread_ts or (None if answer.private else answer.message_ts)
    try:
        client.chat_postMessage(
            channel=answer.channel_id,
            thread_ts=thread_ts,
            text=escalation(user_id, contacts, answer.private),
        )
    except SlackApiError as error:
        log.warning("could not post escalation for %s: %s", answer_id, error.response.get("error"))
        store.release_escalation(answer_id)
        return _tell(respond, "I couldn't post in this channel. Please ask " + " ".join(contacts) + " directly.")
    _tell(respond, escalation_sent())


def _tell(respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)
