"""Turn an `Answer` into one Slack message: pure functions, tested by comparing whole block lists.

The message leads with the answer. Top to bottom:

1. the answer sentence (`Answer.headline`) as the first section;
2. any later paragraph of the text that is neither a supporting quote nor a note (a list,
   a measure's description), split into sections of at most 3,000 characters;
3. figures the text does not already state, as section fields (10 to a section, 2,000
   characters each); a figure without a value is not shown;
4. a divider and the supporting quotes, once each, with their source (one context line per
   citation: "*title* · section" and the quote); a document a user added (status `added`)
   is marked as such and quoted only as "an added document says …";
5. each note once (":warning: …");
6. the buttons: 👍 / 👎 (the vote shows once cast), "Need more help" where the channel has
   contacts, "Share in channel" for an answer only the asker sees.

The notification text (`fallback_text`) is the answer sentence. A message holds at most 50
blocks; when an answer would need more, the last quotes and figures give way to a one-line
notice. Every piece of document or engine text passes through `escape` (`&`, `<`, `>`), so a
quote such as "<5% & rising" can never become a mention or a link.
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
HEADER_TEXT_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
QUOTE_LIMIT = 280
FALLBACK_TEXT_LIMIT = 3000
STREAM_TEXT_LIMIT = 12000  # chat.appendStream's markdown_text

ACTION_FEEDBACK_UP = "council_feedback_up"
ACTION_FEEDBACK_DOWN = "council_feedback_down"
ACTION_ESCALATE = "council_escalate"
ACTION_SHARE = "council_share"
FEEDBACK_BLOCK_ID = "council_feedback"
ADDED_STATUS = "added"

ELLIPSIS = "…"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_NOTE_LINE = re.compile(r"^\s*(?::warning:\s*)?\**note\**:\**\s", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
MIN_QUOTE_WORDS = 4  # a quote shorter than this is not looked for in the text


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
    """The plain `text` of the message (notifications, screen readers): the answer sentence."""
    return truncate(escape(answer.headline or answer.text.strip()) or "(no answer)", FALLBACK_TEXT_LIMIT)


def render_blocks(
    answer: Answer,
    *,
    answer_id: str | None = None,
    escalation: bool = False,
    share: bool = False,
    vote: str | None = None,
    preface: str | None = None,
) -> list[dict]:
    """Block Kit blocks for `answer`, at most 50 (see the module docstring for the layout).

    With `answer_id`, a final actions block carries the buttons, whose value is that id:
    👍 / 👎 (with `vote` "up" or "down" the chosen one is marked), "Need more help" when
    `escalation`, "Share in channel" when `share` (a private answer). `preface` (mrkdwn,
    not escaped: the caller's own sentence) opens the message as a context line.
    """
    headline, body = answer_paragraphs(answer)
    body_blocks: list[dict] = [_section(chunk) for chunk in split_text(mrkdwn(headline))] or [_section("(no answer)")]
    body_blocks.extend(_section(chunk) for chunk in split_text(mrkdwn("\n\n".join(body))))
    body_blocks.extend(_figure_sections(unstated_figures(answer), answer.citations))
    citations = list(dict.fromkeys(answer.citations))
    if citations:
        said = _squash(headline)
        body_blocks.append({"type": "divider"})
        body_blocks.extend(_citation_context(citation, quote=not _quoted_in(citation, said)) for citation in citations)
    body_blocks.extend(_section(truncate(f":warning: *Note:* {mrkdwn(note)}", SECTION_TEXT_LIMIT))
                       for note in dict.fromkeys(answer.notes))

    tail = [actions_block(answer_id, escalation=escalation, share=share, vote=vote)] if answer_id else []
    head = [_context(truncate(preface, CONTEXT_TEXT_LIMIT))] if preface else []
    budget = MAX_BLOCKS - len(tail) - len(head)
    if len(body_blocks) > budget:
        hidden = len(body_blocks) - (budget - 1)
        body_blocks = body_blocks[: budget - 1]
        body_blocks.append(_context(f"_{hidden} more part{'s' if hidden != 1 else ''} of this answer "
                                    "(figures or sources) did not fit in one Slack message._"))
    return head + body_blocks + tail


def render_stream(answer: Answer, *, answer_id: str | None = None) -> tuple[list[str], list[dict]]:
    """The same message for Slack's chat streaming (`chat.startStream` / `appendStream` /
    `stopStream`): the answer sentence and later paragraphs as Markdown pieces, streamed in
    that order, and the blocks that close the stream (figures, quotes, notes, buttons)."""
    headline, body = answer_paragraphs(answer)
    parts = [truncate(escape(part), STREAM_TEXT_LIMIT) for part in [headline or "(no answer)", *body]]
    blocks = render_blocks(answer, answer_id=answer_id)
    text_blocks = max(1, len(split_text(mrkdwn(headline))))
    if body:
        text_blocks += len(split_text(mrkdwn("\n\n".join(body))))
    return parts, blocks[text_blocks:]


def answer_paragraphs(answer: Answer) -> tuple[str, list[str]]:
    """The answer sentence, and the later paragraphs worth showing: lines that repeat a note
    or a citation's quote are left out (the quotes and notes have their own blocks)."""
    paragraphs = [p.strip() for p in answer.text.strip().split("\n\n") if p.strip()]
    if not paragraphs:
        return "", []
    quotes = [_squash(c.quote) for c in answer.citations if len(_squash(c.quote).split()) >= MIN_QUOTE_WORDS]
    notes = {_squash(n) for n in answer.notes}

    def shown(line: str) -> bool:
        squashed = _squash(line)
        return bool(squashed) and not (
            _NOTE_LINE.match(line) or squashed in notes or any(quote in squashed for quote in quotes)
        )

    first, *rest_of_first = paragraphs[0].split("\n")
    headline = "\n".join([first, *(line for line in rest_of_first if shown(line))])
    body = []
    for paragraph in paragraphs[1:]:
        kept = [line for line in paragraph.split("\n") if shown(line)]
        if kept:
            body.append("\n".join(kept))
    return headline, body


def unstated_figures(answer: Answer) -> list[Figure]:
    """Figures worth a field: with a value, and not already stated in the answer text."""
    text = answer.text
    return [f for f in dict.fromkeys(answer.figures) if f.value and f.value.strip() and f.value not in text]


def actions_block(answer_id: str, *, escalation: bool = False, share: bool = False, vote: str | None = None) -> dict:
    """The buttons under an answer; `vote` ("up"/"down") marks the one chosen."""
    elements = [
        _button(":white_check_mark: Helpful" if vote == "up" else ":thumbsup: Helpful",
                ACTION_FEEDBACK_UP, answer_id, primary=vote == "up"),
        _button(":white_check_mark: Not helpful" if vote == "down" else ":thumbsdown: Not helpful",
                ACTION_FEEDBACK_DOWN, answer_id, primary=vote == "down"),
    ]
    if escalation:
        elements.append(_button("Need more help", ACTION_ESCALATE, answer_id))
    if share:
        elements.append(_button("Share in channel", ACTION_SHARE, answer_id))
    return {"type": "actions", "block_id": FEEDBACK_BLOCK_ID, "elements": elements}


def with_vote(blocks: list[dict], vote: str) -> list[dict] | None:
    """`blocks` (a posted answer, as Slack returns it in an action's payload) with its buttons
    showing `vote`; None when the blocks hold no answer buttons."""
    updated, found = [], False
    for block in blocks:
        if block.get("type") == "actions" and block.get("block_id") == FEEDBACK_BLOCK_ID:
            ids = [e.get("action_id") for e in block.get("elements", [])]
            value = next((e.get("value") for e in block.get("elements", []) if e.get("value")), None)
            if value is None:
                return None
            block = actions_block(value, escalation=ACTION_ESCALATE in ids, share=ACTION_SHARE in ids, vote=vote)
            found = True
        updated.append(block)
    return updated if found else None


def without_share(blocks: list[dict]) -> list[dict]:
    """`blocks` with the "Share in channel" button removed (the shared copy must not offer it)."""
    result = []
    for block in blocks:
        if block.get("type") == "actions" and block.get("block_id") == FEEDBACK_BLOCK_ID:
            block = {**block, "elements": [e for e in block["elements"] if e.get("action_id") != ACTION_SHARE]}
        result.append(block)
    return result


def _quoted_in(citation: Citation, squashed_text: str) -> bool:
    """True when the answer sentence already quotes the citation in full."""
    quote = _squash(citation.quote)
    return len(quote.split()) >= MIN_QUOTE_WORDS and quote in squashed_text


def _squash(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


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
    lines = [f"*{escape(figure.name)}*" if figure.name else "", escape(value)]
    when_where = " · ".join(part for part in (figure.period, figure.area) if part)
    if when_where:
        lines.append(escape(when_where))
    if figure.outcome:
        lines.append(f":dart: _{escape(figure.outcome)}_")
    source = titles.get(figure.doc_id or "") or figure.source  # a title, never a bare document id
    if source:
        lines.append(f"Source: {escape(source)}")
    return "\n".join(line for line in lines if line) or ELLIPSIS


def _citation_context(citation: Citation, *, quote: bool = True) -> dict:
    """One source line: "*title* · section" and the quote (left out when the answer sentence
    already quotes it, so no passage is shown twice)."""
    heading = f"*{escape(citation.title)}*" if citation.title.strip() else "*(untitled)*"
    if citation.section:
        heading += f" · {escape(citation.section)}"
    quote = truncate(escape(" ".join(citation.quote.split())), QUOTE_LIMIT) if quote else ""
    if citation.status == ADDED_STATUS:
        added = " ".join(part for part in (
            f"by {escape(citation.added_by)}" if citation.added_by else "",
            f"on {escape(citation.added_at[:10])}" if citation.added_at else "",
        ) if part)
        heading += f" · _added document{', added ' + added if added else ''}_"
        text = heading + (f"\nAn added document says “{quote}”" if quote else "")
    else:
        text = heading + (f"\n“{quote}”" if quote else "")
    return _context(truncate(f":page_facing_up: {text}", CONTEXT_TEXT_LIMIT))


def _button(label: str, action_id: str, value: str, *, primary: bool = False) -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if primary:
        button["style"] = "primary"
    return button
