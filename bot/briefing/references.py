"""Numbering a briefing's sources once, so the text and Slack renderers mark items alike.

A source is a place in a document (title and section: the ten commitments of one ambition
share one number) or the publisher of imported values. Numbers follow first use. An item can
have two: a framework KPI's row in the document and the publisher of its latest value. The
exact quotes stay in the items' citations (and in `Answer.citations`).
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.briefing.model import BriefingItem


@dataclass(frozen=True)
class References:
    keys: tuple[tuple, ...]  # ("document", title, section) or ("imported", source)

    def numbers(self, item: BriefingItem) -> tuple[int, ...]:
        return tuple(self.keys.index(key) + 1 for key in _keys(item))

    def marker(self, item: BriefingItem) -> str:
        """" [1]" or " [2, 7]"."""
        return " [" + ", ".join(str(n) for n in self.numbers(item)) + "]"

    def listing(self) -> list[tuple[int, str]]:
        """(number, one line): "Title › Section" or "Imported data: source"."""
        lines = []
        for number, key in enumerate(self.keys, start=1):
            if key[0] == "document":
                lines.append((number, key[1] + (f" › {key[2]}" if key[2] else "")))
            else:
                lines.append((number, f"Imported data: {key[1]}"))
        return lines


def number_references(items) -> References:
    return References(tuple(dict.fromkeys(key for item in items for key in _keys(item))))


def _keys(item: BriefingItem) -> list[tuple]:
    keys = []
    if item.citation is not None:
        keys.append(("document", item.citation.title, item.citation.section))
    if item.source:
        keys.append(("imported", item.source))
    return keys
