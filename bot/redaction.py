"""Keeping personal data and secrets out of logs and the audit log.

Two jobs, one idea (text that leaves the process gets cleaned first):

* `redact_personal(text)`: email addresses and phone numbers become `[email]` and `[phone]`.
  People paste their own contact details into questions; the audit log and the logs do not
  need them.
* `RedactingFilter`: a `logging.Filter` for a handler that applies `redact_personal` and removes
  secrets (the configured tokens and signing secret, anything shaped like a Slack or API token,
  passwords in URLs) from each record's message and traceback before it is written.

Add the filter to every handler that writes logs (see `install_log_redaction`); a filter on a
logger would miss records from its children.
"""
from __future__ import annotations

import logging
import re
import traceback
from typing import Iterable

from bot.settings import Settings

EMAIL = "[email]"
PHONE = "[phone]"
SECRET = "[secret]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A UK or international number: starts with 0 or +, then digits with spaces, dots, dashes or
# brackets; 10 to 13 digits in all (so years, amounts and 116 123 are left alone).
_PHONE = re.compile(r"(?<![\w+])(?:\+|0)[\d\s().-]{8,18}\d(?![\w])")
_TOKEN = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}|\bsk-[A-Za-z0-9_-]{16,}", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]+):([^@\s/]+)@")


def _phone(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE if 10 <= digits <= 13 else match.group(0)


def redact_personal(text: str) -> str:
    """`text` with email addresses and phone numbers replaced by `[email]` and `[phone]`."""
    return _PHONE.sub(_phone, _EMAIL.sub(EMAIL, text))


def redact_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without the given secret values, token-shaped strings or URL passwords."""
    for secret in secrets:
        text = text.replace(secret, SECRET)
    text = _TOKEN.sub(SECRET, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {SECRET}", text)
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{SECRET}@", text)


def settings_secrets(settings: Settings) -> tuple[str, ...]:
    """The secret values a process knows (only those long enough not to match ordinary words)."""
    values = (settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token,
              settings.openai_api_key)
    return tuple(value for value in values if value and len(value) >= 6)


class RedactingFilter(logging.Filter):
    """Cleans each record in place; never drops one. The message is formatted (msg % args) once
    here, so handlers downstream write the cleaned text; a traceback is formatted and cleaned
    into `exc_text`, which `logging.Formatter` prints instead of formatting `exc_info` again."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        # Longest first, so a secret containing another is replaced whole.
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def clean(self, text: str) -> str:
        return redact_personal(redact_secrets(text, self.secrets))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: keep what can be shown
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.clean(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self.clean("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        elif record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True


def install_log_redaction(settings: Settings, handlers: Iterable[logging.Handler] | None = None) -> RedactingFilter:
    """Add one `RedactingFilter` for `settings`' secrets to `handlers` (default: the root
    logger's handlers). Call it after logging is configured; returns the filter."""
    redacting = RedactingFilter(settings_secrets(settings))
    for handler in (logging.getLogger().handlers if handlers is None else handlers):
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(redacting)
    return redacting
