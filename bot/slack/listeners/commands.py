"""The `/council` slash command.

`/council help` and `/council admin ...` are answered in the acknowledgement itself (fast:
no engine call). A question or `kpi` lookup is acknowledged with an ephemeral "Looking that
up…" and answered by a lazy function through the command's `response_url`: in the channel
for everyone, or only to the asker with `/council private ...` or in a private-answers channel.
`/council brief <topic>` is answered the same way from `briefings` (a `bot.briefing.Briefings`):
the headline block, with `--full` everything; its trend charts are uploaded to the channel when
the briefing is not private. `/council commitments <topic>` is the commitments look-up.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from slack_bolt import App

from bot.settings import Settings
from bot.slack.access import is_allowed, is_dm
from bot.slack.admin import run_admin
from bot.slack.answering import Answerer, Question
from bot.slack.briefing_render import (
    BRIEF_USAGE,
    BRIEFINGS_UNAVAILABLE,
    CHARTS_NOT_POSTED,
    briefing_fallback_text,
    render_briefing_blocks,
)
from bot.briefing.commitments import parse_brief_request, parse_commitments_request
from bot.slack.commitments_render import COMMITMENTS_USAGE, commitments_fallback_text, render_commitments_blocks
from bot.slack.delivery import DeliveryError, ResponseUrlReply, upload_files
from bot.slack.messages import HELP_TEXT, LOOKING_UP, NOT_ENABLED, apology, help_blocks, new_reference, rate_limited
from bot.slack.parsing import parse_request
from bot.slack.render import escape
from bot.slack.store import ChannelConfig, SlackStore

log = logging.getLogger(__name__)
COMMAND = "/council"


def register(app: App, answerer: Answerer, store: SlackStore, settings: Settings, briefings=None) -> None:
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
        elif request.kind == "brief" and not request.text:
            ack(text=BRIEF_USAGE, response_type="ephemeral")
        else:
            ack(text=LOOKING_UP, response_type="ephemeral")

    def answer_command(command: dict, client) -> None:
        try:
            request = parse_request(command.get("text", ""), slash_command=True)
            team_id, channel = command.get("team_id"), command.get("channel_id", "")
            if (request.kind not in ("question", "kpi", "brief") or (request.kind == "brief" and not request.text)
                    or not is_allowed(settings, team_id, channel)):
                return  # already answered by the acknowledgement
            dm = is_dm(channel)
            config = ChannelConfig() if dm else store.channel_config(channel)
            private = (request.private or config.private_answers) and not dm
            if request.kind == "brief":
                _answer_brief(briefings, answerer, client, command, request.text, private)
                return
            topic = parse_commitments_request(request.text) if request.kind == "question" else None
            if topic is not None and briefings is not None:  # `/council commitments <topic>`
                _answer_commitments(briefings, answerer, command, topic, private)
                return
            question = Question(
                team_id, channel, command.get("user_id", ""), replace(request, private=private),
                thread_ts=None, history=False,
            )
            reply = ResponseUrlReply(command["response_url"], private)
            answerer.handle(question, reply, escalation=bool(config.escalation_contacts) and not dm)
        except Exception:
            log.exception("failed to handle %s %r", COMMAND, command.get("text"))

    app.command(COMMAND)(ack=acknowledge_command, lazy=[answer_command])


def _answer_brief(briefings, answerer: Answerer, client, command: dict, topic: str, private: bool) -> None:
    """Rate limit → briefing → blocks through `response_url` → charts uploaded to the channel
    (not for a private answer: an upload would show them to everyone)."""
    from bot.briefing.errors import UnknownTopic

    reply = ResponseUrlReply(command["response_url"], private)
    if briefings is None:
        reply.send(BRIEFINGS_UNAVAILABLE)
        return
    if _over_rate_limit(answerer, command, reply):
        return
    topic, full = parse_brief_request(topic)
    try:
        briefing = briefings.brief(topic)
    except UnknownTopic as unknown:
        reply.send(escape(str(unknown)))
        return
    except Exception:
        _apologise(reply, "briefing", topic)
        return
    blocks = render_briefing_blocks(briefing.as_full() if full else briefing, charts_attached=not private)
    if briefing.detail and not full:  # the headline block; the rest is one command away
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(
            f"More detail: /council brief {briefing.topic} --full")}]})
    reply.send(briefing_fallback_text(briefing), blocks)
    if briefing.charts and not private:
        from bot.briefing.charts import chart_filename, chart_png

        files = [(chart_filename(c), c.measure, chart_png(c)) for c in briefing.charts]
        try:
            upload_files(client, command.get("channel_id", ""), files,
                         f"Trend charts for the briefing on {briefing.heading}")
        except DeliveryError:
            log.warning("could not upload the charts of a briefing to %s", command.get("channel_id"), exc_info=True)
            reply.notice(CHARTS_NOT_POSTED)


def _apologise(reply, what: str, topic: str) -> None:
    """A failure the user did not cause: logged with a reference they can quote, and an apology."""
    reference = new_reference()
    log.exception("%s failed (reference %s) on %r", what, reference, topic)
    reply.send(apology(reference))


def _over_rate_limit(answerer: Answerer, command: dict, reply) -> bool:
    """Tell the user to wait (and say how long) when they asked too often this minute."""
    wait = answerer.limiter.acquire(f"{command.get('team_id')}:{command.get('user_id', '')}")
    if wait:
        reply.notice(rate_limited(answerer.limiter.per_minute, wait))
    return bool(wait)


def _answer_commitments(briefings, answerer: Answerer, command: dict, topic: str, private: bool) -> None:
    """Rate limit → the commitments look-up → one message through `response_url`."""
    from bot.briefing.errors import UnknownTopic

    reply = ResponseUrlReply(command["response_url"], private)
    if _over_rate_limit(answerer, command, reply):
        return
    try:
        lookup = briefings.commitments(topic)
    except UnknownTopic:
        reply.send(COMMITMENTS_USAGE)
        return
    except Exception:
        _apologise(reply, "commitments look-up", topic)
        return
    reply.send(commitments_fallback_text(lookup), render_commitments_blocks(lookup))
