"""A fake Slack on loopback: the Web API the bot calls, and a client that signs requests as Slack does.

`FakeSlackApi` is a small `http.server` (after slackapi/bolt-python's
tests/mock_web_api_server) that records every call: `auth.test`, `chat.postMessage`,
`chat.update`, `chat.postEphemeral`, `views.publish`, `conversations.replies`, the assistant
methods (`assistant.threads.setStatus`, `setTitle`, `setSuggestedPrompts`), chat streaming
(`chat.startStream`, `chat.appendStream`, `chat.stopStream`), `apps.connections.open` (with
an xapp- token; it hands out `socket_url`), POSTs to `response_url`s it hands out, and file uploads (`files.getUploadURLExternal`, the bytes POSTed
to the upload URL it hands out, recorded as method "file_upload", and
`files.completeUploadExternal`). Tests wait on the record with a bounded poll (`wait_for`).

`SlackSender` posts Events API, slash-command and interactivity payloads to the bot with
`X-Slack-Signature` (v0, HMAC-SHA256) and `X-Slack-Request-Timestamp`, like Slack.

Used by the tests and by scripts/bench_slack.py.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0001"


@dataclass(frozen=True)
class Call:
    method: str  # a Web API method, or "response_url"
    params: dict
    path: str
    authorization: str | None
    response: dict | None = None  # what the fake answered (Web API calls)
    at: float = field(default_factory=time.perf_counter)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 resets connections under a burst


class FakeSlackApi:
    def __init__(self, host: str = "127.0.0.1"):
        self._calls: list[Call] = []
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self.errors: dict[str, str] = {}  # method -> Slack error code to answer with
        self.replies: list[dict] = []  # what conversations.replies returns
        self.socket_url = "ws://127.0.0.1:9/"  # what apps.connections.open hands out (nothing listens)
        self._server = _Server((host, 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> "FakeSlackApi":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL / WebClient(base_url=...) should be."""
        return f"{self.base}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/response/{name}"

    # -- the record -------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls()]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        where: Callable[[Call], bool] = lambda call: True,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Block until at least `count` calls of `method` match `where`; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self._calls if c.method == method and where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"waited {timeout}s for {count} {method} call(s), saw {len(found)}; "
                        f"all calls: {[c.method for c in self._calls]}"
                    )
                self._changed.wait(remaining)

    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _answer(self, method: str, params: dict) -> dict:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method == "auth.test":
            return {"ok": True, "url": "https://council.example/", "team": "Council", "user": "council",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            ts = self.next_ts()
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.update":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts"), "text": params.get("text")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0001", **(params.get("view") or {})}}
        if method in ("assistant.threads.setStatus", "assistant.threads.setTitle",
                      "assistant.threads.setSuggestedPrompts", "chat.appendStream"):
            return {"ok": True}
        if method == "chat.startStream":
            return {"ok": True, "channel": params.get("channel"), "ts": self.next_ts()}
        if method == "chat.stopStream":
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "conversations.replies":
            return {"ok": True, "messages": self.replies, "has_more": False}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = params.get("files") or []
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"


def _handler(api: FakeSlackApi):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if path.startswith("/upload/"):  # the file's bytes, as Slack's upload URL receives them
                api._record(Call("file_upload", {"file_id": path.removeprefix("/upload/"), "content": body}, path,
                                 self.headers.get("Authorization")))
                return self._send(200, b"OK - " + str(len(body)).encode(), "text/plain")
            raw = body.decode("utf-8")
            params = _parse(raw, self.headers.get("Content-Type", ""))
            authorization = self.headers.get("Authorization")
            if path.startswith("/response/"):
                api._record(Call("response_url", params, path, authorization))
                return self._send(200, b"ok", "text/plain")
            method = path.removeprefix("/api/")
            token_kind = "Bearer xapp-" if method == "apps.connections.open" else "Bearer xoxb-"
            if not (authorization or "").startswith(token_kind):
                document = {"ok": False, "error": "not_authed"}
            else:
                document = api._answer(method, params)
            api._record(Call(method, params, path, authorization, document))
            self._send(200, json.dumps(document).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            return None

    return Handler


def _parse(raw: str, content_type: str) -> dict:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    params = dict(parse_qsl(raw))
    for key in ("blocks", "view", "files"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


# -- the Slack side: signed requests to the bot ---------------------------------------


def signature(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    elapsed: float

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}


class SlackSender:
    """Posts to the bot's /slack/events as Slack does. `now` can be moved to send stale requests."""

    def __init__(self, bot_url: str, signing_secret: str, team_id: str = TEAM_ID):
        parts = urlsplit(bot_url)
        self.host, self.port = parts.hostname, parts.port
        self.secret = signing_secret
        self.team_id = team_id
        self._ids = itertools.count(1)

    def post(self, body: str, content_type: str, *, timestamp: int | None = None,
             secret: str | None = None, headers: dict | None = None, path: str = "/slack/events") -> Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret or self.secret, ts, body),
            **(headers or {}),
        }
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("POST", path, body=body.encode(), headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        return Response(response.status, text, time.perf_counter() - started)

    def get(self, path: str) -> Response:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        return Response(response.status, text, time.perf_counter() - started)

    # -- payload builders --------------------------------------------------------------

    def new_event_id(self) -> str:
        return f"Ev{next(self._ids):08d}"

    def event(self, event: dict, *, event_id: str | None = None, retry_num: int | None = None,
              **kwargs) -> Response:
        body = {
            "token": "legacy-unused",
            "team_id": self.team_id,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or self.new_event_id(),
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        headers = kwargs.pop("headers", {}) or {}
        if retry_num is not None:
            headers.update({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"})
        return self.post(json.dumps(body), "application/json", headers=headers, **kwargs)

    def command(self, text: str, *, user: str = "U1", channel: str = "C1",
                response_url: str, **kwargs) -> Response:
        form = {
            "token": "legacy-unused",
            "team_id": self.team_id,
            "team_domain": "council",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": "someone",
            "command": "/council",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": f"{next(self._ids)}.trigger",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)

    def action(self, action_id: str, value: str, *, user: str = "U1", channel: str = "C1",
               response_url: str, message_ts: str = "1700000000.000001",
               message: dict | None = None) -> Response:
        """A button click. `message` is the clicked message as Slack sends it (text, blocks);
        None sends a minimal one, as for an ephemeral message."""
        payload = {
            "type": "block_actions",
            "team": {"id": self.team_id, "domain": "council"},
            "user": {"id": user, "team_id": self.team_id},
            "api_app_id": "A0001",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
            "trigger_id": f"{next(self._ids)}.trigger",
            "channel": {"id": channel},
            "message": {"ts": message_ts, "text": "answer", **(message or {})},
            "response_url": response_url,
            "actions": [{"type": "button", "action_id": action_id, "block_id": "council_feedback",
                         "value": value, "action_ts": str(time.time())}],
        }
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def assistant_thread_started(*, user: str = "U1", channel: str = "D1", thread_ts: str = "1700005000.000100",
                             context_channel: str = "C1") -> dict:
    """The event Slack sends when someone opens a new thread with the assistant."""
    return {"type": "assistant_thread_started", "event_ts": f"{time.time():.6f}",
            "assistant_thread": {"user_id": user, "channel_id": channel, "thread_ts": thread_ts,
                                 "context": {"channel_id": context_channel, "team_id": TEAM_ID}}}


def assistant_message(text: str, *, user: str = "U1", channel: str = "D1", thread_ts: str = "1700005000.000100",
                      ts: str | None = None, **extra) -> dict:
    """A person's message in an assistant thread (a DM thread)."""
    return message(text, user=user, channel=channel, channel_type="im", ts=ts, thread_ts=thread_ts, **extra)


def mention(text: str, *, user: str = "U1", channel: str = "C1", ts: str | None = None,
            thread_ts: str | None = None) -> dict:
    event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER_ID}> {text}",
             "ts": ts or f"{time.time():.6f}", "channel": channel, "event_ts": ts or f"{time.time():.6f}"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, *, user: str | None = "U1", channel: str = "C1", channel_type: str = "channel",
            ts: str | None = None, thread_ts: str | None = None, **extra) -> dict:
    event = {"type": "message", "text": text, "ts": ts or f"{time.time():.6f}", "channel": channel,
             "channel_type": channel_type, **extra}
    if user:
        event["user"] = user
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event
