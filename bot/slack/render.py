"""Turn an `Answer` into Block Kit: pure functions, tested by comparing whole block lists.

Layout, top to bottom: the answer text (split into sections of at most 3,000 characters),
notes (e.g. where the draft and the later edition differ), figures as section fields (at
most 10 per section, 2,000 characters each), one context line per citation, and optionally
the feedback buttons. A message holds at most 50 blocks; when an answer would need more,
the least important blocks (the last citations, then figures) give way to a one-line notice.

Every piece of document or engine text passes through `escape` (`&`, `<`, `>`), so a quote
such as "<5% & rising" can never turn into a Slack mention or link.
"""
from __future__ import annotations

import re
from typing import Iterable

from bot.answer import Answer, Citation, Figure

MAX_BLOCKS = 50
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
CONTEXT_TEXT_LIMIT = 3000
QUOTE_LIMIT = 280
FALLBACK_TEXT_LIMIT = 3000

ACTION_FEEDBACK_UP = "council_feedback_up"
ACTION_FEEDBACK_DOWN = "council_feedback_down"
ACTION_ESCALATE = "council_escalate"

ELLIPSIS = "…"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten already-escaped `text` to `limit` characters, ending in "…" and never inside
    an entity such as `&amp;`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:] and len(cut) - amp < 5:
        cut = cut[:amp]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Split escaped `text` into chunks of at most `limit` characters.

    Cuts at a paragraph break if one is in the second half of the chunk, else a line break,
    a sentence end or a space; only a single word longer than `limit` is cut mid-word.
    Joining the chunks gives back the text up to the whitespace at the cuts.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator)
            if position >= limit // 2:
                cut = position + len(separator)
                break
        if cut == -1:
            cut = limit
            amp = window.rfind("&")
            if amp > 0 and ";" not in window[amp:]:
                cut = amp
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def mrkdwn(text: str) -> str:
    """Engine text as Slack mrkdwn: escaped, with Markdown `**bold**` turned into `*bold*`."""
    return _BOLD.sub(r"*\1*", escape(text))


def fallback_text(answer: Answer) -> str:
    """The plain `text` of the message, shown in notifications and by screen readers."""
    return truncate(escape(answer.text.strip()) or "(no answer)", FALLBACK_TEXT_LIMIT)


def render_blocks(
    answer: Answer, *, answer_id: str | None = None, escalation: bool = False
) -> list[dict]:
    """Block Kit blocks for `answer`, at most 50.

    With `answer_id`, a final actions block carries 👍 / 👎 buttons (and "Need more help"
    when `escalation` is true) whose value is that id.
    """
    chunks = split_text(mrkdwn(answer.text)) or ["(no answer)"]
    body: list[dict] = [_section(chunk) for chunk in chunks]
    body.extend(_section(truncate(f":warning: *Note:* {mrkdwn(note)}", SECTION_TEXT_LIMIT)) for note in answer.notes)
    body.extend(_figure_sections(answer.figures, answer.citations))
    if answer.citations:
        body.append({"type": "divider"})
        body.extend(_citation_context(citation) for citation in answer.citations)

    tail = [_actions(answer_id, escalation)] if answer_id else []
    budget = MAX_BLOCKS - len(tail)
    if len(body) > budget:
        hidden = len(body) - (budget - 1)
        body = body[: budget - 1]
        body.append(_context(f"_{hidden} more part{'s' if hidden != 1 else ''} of this answer "
                             "(figures or sources) did not fit in one Slack message._"))
    return body + tail


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _figure_sections(figures: Iterable[Figure], citations: Iterable[Citation]) -> list[dict]:
    titles = {c.doc_id: c.title for c in citations}
    fields = [
        {"type": "mrkdwn", "text": truncate(_figure_text(figure, titles), FIELD_TEXT_LIMIT)}
        for figure in figures
    ]
    return [
        {"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]}
        for start in range(0, len(fields), FIELDS_PER_SECTION)
    ]


def _figure_text(figure: Figure, titles: dict[str, str]) -> str:
    value = " ".join(part for part in (figure.value, figure.unit) if part)
    lines = [f"*{escape(figure.name)}*", escape(value)]
    when_where = " · ".join(part for part in (figure.period, figure.area) if part)
    if when_where:
        lines.append(escape(when_where))
    if figure.outcome:
        lines.append(f":dart: _{escape(figure.outcome)}_")
    source = titles.get(figure.doc_id or "", figure.doc_id) or figure.source
    if source:
        lines.append(f"Source: {escape(source)}")
    return "\n".join(lines)


def _citation_context(citation: Citation) -> dict:
    heading = f"*{escape(citation.title)}*"
    if citation.section:
        heading += f" · {escape(citation.section)}"
    quote = " ".join(citation.quote.split())
    text = heading
    if quote:
        text += f"\n“{truncate(escape(quote), QUOTE_LIMIT)}”"
    return _context(truncate(f":page_facing_up: {text}", CONTEXT_TEXT_LIMIT))


def _actions(answer_id: str, escalation: bool) -> dict:
    elements = [
        _button(":thumbsup: Helpful", ACTION_FEEDBACK_UP, answer_id),
        _button(":thumbsdown: Not helpful", ACTION_FEEDBACK_DOWN, answer_id),
    ]
    if escalation:
        elements.append(_button("Need more help", ACTION_ESCALATE, answer_id))
    return {"type": "actions", "block_id": "council_feedback", "elements": elements}


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
