"""`Briefings`: the one object the CLI, the Slack adapter and the answer engine call.

    briefings = Briefings(KpiTools(engine))
    briefings.brief("Ambition 3")            -> Briefing       (UnknownTopic if nothing matches)
    briefings.brief("broadband")             -> Briefing built from what the records say about it
    briefings.commitments("bus services")    -> CommitmentsLookup (current first, earlier marked)
    briefings.answer_commitments("commitments on flooding") -> Answer | None
    briefings.timeline("children", 2010)     -> Timeline       (UnknownTopic if nothing matches)
    briefings.answer_lineage("How has support for older people changed since 2010?") -> Answer | None

The frameworks, outcomes and records (commitments, measures, figures) are read once and kept
(they change only when the corpus is re-seeded, at start-up); measures' values are read on every
briefing, so a fresh import shows.
"""
from __future__ import annotations

import re
import threading

from bot.answer import Answer
from bot.briefing.answers import briefing_answer, commitments_answer, timeline_answer
from bot.briefing.build import build_briefing
from bot.briefing.catalogue import Catalogue, load_catalogue
from bot.briefing.commitments import CommitmentsLookup, look_up_commitments, parse_commitments_request
from bot.briefing.errors import UnknownTopic
from bot.briefing.evidence import Evidence, Records, find_evidence, nearest_ambition, outcome_evidence
from bot.briefing.lineage import match_themes, outcome_timeline, parse_lineage_question, theme_timeline
from bot.briefing.model import Briefing, Timeline
from bot.briefing.resolve import resolve_named, resolve_topic, unknown_message
from bot.briefing.topic import build_topic_briefing
from kpi_tools.text_search import query_terms


_ABOUT_CODE = re.compile(
    r"^\s*(?:tell me about|brief me on|give me a briefing on|summari[sz]e|what is|what's|describe|explain)\s+"
    r"(?:the\s+)?(?P<code>(?:ambition|strategic objective|so)\s*(?:\d|one|two|three|four|five|six|seven))\s*[?.!]?\s*$",
    re.IGNORECASE,
)


class Briefings:
    def __init__(self, tools):
        self._tools = tools
        self._catalogue: Catalogue | None = None
        self._records: Records | None = None
        self._lock = threading.Lock()

    @property
    def catalogue(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None:
                self._catalogue = load_catalogue(self._tools)
            return self._catalogue

    @property
    def records(self) -> Records:
        catalogue = self.catalogue
        with self._lock:
            if self._records is None:
                self._records = Records.load(self._tools, catalogue)
            return self._records

    def evidence(self, topic: str) -> Evidence:
        """What the records say about `topic`; for an outcome's code or exact title ("Ambition
        2", "SO3"), everything under that outcome. UnknownTopic when the words are empty."""
        text, named = self._read_topic(topic)
        if named is not None:
            return outcome_evidence(self.records, named, text)
        return find_evidence(self.records, self.catalogue, text)

    def _read_topic(self, topic: str):
        """The topic's words, and the outcome it names by code or title (None for a plain topic);
        UnknownTopic when no word is left."""
        text = " ".join((topic or "").split()).strip(" ?.!")
        if not query_terms(text):
            raise UnknownTopic(unknown_message(self.catalogue, None))
        return text, resolve_named(self.catalogue, text)

    def commitments(self, topic: str, *, tracked: bool = False) -> CommitmentsLookup:
        """The commitments look-up on `topic`: current first, earlier ones marked with what
        replaced them; `tracked` adds each commitment's measures on the same subject."""
        evidence = self.evidence(topic)
        return look_up_commitments(self.catalogue, evidence, nearest_ambition(self.catalogue, evidence),
                                   tracked=tracked)

    def answer_commitments(self, question: str, *, tracked: bool = False) -> Answer | None:
        """The look-up as an `Answer` for "commitments on X" (None for any other question)."""
        topic = parse_commitments_request(question)
        if topic is None:
            return None
        try:
            return commitments_answer(self.commitments(topic, tracked=tracked), question)
        except UnknownTopic:
            return None

    def brief(self, topic: str) -> Briefing:
        """A briefing on the ambition or outcome named by `topic` (its code or title), or on
        the topic as the records speak of it; its headline block fits one screen."""
        catalogue = self.catalogue
        text, named = self._read_topic(topic)
        if named is not None:
            return build_briefing(self._tools, catalogue, named, topic)
        evidence = find_evidence(self.records, catalogue, text)
        if evidence.empty:
            raise UnknownTopic(unknown_message(catalogue, text))
        return build_topic_briefing(self._tools, catalogue, evidence)

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
