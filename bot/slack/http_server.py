"""HTTP mode: `POST /slack/events` (Events API, slash commands, interactivity), `GET /healthz`
and `GET /metrics` (Prometheus text format; see `bot.observability.questions`).

An `http.server` with a fixed set of connection threads (see `_Server`): Bolt verifies the signature and
the timestamp (401 otherwise), runs the ack function and returns; answering continues on the
app's `WorkerPool`. Put it behind a TLS-terminating proxy; Slack only calls https URLs.

Hostile or broken clients cost little: a `X-Slack-Request-Timestamp` that is not a whole
number of seconds is refused with 401 before Bolt sees it; a body over 1 MB with 413; each
connection must send something every `READ_TIMEOUT_S` seconds or is closed; at most
`max_connections` are served at once by as many threads, `max_waiting` more wait, and any
beyond that are answered 503 and closed; so 300 half-sent requests hold `max_connections`
threads for `READ_TIMEOUT_S` each, not 300 threads for ever.

A Slack retry of an event this process has already acknowledged is answered 200 at once,
after its signature is checked, without running Bolt again (`bot.slack.retries`).

`/healthz` answers 200 with the health check's report when its `status` is "ok", else 503
with the report ("starting" while the answer engine is built, "unavailable" with a reason).
"""
from __future__ import annotations

import json
import logging
import queue
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Callable
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.observability import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.observability import question_metrics
from bot.slack.retries import RecentEvents, event_id_of

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000
READ_TIMEOUT_S = 5.0
MAX_CONNECTIONS = 64  # served at once (threads)
MAX_WAITING = 1024  # accepted and waiting for a thread; more are refused with 503
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 18\r\n"
         b"Connection: close\r\n\r\n{\"error\": \"busy\"}\n")

HealthCheck = Callable[[], dict]


class _Server(HTTPServer):
    """An `HTTPServer` whose connections are served by a fixed set of threads.

    `ThreadingHTTPServer` starts a thread per connection, and `Thread.start` waits until the
    new thread runs: under a burst the accepting thread queued behind hundreds of others for
    the interpreter lock, and 400 deliveries took 1.5 s just to be accepted. Here the
    accepting thread only queues the socket; `threads` threads take connections from the
    queue. At most `max_waiting` connections wait; more are answered 503 and closed.
    """

    # http.server's default listen backlog is 5: a burst of Slack deliveries would be reset,
    # and one of 256 still drops connections when 400 deliveries arrive at once (the client
    # then waits a second to retry its SYN).
    request_queue_size = 2048

    def __init__(self, address, handler, threads: int, max_waiting: int):
        self._waiting: queue.SimpleQueue = queue.SimpleQueue()
        self._max_waiting = max_waiting
        self._threads: list[threading.Thread] = []
        super().__init__(address, handler)  # binds: raises OSError (and closes) when it cannot
        self._threads = [threading.Thread(target=self._serve_connections, name=f"slack-http-{n}", daemon=True)
                         for n in range(threads)]
        for thread in self._threads:
            thread.start()

    def process_request(self, request, client_address):
        if self._waiting.qsize() >= self._max_waiting:
            log.warning("connection limit reached: refusing %s", client_address[0])
            try:
                request.settimeout(1.0)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        self._waiting.put((request, client_address))

    def _serve_connections(self) -> None:
        while (item := self._waiting.get()) is not None:
            request, client_address = item
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        # A client that resets or vanishes mid-request is not our error: no traceback on stderr.
        log.debug("connection from %s failed", client_address[0], exc_info=True)

    def server_close(self) -> None:
        super().server_close()
        for _ in self._threads:
            self._waiting.put(None)


class SlackHttpServer:
    """Serves one Bolt app. `port=0` picks a free port (see `.port` after construction)."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 3000, health: HealthCheck | None = None,
                 metrics: Callable[[], str] | None = None, *, read_timeout_s: float = READ_TIMEOUT_S,
                 max_connections: int = MAX_CONNECTIONS, max_waiting: int = MAX_WAITING,
                 signing_secret: str | None = None):
        """Binds at once; raises `OSError` when the address is taken or cannot be used.

        With `signing_secret` (the app's), retries of events already acknowledged here are
        answered without Bolt; without it every request goes through Bolt."""
        if read_timeout_s <= 0:
            raise ValueError(f"read_timeout_s must be positive, not {read_timeout_s}")
        if max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, not {max_connections}")
        if max_waiting < 0:
            raise ValueError(f"max_waiting must not be negative, not {max_waiting}")
        self.app = app
        self.health = health or (lambda: {"status": "ok"})
        self.metrics = metrics or (lambda: question_metrics().render())
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None
        self.acknowledged = RecentEvents()
        self._server = _Server((host, port), _handler_class(self, read_timeout_s), max_connections, max_waiting)
        self._thread: threading.Thread | None = None
        self._state = threading.Lock()
        self._serving = False
        self._stop_requested = False

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = self._server.server_address[0]
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Serve until `shutdown` (at once if it was called before)."""
        with self._state:
            if self._stop_requested:
                return
            self._serving = True
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> "SlackHttpServer":
        """Serve on a background thread (tests, benchmarks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="slack-http", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Make `serve_forever` return, from any thread, before or after it started; the
        socket stays open until `stop`."""
        with self._state:
            self._stop_requested = True
            serving = self._serving
        if serving:
            self._server.shutdown()

    def stop(self) -> None:
        self.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)


def _handler_class(server: SlackHttpServer, read_timeout_s: float):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "council-assistant"
        timeout = read_timeout_s  # per read: a stalled client is dropped (http.server closes on TimeoutError)
        disable_nagle_algorithm = True  # the acknowledgement leaves at once
        wbufsize = 64 * 1024  # status, headers and body go out in one write (flushed after each request)

        def do_GET(self) -> None:
            if urlsplit(self.path).path == METRICS_PATH:
                return self._send_bytes(200, server.metrics().encode("utf-8"), METRICS_CONTENT_TYPE)
            if urlsplit(self.path).path != HEALTH_PATH:
                return self._send(404, {"error": "not found"})
            try:
                report = server.health()
            except Exception as error:  # e.g. the database is unreachable
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
                log.warning("health check failed: %s", reason)
                return self._send(503, {"status": "unavailable", "reason": reason})
            self._send(200 if report.get("status") == "ok" else 503, report)

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != EVENTS_PATH:
                return self._send(404, {"error": "not found"})
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY_BYTES:
                self.close_connection = True  # the unread body must not be parsed as a request
                return self._send(413, {"error": "missing or too large Content-Length"})
            raw = self.rfile.read(length)
            signature = self.headers.get("X-Slack-Signature") or ""
            if not signature.isascii():  # slack_sdk would raise comparing it: refuse it as Slack does
                return self._send(401, {"error": "invalid request"})
            if not _TIMESTAMP.match(self.headers.get("X-Slack-Request-Timestamp") or ""):
                # Bolt would int() it and fail with a 500 and a traceback: "abc", "", "1e9", "123.5".
                return self._send(401, {"error": "invalid request"})
            headers = {key.lower(): self.headers.get_all(key) for key in self.headers.keys()}
            retry = self.headers.get("X-Slack-Retry-Num")
            try:
                # Bolt parses the body (and reads ids from it) before checking the signature, so a
                # malformed body from anyone must be answered here rather than kill the handler.
                body = raw.decode("utf-8")
                request = BoltRequest(body=body, query=parts.query, headers=headers)
            except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError, IndexError):
                return self._send(400, {"error": "malformed request"})
            event_id = event_id_of(request.body)
            if retry:
                if event_id in server.acknowledged and self._signed(body, signature):
                    log.info("Slack retry %s of event %s, already being answered here: acknowledged", retry, event_id)
                    return self._send_bytes(200, b"", "text/plain;charset=utf-8")
                log.info("Slack retry %s (%s)", retry, self.headers.get("X-Slack-Retry-Reason"))
            response = server.app.dispatch(request)
            if event_id and response.status == 200:
                server.acknowledged.add(event_id)
            payload = response.body.encode("utf-8")
            self.send_response(response.status)
            for name, values in response.headers.items():
                if name.lower() == "content-length":
                    continue
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _signed(self, body: str, signature: str) -> bool:
            verifier = server.verifier
            return verifier is not None and verifier.is_valid(
                body, self.headers.get("X-Slack-Request-Timestamp") or "", signature)

        def _send(self, status: int, document: dict) -> None:
            self._send_bytes(status, json.dumps(document).encode("utf-8"), "application/json")

        def _send_bytes(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args) -> None:
            log.debug("%s %s", self.address_string(), format % args)

    return Handler
