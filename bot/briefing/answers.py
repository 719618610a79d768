"""Briefings and timelines as `Answer`s, so the CLI's `--json`, the engine and Slack can carry
them like any other answer: text, citations (numbered as the text marks them) and figures."""
from __future__ import annotations

from bot.answer import Answer
from bot.briefing.commitments import CommitmentsLookup, commitments_text
from bot.briefing.model import Briefing, Timeline
from bot.briefing.render_text import briefing_lines, number_references_for_timeline, timeline_body


def briefing_answer(briefing: Briefing, question: str | None = None, *, full: bool = False) -> Answer:
    """The headline block as an `Answer` (with `full`, the whole briefing)."""
    if full:
        briefing = briefing.as_full()
    items = briefing.items()
    citations = tuple(dict.fromkeys(item.citation for item in items if item.citation is not None))
    figures = tuple(dict.fromkeys(item.figure for item in items if item.figure is not None))
    return Answer(question or f"brief {briefing.topic}", "\n".join(briefing_lines(briefing, for_answer=True, more=None)),
                  citations, figures, notes=briefing.notes)


def timeline_answer(question: str, timeline: Timeline) -> Answer:
    return Answer(question, "\n".join(timeline_body(timeline)), tuple(number_references_for_timeline(timeline)),
                  notes=timeline.notes)


def commitments_answer(lookup: CommitmentsLookup, question: str | None = None) -> Answer:
    citations = tuple(dict.fromkeys(line.citation for line in lookup.lines))
    return Answer(question or f"commitments on {lookup.topic}", commitments_text(lookup), citations)
