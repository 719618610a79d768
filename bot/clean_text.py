"""Text that can be stored and printed anywhere: no NUL characters and no lone surrogates.

PostgreSQL refuses a NUL in a text column, and no database driver (nor a terminal) can encode
a lone surrogate, which is what Python makes of invalid UTF-8 in a command-line argument or a
JSON "\\ud800" escape. Both are cleaned where text comes in (the CLI) and before it is stored
(the audit log, `slack_answers`), so one odd character never costs a question or an entry.
"""
from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """`text` with each NUL and each lone surrogate replaced by U+FFFD (linear time), so the
    stored text still shows that something was there."""
    if not isinstance(text, str):
        text = str(text)
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(REPLACEMENT, text)


def storable_or_none(text: str | None) -> str | None:
    return None if text is None else storable_text(text)
