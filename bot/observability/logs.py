"""Log lines as text for people or as one JSON object per line for a log collector.

`LOG_FORMAT=json` (the container default) gives lines like
`{"time": "2026-11-25T15:50:10.123Z", "level": "INFO", "logger": "bot.slack.answering",
"message": "answered …", "request_id": "3f2a…"}`; a traceback goes in `"exception"`. The
formatter writes only the record's message and fields, after the handler's filters ran: like
`logging.Formatter`, it prints a traceback from `exc_text` when a filter has set it, so the
redaction filter of `bot.redaction` cleans JSON lines too.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import TextIO

from bot.observability.request_ids import RequestIdFilter

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        document = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            document["request_id"] = request_id
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:  # as logging.Formatter does: a filter may have cleaned it (bot.redaction)
            document["exception"] = record.exc_text
        if record.stack_info:
            document["stack"] = self.formatStack(record.stack_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def make_handler(log_format: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """A stream handler in `log_format` ("text" or "json") that stamps each line's request id."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(level: str = "INFO", log_format: str = "text", stream: TextIO | None = None,
                      logger: logging.Logger | None = None) -> logging.Handler:
    """Send `logger` (default: the root logger) to one handler in the chosen format, replacing
    the handlers it had but keeping their filters (such as the secret redaction), so the order
    in which the two are installed does not matter; returns the new handler."""
    target = logger or logging.getLogger()
    handler = make_handler(log_format, stream)
    for old in list(target.handlers):
        for kept in old.filters:
            if not isinstance(kept, RequestIdFilter) and kept not in handler.filters:
                handler.addFilter(kept)
        target.removeHandler(old)
    target.addHandler(handler)
    target.setLevel(level)
    return handler
