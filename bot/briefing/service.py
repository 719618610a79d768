"""`Briefings`: the one object the CLI, the Slack adapter and the answer engine call.

    briefings = Briefings(KpiTools(engine))
    briefings.brief("Ambition 3")            -> Briefing       (UnknownTopic if nothing matches)
    briefings.timeline("children", 2010)     -> Timeline       (UnknownTopic if nothing matches)
    briefings.answer_lineage("How has support for older people changed since 2010?") -> Answer | None

The frameworks and outcomes are read once and kept (they change only when the corpus is
re-seeded, at start-up); measures' values are read on every briefing, so a fresh import shows.
"""
from __future__ import annotations

import re

import threading

from bot.answer import Answer
from bot.briefing.answers import briefing_answer, timeline_answer
from bot.briefing.build import build_briefing
from bot.briefing.catalogue import Catalogue, load_catalogue
from bot.briefing.errors import UnknownTopic
from bot.briefing.lineage import match_themes, outcome_timeline, parse_lineage_question, theme_timeline
from bot.briefing.model import Briefing, Timeline
from bot.briefing.resolve import resolve_topic


_ABOUT_CODE = re.compile(
    r"^\s*(?:tell me about|brief me on|give me a briefing on|summari[sz]e|what is|what's|describe|explain)\s+"
    r"(?:the\s+)?(?P<code>(?:ambition|strategic objective|so)\s*(?:\d|one|two|three|four|five|six|seven))\s*[?.!]?\s*$",
    re.IGNORECASE,
)


class Briefings:
    def __init__(self, tools):
        self._tools = tools
        self._catalogue: Catalogue | None = None
        self._lock = threading.Lock()

    @property
    def catalogue(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None:
                self._catalogue = load_catalogue(self._tools)
            return self._catalogue

    def brief(self, topic: str) -> Briefing:
        """A one-screen briefing on the ambition, outcome or topic named by `topic`."""
        catalogue = self.catalogue
        return build_briefing(self._tools, catalogue, resolve_topic(catalogue, self._tools, topic), topic)

    def timeline(self, subject: str, since: int | None = None) -> Timeline:
        """How a theme ("children", "flooding") or an outcome ("Ambition 4", "SO2") was carried
        through the frameworks, oldest first, starting with the framework in force in `since`."""
        catalogue = self.catalogue
        themes = match_themes(subject)
        if themes:
            return theme_timeline(catalogue, themes[0], since)
        outcome = resolve_topic(catalogue, self._tools, subject, search=False).outcome
        return outcome_timeline(catalogue, outcome, since)

    def answer_about(self, question: str) -> Answer | None:
        """"Tell me about Ambition 3" / "What is SO2?": the briefing on that numbered ambition or
        objective. Only explicit codes: a topic ("tell me about flooding") is left to search."""
        match = _ABOUT_CODE.match(question)
        if match is None:
            return None
        try:
            return briefing_answer(self.brief(match.group("code")), question)
        except UnknownTopic:
            return None

    def answer_lineage(self, question: str) -> Answer | None:
        """A dated, cited timeline for "how has X changed since 2010?" (and "... across the
        frameworks"); None when the question is not of that kind or X is no known theme or
        outcome, so the caller can answer it another way."""
        asked = parse_lineage_question(question)
        if asked is None:
            return None
        try:
            timeline = self.timeline(asked.subject, asked.since)
        except UnknownTopic:
            return None
        if not timeline.steps:
            return None
        return timeline_answer(question, timeline)
