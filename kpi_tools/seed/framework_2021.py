"""The Strategic Framework 2021-2025: five strategic priorities and the promises under each.

The document names no measures and prints no headline figures; its "Performance" section
describes how Service Committees choose measures, so only priorities and promises are stored.
"""
from __future__ import annotations

from kpi_tools.normalise import bullet_text, normalise_text
from kpi_tools.seed.records import (
    CommitmentRecord,
    FrameworkContent,
    OutcomeRecord,
    SeedError,
    require_quote,
)

_LIST_START = "We have set five strategic priorities"
_DETAIL_START = "Our Five Strategic Priorities:"
_DETAIL_END = "Performance"


def parse(doc_id: str, text: str) -> FrameworkContent:
    normalised = normalise_text(text)
    lines = text.splitlines()
    start = _index(doc_id, lines, lambda line: line.startswith(_LIST_START))
    titles = []
    for line in lines[start + 1:]:
        if (bullet := bullet_text(line)) is not None:
            titles.append(bullet)
        elif titles and line.strip():
            break
    if len(titles) != 5:
        raise SeedError(f"{doc_id}: expected five strategic priorities, found {len(titles)}")
    detail_start = _index(doc_id, lines, lambda line: line.strip() == _DETAIL_START, start)
    detail_end = _index(doc_id, lines, lambda line: line.strip() == _DETAIL_END, detail_start)
    promises: dict[str, list[str]] = {title: [] for title in titles}
    current = None
    for line in lines[detail_start + 1:detail_end]:
        heading = normalise_text(line).rstrip(":")
        if heading in promises:
            current = heading
        elif (bullet := bullet_text(line)) is not None and current:
            promises[current].append(bullet)
    empty = [title for title, items in promises.items() if not items]
    if empty:
        raise SeedError(f"{doc_id}: no promises found under {empty}")
    outcomes = tuple(
        OutcomeRecord(
            kind="strategic priority", title=title, code=None, description=None, position=position,
            section="Our Strategic Priorities", quote=require_quote(doc_id, normalised, title),
        )
        for position, title in enumerate(titles, start=1)
    )
    commitments = []
    for title in titles:
        for promise in promises[title]:
            commitments.append(
                CommitmentRecord(
                    kind="priority promise", text=promise, outcome_title=title, theme=None, detail=None,
                    position=len(commitments) + 1, section=_DETAIL_START.rstrip(":"),
                    quote=require_quote(doc_id, normalised, promise),
                )
            )
    return FrameworkContent(doc_id=doc_id, outcomes=outcomes, commitments=tuple(commitments))


def _index(doc_id: str, lines: list[str], predicate, start: int = 0) -> int:
    for i in range(start, len(lines)):
        if predicate(lines[i]):
            return i
    raise SeedError(f"{doc_id}: expected line not found after line {start}")
