"""Briefings and timelines as plain text for a terminal (and for `Answer.text`): pure functions.

Each line ends with the numbers of its sources ("[3]"); the numbered list follows, document
citations first, then the sources of imported values (see `references`).
"""
from __future__ import annotations

from typing import Sequence

from bot.briefing.model import Briefing, Timeline
from bot.briefing.references import number_references

INDENT = "  "


MORE_DETAIL = "More detail: council-assistant brief {topic} --full"


def briefing_lines(briefing: Briefing, *, for_answer: bool = False, full: bool = False,
                   more: str | None = MORE_DETAIL, sources: bool = True) -> list[str]:
    """The headline block (with `full`, the detail instead: everything) with source numbers, its notes, then
    the numbered sources. Without `full`, a briefing that has detail ends its block with the
    `more` line. `for_answer` gives the plain lines an `Answer` carries: no numbers, notes or
    sources (the `Answer` holds the citations, figures and notes itself)."""
    if full:
        briefing = briefing.as_full()
    refs = number_references(briefing.items())

    def marked(item) -> str:
        return item.text if for_answer else item.text + refs.marker(item)

    lines = [marked(briefing.summary), briefing.framework]
    if briefing.matched:
        lines.append(f"({briefing.matched})")
    for section in briefing.sections:
        lines += ["", section.title]
        for item in section.items:
            lines.append(f"{INDENT}• {marked(item)}")
            if item.note:
                lines.append(f"{INDENT}  Note: {item.note}")
        if section.omitted:
            lines.append(f"{INDENT}… and {section.omitted} more")
    if briefing.detail and more:
        lines += ["", more.format(topic=_quoted(briefing.topic))]
    if for_answer:
        return lines
    if briefing.notes:
        lines += [""] + [f"Note: {note}" for note in briefing.notes]
    if sources:
        lines += ["", "Sources"] + [f"{INDENT}[{n}] {text}" for n, text in refs.listing()]
    return lines


def headline_text(briefing: Briefing) -> str:
    """The headline block as a terminal shows it, without the list of sources: what must fit
    one screen (`headline.HEADLINE_LIMIT`)."""
    return "\n".join(briefing_lines(briefing, sources=False))


def _quoted(topic: str) -> str:
    return f'"{topic}"' if " " in topic else topic


def render_briefing_text(briefing: Briefing, chart_files: Sequence[str] = (), *, full: bool = False) -> str:
    lines = briefing_lines(briefing, full=full)
    if chart_files:
        lines += ["", "Charts"] + [f"{INDENT}{path}" for path in chart_files]
    return "\n".join(lines)


def timeline_heading(timeline: Timeline) -> str:
    subject = timeline.subject[:1].upper() + timeline.subject[1:]
    first = timeline.steps[0] if timeline.steps else None
    if first is None or timeline.since in (None, first.year):
        since = first.year if first else timeline.since
        return f"{subject} — how the council's commitment has changed since {since}, framework by framework:"
    return (f"{subject} — how the council's commitment has changed since {timeline.since}, framework by framework "
            f"(from the {first.framework}, in force in {timeline.since}):")


def timeline_body(timeline: Timeline) -> list[str]:
    """The heading and one line per step, marked [n] in the order of the steps' citations."""
    refs = number_references_for_timeline(timeline)
    lines = [timeline_heading(timeline)]
    for step in timeline.steps:
        lines.append(f"• {step.year} – {step.framework}, {step.statement} [{refs.index(step.citation) + 1}]")
    return lines


def number_references_for_timeline(timeline: Timeline) -> list:
    return list(dict.fromkeys(step.citation for step in timeline.steps))


def render_timeline_text(timeline: Timeline) -> str:
    lines = timeline_body(timeline)
    if timeline.notes:
        lines += [""] + [f"Note: {note}" for note in timeline.notes]
    citations = number_references_for_timeline(timeline)
    lines += ["", "Sources"] + [
        f"{INDENT}[{n}] {c.title}" + (f" › {c.section}" if c.section else "") for n, c in enumerate(citations, 1)]
    return "\n".join(lines)
