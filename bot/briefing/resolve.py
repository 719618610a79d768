"""Which outcome a user means by "<ambition, outcome or topic>".

Briefings and the commitments look-up call `resolve_named` only: a code ("Ambition 3",
"ambition three", "SO2") or an outcome's exact title names that outcome; anything else is a
topic, answered from the evidence (`evidence`, `topic`).

Lineage timelines ("how has X changed since 2010?") call `resolve_topic`, which goes on: a
fragment of a title ("older people") → that outcome, carried forward to the newest framework
when it is an older one; a theme's keyword (`corpus/themes.yaml`) → the theme's outcome in the
newest framework; else, unless `search=False`, the newest framework's commitment or measure that
best matches the words, then any framework's. Nothing found → an `UnknownTopic` whose message
lists the newest framework's outcomes (the seven ambitions).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.briefing.catalogue import Catalogue
from bot.briefing.errors import UnknownTopic
from bot.briefing.lineage import match_themes, shared_words, successor
from kpi_tools.errors import KpiToolError
from kpi_tools.normalise import name_key
from kpi_tools.results import OutcomeWithMeasures
from kpi_tools.text_search import query_terms

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
_NUMBER = r"(\d{1,2}|" + "|".join(_NUMBERS) + r")"
_AMBITION = re.compile(rf"^(?:the )?ambition ?(?:no\.? |number )?{_NUMBER}$")
_ORDINAL_AMBITION = re.compile(rf"^(?:the )?{_NUMBER} ambition$")
SEARCH_LIMIT = 5
_OBJECTIVE = re.compile(rf"^(?:so ?|strategic objective |objective ){_NUMBER}$")


@dataclass(frozen=True)
class Resolution:
    """The outcome to brief on; `matched` explains the match when it was not a code or title."""

    outcome: OutcomeWithMeasures
    matched: str | None = None


def resolve_topic(catalogue: Catalogue, tools, topic: str, *, search: bool = True) -> Resolution:
    """The outcome meant by `topic`. `search=False` stops before the free-text search of
    commitments and measures (lineage questions: "weather" must not match "weather the effects
    of the economic downturn")."""
    text = " ".join((topic or "").split()).strip(" ?.!")
    if not text:
        raise UnknownTopic(unknown_message(catalogue, None))
    lowered = text.lower()
    by_code = _by_code(catalogue, lowered)
    if by_code is not None:
        return by_code
    key = name_key(text)
    for outcome in reversed(catalogue.all_outcomes()):
        if name_key(outcome.outcome.title) == key:
            return Resolution(outcome)
    for resolution in (_by_fragment(catalogue, text, key), _by_theme(catalogue, text)):
        if resolution is not None:
            return resolution
    if search and (found := _by_search(catalogue, tools, text)) is not None:
        return found
    raise UnknownTopic(unknown_message(catalogue, text))


def resolve_named(catalogue: Catalogue, text: str) -> OutcomeWithMeasures | None:
    """The outcome `text` names by its code ("Ambition 3", "SO2") or its exact title; None
    for anything else (a topic). UnknownTopic for a code no framework has ("Ambition 9")."""
    by_code = _by_code(catalogue, text.lower())
    if by_code is not None:
        return by_code.outcome
    key = name_key(text)
    return next((o for o in reversed(catalogue.all_outcomes()) if name_key(o.outcome.title) == key), None)


def unknown_message(catalogue: Catalogue, text: str | None) -> str:
    newest = catalogue.newest
    outcomes = catalogue.outcomes.get(newest.doc_id, ())
    kind = outcomes[0].outcome.kind + "s" if outcomes else "outcomes"
    opening = (f"I couldn't match “{text}” to an ambition, outcome or topic of the council's strategy."
               if text else "Tell me which ambition, outcome or topic to brief on.")
    lines = [f"{opening} Try one of the {len(outcomes)} {kind} of the {newest.title}, "
             "a 2016 outcome or 2010 objective, or a topic such as flooding:"]
    lines += [f"• {o.outcome.label}" for o in outcomes]
    return "\n".join(lines)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _by_code(catalogue: Catalogue, lowered: str) -> Resolution | None:
    for pattern, prefix in ((_AMBITION, "Ambition "), (_ORDINAL_AMBITION, "Ambition "), (_OBJECTIVE, "SO")):
        match = pattern.match(lowered)
        if match is None:
            continue
        code = f"{prefix}{_number(match.group(1))}"
        found = next((o for o in reversed(catalogue.all_outcomes()) if o.outcome.code == code), None)
        if found is None:
            raise UnknownTopic(unknown_message(catalogue, code))
        return Resolution(found)
    return None


def _carried_forward(catalogue: Catalogue, outcome: OutcomeWithMeasures, how: str, words: str = "") -> Resolution:
    """Brief on `outcome`, or on its successor in the newest framework when it is older (the
    one closest to `words`, the text that matched). `how` says what matched ("“older people”
    matches"); the outcome is named after it."""
    ref = outcome.outcome
    if ref.doc_id == catalogue.newest.doc_id:
        return Resolution(outcome, f"{how} {ref.label}.")
    found = f"{how} the {catalogue.framework(ref.doc_id).short_name} {ref.kind} “{ref.label}”"
    newer = successor(catalogue, outcome, words)
    if newer is None:
        return Resolution(outcome, found + ".")
    return Resolution(newer, f"{found}, carried forward as {newer.outcome.label}.")


def _by_fragment(catalogue: Catalogue, text: str, key: str) -> Resolution | None:
    if len(key) < 3:
        return None
    pattern = re.compile(rf"\b{re.escape(key)}\b")
    matches = [o for o in reversed(catalogue.all_outcomes()) if pattern.search(name_key(o.outcome.title))]
    if not matches:
        return None
    return _carried_forward(catalogue, matches[0], f"“{text}” matches")


def _by_theme(catalogue: Catalogue, text: str) -> Resolution | None:
    """The theme's outcome in the newest framework; where it has two (safeguarding: Ambitions 4
    and 7), the one whose title, commitments and measures share most words with `text`."""
    newest = catalogue.newest.doc_id
    for theme in match_themes(text):
        candidates = [found for step in theme.steps
                      if step.outcome[0] == newest and (found := catalogue.find(step.outcome)) is not None]
        if candidates:
            best = max(candidates, key=lambda outcome: shared_words(catalogue, outcome, text))
            return Resolution(best, f"“{text}” belongs to the theme “{theme.name}”: {best.outcome.label}.")
    return None


def _by_search(catalogue: Catalogue, tools, text: str) -> Resolution | None:
    """A commitment or measure of the newest framework, then of any, that uses enough of the
    words (all of one or two words, two thirds of more): "regulation services" must not match
    "bus services"."""
    terms = query_terms(text)
    if not terms:
        return None
    newest = catalogue.newest.doc_id
    for framework in (newest, None):
        try:
            commitments = tools.find_commitments(text, framework=framework, limit=SEARCH_LIMIT)
            measures = tools.find_measures(text, framework=framework, limit=SEARCH_LIMIT)
        except KpiToolError:
            return None  # e.g. no searchable words at all
        for commitment in commitments:
            outcome = commitment.outcome and catalogue.find((commitment.outcome.doc_id, commitment.outcome.title))
            if outcome is not None and _covers(terms, commitment.text):
                return _carried_forward(catalogue, outcome, f"“{text}” matches the commitment “{commitment.text}” of",
                                        commitment.text)
        for measure in measures:
            outcome = measure.doc_id and measure.primary_outcome and catalogue.find((measure.doc_id,
                                                                                    measure.primary_outcome))
            if outcome and _covers(terms, measure.name):
                return _carried_forward(catalogue, outcome, f"“{text}” matches the measure “{measure.name}” of",
                                        measure.name)
    return None


def _covers(terms, candidate: str) -> bool:
    lowered = candidate.lower()
    found = sum(1 for term in terms if term.pattern().search(lowered))
    return found == len(terms) if len(terms) <= 2 else found * 3 >= len(terms) * 2
