"""The commitments look-up: "what has the council committed to on X, now?" in a few lines a
contact-centre officer can read aloud.

Current commitments first (the newest framework), then each earlier framework's under a
heading that says which framework replaced it. Each line: the commitment, its document and its
ambition (code, or title where the framework numbers none). "Tracked by" only when asked. A
topic the newest framework makes no commitment on says so and names its nearest ambition.

`look_up_commitments` returns plain values; `commitments_lines` renders them as text (the CLI,
and `Answer.text`); `bot.slack.commitments_render` renders them as Block Kit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Citation
from bot.briefing.catalogue import Catalogue, FrameworkInfo
from bot.briefing.evidence import Evidence
from kpi_tools.results import CommitmentResult, OutcomeRef

MAX_CURRENT = 8
MAX_EARLIER = 6
TEXT_LIMIT = 2900  # characters: one Slack section (3,000, with room for its markup), read aloud in two minutes


@dataclass(frozen=True)
class CommitmentLine:
    text: str
    framework: str  # short name: "2023-28 Strategic Framework (draft)"
    outcome: str | None  # "Ambition 2", or a title where the framework has no codes
    citation: Citation
    tracked_by: tuple[str, ...] = ()

    def line(self, *, tracked: bool = False) -> str:
        where = self.framework + (f", {self.outcome}" if self.outcome else "")
        text = f"• {self.text.rstrip('.')} — {where}"
        if tracked:
            text += "; tracked by: " + ("; ".join(self.tracked_by) if self.tracked_by else "no measure on this subject")
        return text


@dataclass(frozen=True)
class CommitmentGroup:
    heading: str  # "Current — 2023-28 Strategic Framework (draft):"
    current: bool
    lines: tuple[CommitmentLine, ...]
    omitted: int = 0


@dataclass(frozen=True)
class CommitmentsLookup:
    topic: str
    groups: tuple[CommitmentGroup, ...]
    opening: str  # "Commitments on “bus services”:" or what is missing, with the nearest ambition
    outcomes: tuple[str, ...] = ()  # "Ambition 2: Travel across ..." for each code used
    tracked: bool = False

    @property
    def lines(self) -> tuple[CommitmentLine, ...]:
        return tuple(line for group in self.groups for line in group.lines)


def look_up_commitments(catalogue: Catalogue, evidence: Evidence, nearest: OutcomeRef | None, *,
                        tracked: bool = False) -> CommitmentsLookup:
    """Group the evidence's commitments by framework, newest first, within the limits."""
    topic = evidence.topic
    newest = catalogue.newest
    by_doc: dict[str, list[CommitmentResult]] = {}
    for _, commitment in evidence.commitments:
        by_doc.setdefault(commitment.doc_id, []).append(commitment)
    groups, codes = [], {}
    for position, framework in reversed(list(enumerate(catalogue.frameworks))):
        found = by_doc.get(framework.doc_id, [])
        if not found:
            continue
        current = framework.doc_id == newest.doc_id
        limit = MAX_CURRENT if current else MAX_EARLIER
        lines = tuple(_line(framework, c, codes) for c in found[:limit])
        groups.append(CommitmentGroup(_heading(catalogue, position, framework, current), current, lines,
                                      max(0, len(found) - limit)))
    opening = _opening(catalogue, topic, groups, nearest)
    lookup = CommitmentsLookup(topic, tuple(groups), opening, tuple(codes.values()), tracked)
    return _within_limit(lookup)


def _heading(catalogue: Catalogue, position: int, framework: FrameworkInfo, current: bool) -> str:
    if current:
        return f"Current — {framework.short_name}:"
    later = catalogue.frameworks[position + 1]
    return f"Earlier — {framework.short_name}, replaced by the {later.short_name}:"


def _line(framework: FrameworkInfo, commitment: CommitmentResult, codes: dict) -> CommitmentLine:
    outcome = commitment.outcome
    if outcome is not None and outcome.code:
        codes.setdefault(outcome.label, f"{outcome.label}.")
        name = outcome.code
    elif outcome is not None:
        name = f"{outcome.kind} “{outcome.title}”"
    else:
        name = commitment.kind if commitment.kind == "key principle" else None
    citation = Citation(commitment.doc_id, commitment.doc_title, commitment.section, commitment.quote)
    return CommitmentLine(_sentence(commitment.text), framework.short_name, name, citation,
                          tuple(m.name for m in commitment.tracked_by))


def _sentence(text: str) -> str:
    return " ".join(text.split())


def _opening(catalogue: Catalogue, topic: str, groups: list[CommitmentGroup], nearest: OutcomeRef | None) -> str:
    newest = catalogue.newest.short_name
    near = f" The nearest ambition is {nearest.label}." if nearest is not None else ""
    if not groups:
        return f"None of the council's frameworks makes a commitment on “{topic}”.{near}"
    if not groups[0].current:
        return f"The {newest} makes no commitment on “{topic}”.{near} Earlier frameworks did:"
    return f"Commitments on “{topic}”:"


def commitments_lines(lookup: CommitmentsLookup) -> list[str]:
    lines = [lookup.opening]
    for group in lookup.groups:
        lines.append(group.heading)
        lines.extend(line.line(tracked=lookup.tracked) for line in group.lines)
        if group.omitted:
            lines.append(f"• … and {group.omitted} more from this framework")
    lines.extend(lookup.outcomes)
    return lines


def commitments_text(lookup: CommitmentsLookup) -> str:
    return "\n".join(commitments_lines(lookup))


def _within_limit(lookup: CommitmentsLookup) -> CommitmentsLookup:
    """Drop lines from the oldest group first (then the current one's last) until the text fits
    TEXT_LIMIT, counting what was dropped in the group's `omitted`."""
    groups = list(lookup.groups)
    while len(commitments_text(_with(lookup, groups))) > TEXT_LIMIT:
        index = next((i for i in range(len(groups) - 1, -1, -1) if len(groups[i].lines) > 1), None)
        if index is None:
            break
        group = groups[index]
        groups[index] = CommitmentGroup(group.heading, group.current, group.lines[:-1], group.omitted + 1)
    return _with(lookup, groups)


def _with(lookup: CommitmentsLookup, groups) -> CommitmentsLookup:
    used = {line.outcome for group in groups for line in group.lines}
    outcomes = tuple(label for label in lookup.outcomes if label.split(":", 1)[0] in used)
    return CommitmentsLookup(lookup.topic, tuple(groups), lookup.opening, outcomes, lookup.tracked)


# -- Recognising a request for the look-up ------------------------------------------------------

_REQUEST = re.compile(
    r"^(?:please\s+)?(?:"
    r"(?:list|show(?: me)?|give me|find|look up)\s+(?:the\s+)?(?:council'?s\s+)?commitments?\b"
    r"|(?:the\s+)?(?:council'?s\s+)?commitments?\b"
    r"|what\s+(?:are|were)\s+(?:the\s+)?(?:council'?s\s+)?commitments?\b"
    r"|what\s+(?:has|have|did)\s+(?:the\s+)?council\s+(?:committed|commit|promised|promise)\b(?:\s+to)?"
    r")\s*(?:(?:on|about|for|to|regarding|around|in|under|of|re:?)\s+|:\s*|-\s*)?(?P<topic>.+)$",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"(?:\s+(?:now|currently|at the moment|today))?\s*[?.!]*\s*$", re.IGNORECASE)


def parse_commitments_request(text: str | None) -> str | None:
    """The topic of "commitments on flooding", "commitments bus services", "what has the
    council committed to on potholes?"; None for anything else (including a bare
    "commitments"). Plain text in, as the Slack adapter's parser leaves it."""
    words = " ".join((text or "").split())
    match = _REQUEST.match(words)
    if match is None:
        return None
    topic = _TRAILING.sub("", match.group("topic")).strip(" :,-“”\"'")
    topic = re.sub(r"^(?:the\s+)?(?:topic\s+of\s+)", "", topic, flags=re.IGNORECASE)
    return topic or None


_FULL = re.compile(r"\s+(?:--full|full|in full)\s*$", re.IGNORECASE)


def parse_brief_request(text: str | None) -> tuple[str, bool]:
    """The topic of "/council brief <topic>" and whether the whole briefing was asked for
    ("... --full", "... full", "... in full")."""
    words = " ".join((text or "").split())
    match = _FULL.search(words)
    return (words[: match.start()], True) if match else (words, False)
