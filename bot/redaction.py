"""Keeping personal data and secrets out of logs, the audit log and the stored Slack answers.

Two jobs, one idea (text that leaves the process gets cleaned first):

* `redact_personal(text)`: what identifies or reaches a person becomes a placeholder: email
  addresses `[email]`, phone numbers `[phone]`, National Insurance numbers (`QQ 12 34 56 C`,
  `AB123456C`) `[NI number]`, NHS numbers (ten digits, `943 476 5919`, checked with their
  modulus-11 check digit or named as an NHS number) `[NHS number]`, payment card numbers (13 to
  19 digits that pass the Luhn check) `[card number]`, and a postal address (a house number,
  then the street, up to a postcode) `[address]`. People paste their own details into
  questions; the audit log, `slack_answers` and the logs do not need them. A postcode on its
  own (an office, a district) and figures, years and KPI codes are left alone.
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
NI_NUMBER = "[NI number]"
NHS_NUMBER = "[NHS number]"
CARD_NUMBER = "[card number]"
ADDRESS = "[address]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A UK or international number: starts with 0 or +, then digits with spaces, dots, dashes or
# brackets; 10 to 13 digits in all (so years, amounts and 116 123 are left alone).
_PHONE = re.compile(r"(?<![\w+])(?:\+|0)[\d\s().-]{8,18}\d(?![\w])")
_TOKEN = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{6,}|\bsk-[A-Za-z0-9_-]{16,}", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]+):([^@\s/]+)@")


# Two prefix letters, six digits (optionally in pairs), a suffix letter A-D. HMRC's own example
# prefix QQ is not issued, but it is what people type when they test, so any two letters count.
_NI = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-Da-d](?![A-Za-z0-9])")
# Ten digits, written 3-3-4 (spaces or dashes) or run together.
_NHS = re.compile(r"(?<![\d,.£$])(\d{3})([ -]?)(\d{3})\2(\d{4})(?!\d|[,.]\d)")
_NHS_NAMED = re.compile(r"\bNHS\b[^\d\n]{0,20}$", re.IGNORECASE)
# 13 to 19 digits, in groups of 4 (Amex 4-6-5) or run together; the Luhn check decides.
_CARD = re.compile(r"(?<![\d,.£$])(?:\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}|\d{4}[ -]\d{6}[ -]\d{5}|\d{13,19})(?!\d|[,.]\d)")
_POSTCODE = r"[A-Za-z]{1,2}\d[A-Za-z\d]?[ ]?\d[A-Za-z]{2}"
# A house number (1-3 digits, optional letter or range; a flat before it), a capitalised street
# and town (no sentence end, at most 80 characters), then a postcode: "12 Mill Road, Cambridge CB1 2AB".
_ADDRESS = re.compile(
    r"(?:(?:Flat|Apartment|Unit)[ ]+\d{1,4}[A-Za-z]?,?[ ]+)?"
    r"(?<![\w£$.,/-])\d{1,3}[A-Za-z]?(?:-\d{1,3})?,?[ ]+[A-Z](?:[^\n.!?;:\[\]]|\.(?=\S)){0,80}?"
    r"(?<![A-Za-z\d])" + _POSTCODE + r"(?![A-Za-z\d])")


def _phone(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE if 10 <= digits <= 13 else match.group(0)


def luhn_valid(digits: str) -> bool:
    """The Luhn check every payment card number passes (and about one in ten other numbers)."""
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def nhs_number_valid(digits: str) -> bool:
    """The modulus-11 check digit of a ten-digit NHS number."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1))) % 11
    check = 11 - remainder
    return check != 10 and (check % 11) == int(digits[9])


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    issuer = digits[0] in "3456" or digits[:2] in ("22", "23", "24", "25", "26", "27")  # not a run of years
    if 13 <= len(digits) <= 19 and issuer and luhn_valid(digits):
        return CARD_NUMBER
    return match.group(0)


def _nhs(text: str):
    def replace(match: re.Match) -> str:
        digits = match.group(1) + match.group(3) + match.group(4)
        named = _NHS_NAMED.search(text, max(0, match.start() - 30), match.start()) is not None
        return NHS_NUMBER if nhs_number_valid(digits) or named else match.group(0)

    return replace


def redact_personal(text: str) -> str:
    """`text` with contact details and personal numbers replaced by placeholders (see above)."""
    if not text:
        return text
    text = _EMAIL.sub(EMAIL, text)
    text = _NI.sub(NI_NUMBER, text)
    text = _CARD.sub(_card, text)
    text = _NHS.sub(_nhs(text), text)
    text = _PHONE.sub(_phone, text)
    return _ADDRESS.sub(ADDRESS, text)  # last: an address never swallows a placeholder ("[", "]")


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
