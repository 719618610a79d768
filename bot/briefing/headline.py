"""The headline block of a briefing: what fits one screen.

The ambition, three to five commitments and the latest figures (imported values with their
periods and trend arrows, then figures the documents print), taken in an order that gives each
kind its share and stopped when the rendered block would pass HEADLINE_LIMIT characters.
Everything else stays in the briefing's detail.
"""
from __future__ import annotations

from typing import Callable

from bot.briefing.model import BriefingItem, BriefingSection

HEADLINE_LIMIT = 1500  # characters of the rendered headline block (without the list of sources)
MAX_COMMITMENTS = 5
MAX_FIGURES = 4
COMMITMENTS_TITLE = "Commitments"
FIGURES_TITLE = "Latest figures"
STATEMENTS_TITLE = "Earlier frameworks"
MAX_STATEMENTS = 1


def fit_headline(commitments: list[BriefingItem], figures: list[BriefingItem],
                 rendered_length: Callable[[tuple[BriefingSection, ...]], int], *,
                 commitments_title: str = COMMITMENTS_TITLE, limit: int = HEADLINE_LIMIT,
                 statements: list[BriefingItem] = (),
                 ) -> tuple[tuple[BriefingSection, ...], list[BriefingItem]]:
    """The headline sections, and the items left out of them (for the detail).

    Items are tried in the order c1 c2 c3 f1 f2 c4 f3 c5 f4 s1 (c: commitment, f: figure, s:
    what an earlier framework said about the topic, where there is room); one that would take
    the block past `limit` (as `rendered_length` measures it) is skipped."""
    order = _interleave(commitments[:MAX_COMMITMENTS], figures[:MAX_FIGURES], list(statements)[:MAX_STATEMENTS])
    chosen: dict[str, list[BriefingItem]] = {"c": [], "f": [], "s": []}
    for kind, item in order:
        chosen[kind].append(item)
        if rendered_length(_sections(chosen, commitments_title)) > limit:
            chosen[kind].pop()
    kept = set(map(id, chosen["c"] + chosen["f"] + chosen["s"]))
    left = [item for item in list(commitments) + list(figures) + list(statements) if id(item) not in kept]
    return _sections(chosen, commitments_title), left


def _interleave(commitments: list, figures: list, statements: list) -> list[tuple[str, BriefingItem]]:
    pattern = ["c", "c", "c", "f", "f", "c", "f", "c", "f", "s"]
    queues = {"c": list(commitments), "f": list(figures), "s": list(statements)}
    order = []
    for kind in pattern:
        if queues[kind]:
            order.append((kind, queues[kind].pop(0)))
    return order


def _sections(chosen: dict[str, list[BriefingItem]], commitments_title: str) -> tuple[BriefingSection, ...]:
    sections = []
    if chosen["c"]:
        sections.append(BriefingSection(commitments_title, tuple(chosen["c"])))
    if chosen["f"]:
        sections.append(BriefingSection(FIGURES_TITLE, tuple(chosen["f"])))
    if chosen["s"]:
        sections.append(BriefingSection(STATEMENTS_TITLE, tuple(chosen["s"])))
    return tuple(sections)
