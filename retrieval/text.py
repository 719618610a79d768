"""Cleaning PDF-converted text for display and splitting it into quotable sentences.

The documents came out of PDF conversion with markdown emphasis, HTML fragments and
infographic run-ons ("6.89MILLION"); a quote must read cleanly but keep every figure exactly
as printed, so cleaning only removes markup and never rewrites words or numbers.
"""
from __future__ import annotations

import html
import re

_TAG = re.compile(r"</?(?:p|ul|li|span|br|div|b|i|strong|em)(?:\s[^>]*)?/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(?:sub|sup)>", re.IGNORECASE)
_CHECKBOX = re.compile(r"<input[^>]*checkbox[^>]*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_DIGIT_THEN_CAPS = re.compile(r"(\d)([A-Z]{2,})")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“‘(£0-9])")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:(?:[-•♦▪◦●]|☒|✓|☐)\s*)+")


def clean_inline(text: str) -> str:
    """Strip markup from one line or paragraph, keeping its words and figures as printed."""
    text = _CHECKBOX.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _INLINE_TAG.sub("", text)
    text = html.unescape(text)
    text = _EMPHASIS.sub("", text)
    text = text.replace("\\", " ")
    text = _DIGIT_THEN_CAPS.sub(r"\1 \2", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def strip_heading_marks(line: str) -> str:
    return clean_inline(_MARKDOWN_HEADING.sub("", line.strip()))


def strip_bullet(line: str) -> str:
    return _BULLET.sub("", line, count=1)


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line)) and bool(strip_bullet(line).strip())


def split_sentences(paragraph: str) -> list[str]:
    """Split a cleaned paragraph into sentences; short fragments stay with their neighbour."""
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph) if p.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and len(part) < 25:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, for previews that must stay short."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
