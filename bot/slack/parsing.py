"""Read what a user typed: clean Slack markup and recognise the few keywords the bot knows.

The same words work in a mention, a DM and the slash command:

    help                       what the assistant knows and how to ask
    kpi <name or code>         describe a measure (`AnswerEngine.describe_measure`)
    brief <ambition or topic>  a committee briefing (slash command only: `/council brief Ambition 3`)
    privately <anything above> answer only to the asker; `private:` works too, and in the
                               slash command a bare `private` (`/council private <question>`)
    admin <...>                channel settings (slash command only, admins only)
    anything else              a question for `AnswerEngine.answer`

Before the engine sees a question, `clean_question` turns Slack's markup into the words a
person reads: mentions (labelled or not) and `@here` are dropped, a channel link becomes its
name, a link its label (a bare URL is dropped), emoji codes and `*bold*`/`_italic_`/`~strike~`/
`` `code` `` markers go, and `&amp;` etc. are unescaped. The text as typed is kept on
`ParsedRequest.original` for the audit log.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_LINK = re.compile(r"<((?:https?|mailto|tel):[^>|]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(subteam\^[A-Z0-9]+|here|channel|everyone|date\^[^>|]*)(?:\|([^>]*))?>")
_EMOJI = re.compile(r":(?=[a-z0-9_+'-]*[a-z+])[a-z0-9_+'-]+:(?::skin-tone-\d:)?", re.IGNORECASE)
_CODE = re.compile(r"`+")
_QUOTE_MARK = re.compile(r"^\s*>+\s?", re.MULTILINE)
_FORMAT = re.compile(r"(?<![\w*_~])([*_~]+)(?=\S)(.+?)(?<=\S)\1(?![\w*_~])", re.DOTALL)
_SPACE_BEFORE_MARK = re.compile(r"\s+([?!.,;:](?:\s|$))")
_PRIVATELY = re.compile(r"^(?:privately\b[:,]?|private:)\s*", re.IGNORECASE)
_PRIVATE_BARE = re.compile(r"^(?:privately\b[:,]?|private\b[:,]?)\s*", re.IGNORECASE)
_LEADING_USER = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")

KINDS = ("question", "kpi", "brief", "help", "admin")


@dataclass(frozen=True)
class ParsedRequest:
    """What the user asked. `text` is cleaned for the engine; `original` is the message as
    typed (Slack markup included), which the audit log records."""

    kind: str
    text: str
    private: bool = False
    original: str = field(default="", compare=False)


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    """Remove mentions of the bot itself (a user may put one anywhere in the message)."""
    if not bot_user_id:
        return text
    return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)


def mentions_user(text: str, user_id: str | None) -> bool:
    return bool(user_id) and bool(re.search(rf"<@{re.escape(user_id)}(?:\||>)", text or ""))


def addressed_to_someone_else(text: str, bot_user_id: str | None) -> bool:
    """True when a message opens by mentioning someone other than the bot ("<@U7> can you…")
    and never mentions the bot: it is meant for that person, not for us."""
    match = _LEADING_USER.match(text or "")
    return bool(match) and match.group(1) != bot_user_id and not mentions_user(text, bot_user_id)


def plain_text(text: str) -> str:
    """Slack message markup as the plain words a person sees: links become their label (or
    URL), channel and user references their name (or id), and `&amp;` etc. are unescaped."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return " ".join(html.unescape(text).split())


def clean_question(text: str) -> str:
    """The words of a question without Slack markup (see the module docstring)."""
    text = _QUOTE_MARK.sub("", (text or "").replace("&gt;", ">"))
    text = _LINK.sub(lambda m: f" {m.group(2)} " if m.group(2) else " ", text)
    text = _CHANNEL.sub(lambda m: f" {m.group(2) or ''} ", text)
    text = _USER.sub(" ", text)
    text = _SPECIAL.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = _CODE.sub("", text)
    text = _FORMAT.sub(r"\2", text)
    text = _SPACE_BEFORE_MARK.sub(r"\1", " ".join(html.unescape(text).split()))
    return text.strip(" ,;:–—")


def parse_request(
    text: str, bot_user_id: str | None = None, *, slash_command: bool = False
) -> ParsedRequest:
    """Classify a mention, DM or slash-command text (see the module docstring).

    A bare leading "private" is the keyword only in the slash command; in a message it is
    more likely the start of a question ("Private sector partners in 2016?").
    """
    original = text or ""
    words = clean_question(strip_bot_mention(original, bot_user_id))
    private = False
    match = (_PRIVATE_BARE if slash_command else _PRIVATELY).match(words)
    if match:
        private = True
        words = words[match.end():]
    head, _, rest = words.partition(" ")
    keyword = head.lower().rstrip(":")
    if not words or keyword in ("help", "?"):
        return ParsedRequest("help", "", private, original)
    if keyword in ("kpi", "measure"):
        return ParsedRequest("kpi" if rest.strip() else "help", rest.strip(), private, original)
    if slash_command and keyword in ("brief", "briefing"):
        # Only the slash command: in a message, "Brief history of ..." is a question.
        return ParsedRequest("brief", rest.strip(), private, original)
    if keyword == "admin":
        # Admin arguments keep their Slack markup: they name users and groups.
        raw = original.strip()
        raw = raw[raw.lower().find("admin") + len("admin"):].strip()
        return ParsedRequest("admin", raw, private, original)
    return ParsedRequest("question", words, private, original)
