"""Reference ids: the one format a user quotes and an engineer greps the log for.

Every place that tells a person "something went wrong" (the CLI, Slack, the guardrails, the LLM
mode) gives them a `new_reference()`: eight upper-case hexadecimal characters, e.g. `3F9A01C2`.
`log_failure` writes the matching log line: one line at WARNING, the traceback only at DEBUG
(`--verbose`), so a terminal never fills with a stack.
"""
from __future__ import annotations

import logging
import re
import uuid

REFERENCE_PATTERN = re.compile(r"^[0-9A-F]{8}$")


def new_reference() -> str:
    """A short id a user can quote and an engineer can grep the log for."""
    return uuid.uuid4().hex[:8].upper()


def first_line(error: BaseException, limit: int = 200) -> str:
    """The first line of an exception's message, clipped: what a log line or a user sees."""
    return (str(error).strip().splitlines() or [""])[0][:limit]


def log_failure(logger: logging.Logger, error: BaseException, what: str = "Unexpected failure") -> str:
    """Log `error` as one line with a new reference id (the traceback at DEBUG); return the id."""
    reference = new_reference()
    logger.warning("%s (reference %s): %s: %s", what, reference, type(error).__name__, first_line(error))
    logger.debug("Traceback for reference %s", reference, exc_info=error)
    return reference
