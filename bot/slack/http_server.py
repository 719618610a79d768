"""HTTP mode: `POST /slack/events` (Events API, slash commands, interactivity), `GET /healthz`
and `GET /metrics` (Prometheus text format; see `bot.observability.questions`).

A threading `http.server`: each request gets a thread, Bolt verifies the signature and the
timestamp (401 otherwise), runs the ack function and returns; answering continues on the
app's `WorkerPool`. Put it behind a TLS-terminating proxy; Slack only calls https URLs.
"""
from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.observability import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.observability import question_metrics

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000

HealthCheck = Callable[[], dict]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # http.server's default listen backlog is 5: a burst of Slack deliveries would be reset.
    request_queue_size = 256


class SlackHttpServer:
    """Serves one Bolt app. `port=0` picks a free port (see `.port` after construction)."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 3000, health: HealthCheck | None = None,
                 metrics: Callable[[], str] | None = None):
        self.app = app
        self.health = health or (lambda: {"status": "ok"})
        self.metrics = metrics or (lambda: question_metrics().render())
        self._server = _Server((host, port), _handler_class(self))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = self._server.server_address[0]
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> "SlackHttpServer":
        """Serve on a background thread (tests, benchmarks)."""
        self._thread = threading.Thread(target=self.serve_forever, name="slack-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)


def _handler_class(server: SlackHttpServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "council-assistant"

        def do_GET(self) -> None:
            if urlsplit(self.path).path == METRICS_PATH:
                return self._send_bytes(200, server.metrics().encode("utf-8"), METRICS_CONTENT_TYPE)
            if urlsplit(self.path).path != HEALTH_PATH:
                return self._send(404, {"error": "not found"})
            try:
                report = server.health()
            except Exception as error:  # e.g. the database is unreachable
                log.warning("health check failed: %s", error)
                return self._send(503, {"status": "unavailable"})
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
            headers = {key.lower(): self.headers.get_all(key) for key in self.headers.keys()}
            retry = self.headers.get("X-Slack-Retry-Num")
            if retry:
                log.info("Slack retry %s (%s)", retry, self.headers.get("X-Slack-Retry-Reason"))
            try:
                # Bolt parses the body (and reads ids from it) before checking the signature, so a
                # malformed body from anyone must be answered here rather than kill the handler.
                request = BoltRequest(body=raw.decode("utf-8"), query=parts.query, headers=headers)
            except (UnicodeDecodeError, ValueError, TypeError, AttributeError, KeyError, IndexError):
                return self._send(400, {"error": "malformed request"})
            response = server.app.dispatch(request)
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
