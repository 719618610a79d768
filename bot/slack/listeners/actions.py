"""The buttons under an answer: 👍 / 👎 (stored, and the message's buttons then show the
vote), "Need more help" (tags the channel's contacts once per answer) and "Share in channel"
(a private answer, posted for everyone by the person who asked). The click is acknowledged
at once; the database work and the replies (through the action's `response_url`) happen lazily.
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
    SHARE_FAILED,
    SHARE_NOT_YOURS,
    SHARED_BY,
    STARTING_UP,
    already_escalated,
    escalation,
    escalation_sent,
)
from bot.slack.render import (
    ACTION_ESCALATE,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_SHARE,
    fallback_text,
    render_blocks,
    with_vote,
)
from bot.slack.store import AnswerRecord, SlackStore, new_answer_id

log = logging.getLogger(__name__)
FEEDBACK_ACTIONS = re.compile(f"^({ACTION_FEEDBACK_UP}|{ACTION_FEEDBACK_DOWN})$")


def acknowledge(ack) -> None:
    ack()


def register(app: App, store: SlackStore, answerer=None) -> None:
    """`answerer` (a `bot.slack.answering.Answerer`) is needed only to share private answers."""

    def record_feedback(body: dict, action: dict, respond) -> None:
        try:
            rating = "up" if action["action_id"] == ACTION_FEEDBACK_UP else "down"
            answer = store.record_feedback(action["value"], body["user"]["id"], rating)
            if answer is None:
                return _tell(respond, ANSWER_GONE)
            message = body.get("message") or {}
            voted = with_vote(message.get("blocks") or [], rating)
            if voted is not None:  # ephemeral answers come without their blocks: nothing to redraw
                respond(text=message.get("text") or "", blocks=voted, replace_original=True)
            _tell(respond, FEEDBACK_THANKS[rating])
        except Exception:
            log.exception("failed to record feedback %s", action.get("value"))

    def share(body: dict, action: dict, respond, client: WebClient) -> None:
        try:
            _share(store, answerer, client, respond, action["value"], body["user"]["id"])
        except Exception:
            log.exception("failed to share answer %s", action.get("value"))

    def escalate(body: dict, action: dict, respond, client: WebClient) -> None:
        try:
            _escalate(store, client, respond, action["value"], body["user"]["id"])
        except Exception:
            log.exception("failed to escalate answer %s", action.get("value"))

    app.action(FEEDBACK_ACTIONS)(ack=acknowledge, lazy=[record_feedback])
    app.action(ACTION_ESCALATE)(ack=acknowledge, lazy=[escalate])
    app.action(ACTION_SHARE)(ack=acknowledge, lazy=[share])


def _share(store: SlackStore, answerer, client: WebClient, respond, answer_id: str, user_id: str) -> None:
    """Post a private answer for everyone: the stored (resolved) question is answered again,
    stored as a public answer of its own (so its buttons and the thread's history work), and
    the private copy is removed."""
    record = store.get_answer(answer_id)
    if record is None:
        return _tell(respond, ANSWER_GONE)
    if record.user_id != user_id:
        return _tell(respond, SHARE_NOT_YOURS)
    engine = answerer.engine if answerer is not None else None
    if engine is None:
        return _tell(respond, STARTING_UP)
    answer = engine.answer(record.question)
    shared_id = new_answer_id()
    store.save_answer(AnswerRecord(
        id=shared_id, team_id=record.team_id, channel_id=record.channel_id, thread_ts=record.thread_ts,
        message_ts=None, user_id=user_id, question=record.question, answer_text=answer.text,
        abstained=answer.abstained, private=False,
    ))
    text = fallback_text(answer)
    blocks = render_blocks(answer, answer_id=shared_id, preface=SHARED_BY.format(user=user_id))
    try:
        client.chat_postMessage(channel=record.channel_id, thread_ts=record.thread_ts, text=text, blocks=blocks)
    except SlackApiError as error:
        log.info("could not share answer %s with chat.postMessage (%s); trying the response_url",
                 answer_id, error.response.get("error"))
        try:
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
        except Exception:
            log.warning("could not share answer %s", answer_id, exc_info=True)
            return _tell(respond, SHARE_FAILED)
    respond(delete_original=True)


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
