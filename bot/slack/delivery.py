"""Where an answer goes: a thread (placeholder, then `chat.update`), an assistant thread
(`assistant.threads.setStatus`, then the answer), an ephemeral message, or a slash command's
`response_url`. Each target offers the same three calls so the code that
answers a question does not care which one it has.

* `started()`   shows that work has begun, where that can be undone later (the placeholder,
                or the assistant thread's status, which Slack clears when the answer is posted).
* `send(...)`   delivers the answer (or an apology); returns nothing, raises on failure.
* `notice(...)` tells the asker something only they need to see (rate limit, not enabled).

`upload_files` posts files (a briefing's trend charts) to a channel beside whichever target.
"""
from __future__ import annotations

import logging
from typing import Callable, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot.slack.messages import LOOKING_UP

log = logging.getLogger(__name__)


class DeliveryError(RuntimeError):
    """Slack refused or did not take a message."""


class Reply(Protocol):
    message_ts: str | None

    def started(self) -> None: ...

    def send(self, text: str, blocks: list[dict] | None = None) -> None: ...

    def notice(self, text: str) -> None: ...


class ThreadReply:
    """A visible reply in a channel thread or a DM: "Looking that up…", later replaced."""

    def __init__(self, client: WebClient, channel: str, user: str, thread_ts: str | None, is_dm: bool):
        self.client = client
        self.channel = channel
        self.user = user
        self.thread_ts = thread_ts
        self.is_dm = is_dm
        self.message_ts: str | None = None

    def started(self) -> None:
        response = self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=LOOKING_UP
        )
        self.message_ts = response.get("ts")

    def send(self, text: str, blocks: list[dict] | None = None) -> None:
        if self.message_ts:
            try:
                self.client.chat_update(channel=self.channel, ts=self.message_ts, text=text, blocks=blocks)
                return
            except SlackApiError as error:
                # e.g. the placeholder was deleted: post the answer as a new message instead.
                log.warning("chat.update failed (%s); posting a new message", error.response.get("error"))
        response = self.client.chat_postMessage(
            channel=self.channel, thread_ts=self.thread_ts, text=text, blocks=blocks
        )
        self.message_ts = self.message_ts or response.get("ts")

    def notice(self, text: str) -> None:
        if self.is_dm:
            self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text)
        else:
            self.client.chat_postEphemeral(
                channel=self.channel, user=self.user, thread_ts=self.thread_ts, text=text
            )


class AssistantReply:
    """A reply in one of Slack's AI-app (assistant) threads: while the answer is worked out
    the thread shows the status ("is looking that up…"); the answer is then posted as one
    message, which clears the status.

    `stream_answer` delivers it through Slack's chat streaming instead (`WebClient.chat_stream`:
    `chat.startStream`, `appendStream`, `stopStream`), piece by piece; the answerer uses it
    for LLM answers when `can_stream` (the installed slack_sdk has the methods)."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str, status: str,
                 set_status: Callable[[str], object] | None = None, *, user: str | None = None,
                 team: str | None = None):
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.status = status
        self.user = user
        self.team = team
        self._set_status = set_status or (lambda text: client.assistant_threads_setStatus(
            channel_id=channel, thread_ts=thread_ts, status=text))
        self.message_ts: str | None = None

    def started(self) -> None:
        try:
            self._set_status(self.status)
        except SlackApiError as error:  # e.g. a thread in a plain DM, not an assistant thread
            log.info("assistant.threads.setStatus refused (%s); answering without a status",
                     error.response.get("error"))

    def send(self, text: str, blocks: list[dict] | None = None) -> None:
        response = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text,
                                                blocks=blocks)
        self.message_ts = self.message_ts or response.get("ts")

    def notice(self, text: str) -> None:
        self.send(text)

    @property
    def can_stream(self) -> bool:
        return callable(getattr(self.client, "chat_stream", None))

    def stream_answer(self, parts: list[str], closing_blocks: list[dict]) -> None:
        """Stream `parts` (Markdown) one after another, then close with `closing_blocks`."""
        streamer = self.client.chat_stream(channel=self.channel, thread_ts=self.thread_ts, buffer_size=1,
                                           recipient_team_id=self.team, recipient_user_id=self.user)
        for part in parts:
            streamer.append(markdown_text=part + "\n\n")
        response = streamer.stop(blocks=closing_blocks or None)
        self.message_ts = self.message_ts or response.get("ts")


class EphemeralReply:
    """An answer only the asker sees (in a channel, optionally inside a thread).

    Ephemeral messages cannot be edited through the Web API, so there is no placeholder.
    """

    def __init__(self, client: WebClient, channel: str, user: str, thread_ts: str | None):
        self.client = client
        self.channel = channel
        self.user = user
        self.thread_ts = thread_ts
        self.message_ts: str | None = None

    def started(self) -> None:
        return None

    def send(self, text: str, blocks: list[dict] | None = None) -> None:
        self.client.chat_postEphemeral(
            channel=self.channel, user=self.user, thread_ts=self.thread_ts, text=text, blocks=blocks
        )

    def notice(self, text: str) -> None:
        self.send(text)


class ResponseUrlReply:
    """The answer to a slash command, posted to its `response_url` (valid for 30 minutes).

    The acknowledgement already said "Looking that up…" to the asker, so `started` is a no-op.
    """

    def __init__(self, response_url: str, private: bool):
        self.response_url = response_url
        self.response_type = "ephemeral" if private else "in_channel"
        self.message_ts: str | None = None

    def started(self) -> None:
        return None

    def send(self, text: str, blocks: list[dict] | None = None) -> None:
        self._post({"text": text, "blocks": blocks, "response_type": self.response_type})

    def notice(self, text: str) -> None:
        self._post({"text": text, "response_type": "ephemeral"})

    def _post(self, message: dict) -> None:
        message = {key: value for key, value in message.items() if value is not None}
        response = WebhookClient(self.response_url).send_dict(message)
        if response.status_code != 200:
            raise DeliveryError(f"response_url answered {response.status_code}: {response.body[:200]}")


def upload_files(client: WebClient, channel: str, files: list[tuple[str, str, bytes]], comment: str) -> None:
    """Post files (name, title, content) to `channel` in one message with `comment`, through
    `files.getUploadURLExternal` → upload → `files.completeUploadExternal` (`files_upload_v2`).

    Raises `DeliveryError` when Slack refuses (e.g. `not_in_channel`: the bot was not invited)
    or the upload itself fails.
    """
    uploads = [{"filename": name, "title": title, "content": content} for name, title, content in files]
    try:
        client.files_upload_v2(channel=channel, file_uploads=uploads, initial_comment=comment)
    except SlackApiError as error:
        raise DeliveryError(f"files upload refused: {error.response.get('error')}") from error
    except (SlackClientError, OSError) as error:
        raise DeliveryError(f"files upload failed: {error}") from error
