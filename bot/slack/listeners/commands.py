"""The `/council` slash command.

`/council help` and `/council admin ...` are answered in the acknowledgement itself (fast:
no engine call). A question or `kpi` lookup is acknowledged with an ephemeral "Looking that
up…" and answered by a lazy function through the command's `response_url`: in the channel
for everyone, or only to the asker with `/council private ...` or in a private-answers channel.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from slack_bolt import App

from bot.settings import Settings
from bot.slack.access import is_allowed, is_dm
from bot.slack.admin import run_admin
from bot.slack.answering import Answerer, Question
from bot.slack.delivery import ResponseUrlReply
from bot.slack.messages import HELP_TEXT, LOOKING_UP, NOT_ENABLED, help_blocks
from bot.slack.parsing import parse_request
from bot.slack.store import ChannelConfig, SlackStore

log = logging.getLogger(__name__)
COMMAND = "/council"


def register(app: App, answerer: Answerer, store: SlackStore, settings: Settings) -> None:
    def acknowledge_command(ack, command: dict) -> None:
        request = parse_request(command.get("text", ""), slash_command=True)
        if not is_allowed(settings, command.get("team_id"), command.get("channel_id")):
            ack(text=NOT_ENABLED, response_type="ephemeral")
        elif request.kind == "help":
            ack(text=HELP_TEXT, blocks=help_blocks(), response_type="ephemeral")
        elif request.kind == "admin":
            ack(text=run_admin(
                request.text,
                store=store,
                settings=settings,
                user_id=command.get("user_id", ""),
                team_id=command.get("team_id"),
                channel_id=command.get("channel_id", ""),
            ), response_type="ephemeral")
        else:
            ack(text=LOOKING_UP, response_type="ephemeral")

    def answer_command(command: dict) -> None:
        try:
            request = parse_request(command.get("text", ""), slash_command=True)
            team_id, channel = command.get("team_id"), command.get("channel_id", "")
            if request.kind not in ("question", "kpi") or not is_allowed(settings, team_id, channel):
                return  # already answered by the acknowledgement
            dm = is_dm(channel)
            config = ChannelConfig() if dm else store.channel_config(channel)
            private = (request.private or config.private_answers) and not dm
            question = Question(
                team_id, channel, command.get("user_id", ""), replace(request, private=private),
                thread_ts=None, history=False,
            )
            reply = ResponseUrlReply(command["response_url"], private)
            answerer.handle(question, reply, escalation=bool(config.escalation_contacts) and not dm)
        except Exception:
            log.exception("failed to handle %s %r", COMMAND, command.get("text"))

    app.command(COMMAND)(ack=acknowledge_command, lazy=[answer_command])
