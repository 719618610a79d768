"""A commitments look-up (`bot.briefing.commitments.CommitmentsLookup`) as Block Kit: a pure
function, tested by comparing whole block lists.

One section holds the whole answer, as a contact-centre officer reads it aloud: the opening
line, each group's heading in bold with its commitments as bullets, and the ambitions the
codes stand for. The look-up already fits 3,000 characters (`commitments.TEXT_LIMIT`), so
the section is never cut; a context line names the documents quoted (with their sections).
"""
from __future__ import annotations

from bot.briefing.commitments import CommitmentsLookup
from bot.slack.render import CONTEXT_TEXT_LIMIT, FALLBACK_TEXT_LIMIT, SECTION_TEXT_LIMIT, escape, truncate

COMMITMENTS_USAGE = ("Tell me the topic: `/council commitments bus services`, `/council commitments flooding` "
                     "or, in a message to me, “commitments on care at home”.")


def commitments_fallback_text(lookup: CommitmentsLookup) -> str:
    return truncate(escape(lookup.opening), FALLBACK_TEXT_LIMIT)


def commitments_section_text(lookup: CommitmentsLookup) -> str:
    """The section's mrkdwn text (escaped; headings bold)."""
    lines = [escape(lookup.opening)]
    for group in lookup.groups:
        lines.append(f"*{escape(group.heading)}*")
        lines.extend(escape(line.line(tracked=lookup.tracked)) for line in group.lines)
        if group.omitted:
            lines.append(f"• _… and {group.omitted} more from this framework_")
    lines.extend(f"_{escape(label)}_" for label in lookup.outcomes)
    return "\n".join(lines)


def render_commitments_blocks(lookup: CommitmentsLookup) -> list[dict]:
    blocks = [{"type": "section", "text": {"type": "mrkdwn",
                                            "text": truncate(commitments_section_text(lookup), SECTION_TEXT_LIMIT)}}]
    sources = list(dict.fromkeys(
        line.citation.title + (f" › {line.citation.section}" if line.citation.section else "") for line in lookup.lines))
    if sources:
        text = ":page_facing_up: " + "; ".join(escape(source) for source in sources)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, CONTEXT_TEXT_LIMIT)}]})
    return blocks
