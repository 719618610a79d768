"""One id per question, carried by every log line written while that question is handled.

The id lives in a `ContextVar`, so it follows the question through the functions it calls on
the same thread, and two questions answered at once on two worker threads never see each
other's id. `with_request_id` gives each call of a function a fresh id and restores the
previous one afterwards, so a pooled thread never leaks one question's id into the next.
"""
from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

_REQUEST_ID: ContextVar[str | None] = ContextVar("council_request_id", default=None)

F = TypeVar("F", bound=Callable)


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def current_request_id() -> str | None:
    """The id of the question being handled on this thread, or None outside one."""
    return _REQUEST_ID.get()


@contextmanager
def request_scope(request_id: str | None = None) -> Iterator[str]:
    """Run a block under `request_id` (a new one if not given); the previous id comes back after."""
    token = _REQUEST_ID.set(request_id or new_request_id())
    try:
        yield _REQUEST_ID.get()
    finally:
        _REQUEST_ID.reset(token)


def with_request_id(function: F) -> F:
    """Decorate a function that handles one question: each call runs under a new request id."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with request_scope():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class RequestIdFilter(logging.Filter):
    """Stamps `record.request_id` (None outside a question) so formatters can show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
