"""A `Briefing` as Block Kit: a pure function, tested by comparing whole block lists.

Layout: the heading (bold) and the framework; one section per briefing section, its items as
bullets each ending with its source numbers ("[3]"); the notes; a divider; the numbered
sources as context lines. Every piece of text passes through `escape`; bullets are cut at
ITEM_LIMIT characters and sections split at Slack's 3,000; a briefing that would need more
than 50 blocks loses its last blocks to a one-line notice, as answers do (`render`).
"""
from __future__ import annotations

from bot.briefing.model import Briefing
from bot.briefing.references import number_references
from bot.slack.render import (
    CONTEXT_TEXT_LIMIT,
    FALLBACK_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    escape,
    split_text,
    truncate,
)

BRIEF_USAGE = ("Tell me what to brief on: an ambition, an outcome or a topic, e.g. `/council brief Ambition 3`, "
               "`/council brief older people` or `/council brief flooding`.")
BRIEFINGS_UNAVAILABLE = "Briefings aren't switched on for this bot yet. Ask a question instead: `/council &lt;question&gt;`."
CHARTS_NOT_POSTED = ("I couldn't post the trend charts here. Invite me to the channel (`/invite @Council Assistant`) "
                     "and ask again to get them.")

ITEM_LIMIT = 400
NOTE_LIMIT = 300
CHARTS_FOLLOW = ":chart_with_upwards_trend: Trend charts follow for: {names}."
CHARTS_PRIVATE = (":chart_with_upwards_trend: Trend charts ({names}) are posted only with briefings shared in the "
                  "channel.")


def briefing_fallback_text(briefing: Briefing) -> str:
    return truncate(escape(f"Briefing: {briefing.heading}"), FALLBACK_TEXT_LIMIT)


def render_briefing_blocks(briefing: Briefing, *, charts_attached: bool = True) -> list[dict]:
    """Block Kit blocks for `briefing`, at most 50. `charts_attached` says whether the trend
    charts are uploaded with it (they are not for a private answer); the blocks say which."""
    refs = number_references(briefing.items())
    heading = f"*{escape(briefing.heading)}*{escape(refs.marker(briefing.summary))}"
    blocks: list[dict] = [_section(truncate(heading, SECTION_TEXT_LIMIT))]
    about = [escape(briefing.framework)] + ([f"_{escape(briefing.matched)}_"] if briefing.matched else [])
    blocks.append(_context(truncate("\n".join(about), CONTEXT_TEXT_LIMIT)))
    for section in briefing.sections:
        lines = [f"*{escape(section.title)}*"]
        for item in section.items:
            lines.append("• " + truncate(escape(item.text), ITEM_LIMIT) + escape(refs.marker(item)))
            if item.note:
                lines.append(f"      _{truncate(escape(item.note), NOTE_LIMIT)}_")
        if section.omitted:
            lines.append(f"• _… and {section.omitted} more_")
        blocks.extend(_section(chunk) for chunk in split_text("\n".join(lines)))
    blocks.extend(_context(truncate(f":warning: {escape(note)}", CONTEXT_TEXT_LIMIT)) for note in briefing.notes)
    if briefing.charts:
        names = escape("; ".join(chart.measure for chart in briefing.charts))
        template = CHARTS_FOLLOW if charts_attached else CHARTS_PRIVATE
        blocks.append(_context(truncate(template.format(names=names), CONTEXT_TEXT_LIMIT)))
    blocks.append({"type": "divider"})
    listing = "\n".join(f"[{n}] {escape(text)}" for n, text in refs.listing())
    blocks.extend(_context(chunk) for chunk in split_text(f":page_facing_up: {listing}", CONTEXT_TEXT_LIMIT))
    if len(blocks) > MAX_BLOCKS:
        hidden = len(blocks) - (MAX_BLOCKS - 1)
        blocks = blocks[: MAX_BLOCKS - 1]
        blocks.append(_context(f"_{hidden} more part{'s' if hidden != 1 else ''} of this briefing did not fit in one "
                               "Slack message; `council-assistant brief` prints all of it._"))
    return blocks


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
