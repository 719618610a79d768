"""Read what a user typed: strip Slack markup and recognise the few keywords the bot knows.

The same words work in a mention, a DM and the slash command:

    help                       what the assistant knows and how to ask
    kpi <name or code>         describe a measure (`AnswerEngine.describe_measure`)
    brief <ambition or topic>  a committee briefing (slash command only: `/council brief Ambition 3`)
    privately <anything above> answer only to the asker; `private:` works too, and in the
                               slash command a bare `private` (`/council private <question>`)
    admin <...>                channel settings (slash command only, admins only)
    anything else              a question for `AnswerEngine.answer`
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

_LINK = re.compile(r"<(https?://[^>|]+|mailto:[^>|]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+|G[A-Z0-9]+)(?:\|([^>]*))?>")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(subteam\^[A-Z0-9]+|here|channel|everyone)(?:\|([^>]*))?>")
_PRIVATELY = re.compile(r"^(?:privately\b[:,]?|private:)\s*", re.IGNORECASE)
_PRIVATE_BARE = re.compile(r"^(?:privately\b[:,]?|private\b[:,]?)\s*", re.IGNORECASE)

KINDS = ("question", "kpi", "brief", "help", "admin")


@dataclass(frozen=True)
class ParsedRequest:
    kind: str
    text: str
    private: bool = False


def strip_bot_mention(text: str, bot_user_id: str | None) -> str:
    """Remove mentions of the bot itself (a user may put one anywhere in the message)."""
    if not bot_user_id:
        return text
    return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)


def mentions_user(text: str, user_id: str | None) -> bool:
    return bool(user_id) and bool(re.search(rf"<@{re.escape(user_id)}(?:\||>)", text or ""))


def plain_text(text: str) -> str:
    """Slack message markup as the plain words a person sees: links become their label (or
    URL), channel and user references their name (or id), and `&amp;` etc. are unescaped."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return " ".join(html.unescape(text).split())


def parse_request(
    text: str, bot_user_id: str | None = None, *, slash_command: bool = False
) -> ParsedRequest:
    """Classify a mention, DM or slash-command text (see the module docstring).

    A bare leading "private" is the keyword only in the slash command; in a message it is
    more likely the start of a question ("Private sector partners in 2016?").
    """
    words = plain_text(strip_bot_mention(text or "", bot_user_id))
    private = False
    match = (_PRIVATE_BARE if slash_command else _PRIVATELY).match(words)
    if match:
        private = True
        words = words[match.end():]
    head, _, rest = words.partition(" ")
    keyword = head.lower().rstrip(":")
    if not words or keyword in ("help", "?"):
        return ParsedRequest("help", "", private)
    if keyword in ("kpi", "measure"):
        return ParsedRequest("kpi", rest.strip(), private) if rest.strip() else ParsedRequest("help", "", private)
    if slash_command and keyword in ("brief", "briefing"):
        # Only the slash command: in a message, "Brief history of ..." is a question.
        return ParsedRequest("brief", rest.strip(), private)
    if keyword == "admin":
        # Admin arguments keep their Slack markup: they name users and groups.
        raw = (text or "").strip()
        raw = raw[raw.lower().find("admin") + len("admin"):].strip()
        return ParsedRequest("admin", raw, private)
    return ParsedRequest("question", words, private)
