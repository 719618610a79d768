"""Slack's AI-app surface (the assistant side panel and the app's Messages tab), through
bolt-python's `Assistant` middleware.

* `assistant_thread_started`: suggested prompts for council staff, councillors and the
  contact centre (`assistant.threads.setSuggestedPrompts`).
* A person's message in an assistant thread: every one is answered, except one addressed to
  someone else. The first question titles the thread (`assistant.threads.setTitle`); while
  the answer is worked out the thread shows "is looking that up…"
  (`assistant.threads.setStatus`); the answer is then posted in the thread, which clears it.
* `assistant_thread_context_changed` (the channel the user is looking at) is acknowledged
  and not stored: answers do not depend on it, and Bolt's default store would call
  `conversations.replies` and `chat.update` on every change.

The middleware takes every message with a `thread_ts` in a DM; top-level DM messages and
everything else go on to `listeners/events`.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from slack_bolt import App, Assistant
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.slack.access import is_from_bot
from bot.slack.answering import Answerer, Question
from bot.slack.delivery import AssistantReply
from bot.slack.listeners.events import _claim, answered_without_engine, logged_failures
from bot.slack.messages import ASSISTANT_STATUS, SUGGESTED_PROMPTS, SUGGESTED_PROMPTS_TITLE, TITLE_LIMIT
from bot.slack.parsing import addressed_to_someone_else, parse_request
from bot.slack.store import SlackStore

log = logging.getLogger(__name__)


def acknowledge(ack) -> None:
    ack()


def thread_title(question: str, limit: int = TITLE_LIMIT) -> str:
    """The first question as the thread's title, cut at a word and ending in "…" if long."""
    question = " ".join(question.split())
    if len(question) <= limit:
        return question
    return question[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def build_assistant(answerer: Answerer, store: SlackStore, settings: Settings) -> Assistant:
    assistant = Assistant()

    def suggest_prompts(body: dict, set_suggested_prompts) -> None:
        with logged_failures(body):
            if _claim(store, body):
                set_suggested_prompts(prompts=list(SUGGESTED_PROMPTS), title=SUGGESTED_PROMPTS_TITLE)

    def answer_in_thread(body: dict, event: dict, context, client: WebClient, set_title, set_status) -> None:
        with logged_failures(body):
            text = event.get("text", "")
            if is_from_bot(event, context.bot_user_id) or addressed_to_someone_else(text, context.bot_user_id):
                return
            if not _claim(store, body):
                return
            _answer_in_thread(event, body, context, client, set_title, set_status, answerer, store, settings)

    assistant.thread_started(lazy=[suggest_prompts])(acknowledge)
    assistant.user_message(lazy=[answer_in_thread])(acknowledge)
    assistant.thread_context_changed(acknowledge)
    return assistant


def register(app: App, answerer: Answerer, store: SlackStore, settings: Settings) -> None:
    app.use(build_assistant(answerer, store, settings))


def _answer_in_thread(event, body, context, client, set_title, set_status, answerer: Answerer,
                      store: SlackStore, settings: Settings) -> None:
    team_id = body.get("team_id") or event.get("team")
    channel, thread_ts, user = event["channel"], event["thread_ts"], event.get("user", "")
    request = parse_request(event.get("text", ""), context.bot_user_id)
    reply = AssistantReply(client, channel, thread_ts, ASSISTANT_STATUS, set_status=set_status, user=user,
                           team=team_id)
    if answered_without_engine(reply, settings, team_id, channel, event, request):
        return
    if _is_first_question(store, channel, thread_ts, user):
        try:
            set_title(thread_title(request.text))
        except SlackApiError as error:
            log.info("assistant.threads.setTitle refused (%s)", error.response.get("error"))
    question = Question(team_id, channel, user, replace(request, private=False), thread_ts)
    answerer.handle(question, reply)


def _is_first_question(store: SlackStore, channel: str, thread_ts: str, user: str) -> bool:
    try:
        return not store.history(channel, thread_ts, user, limit=1)
    except SQLAlchemyError:
        return False  # the database is away: leave the title as it is
