"""Lineage: how one subject was carried through the 2010, 2016, 2021 and 2023 frameworks.

The curated themes (`corpus/themes.yaml`, read by `kpi_tools.mapping`) say which outcome of each framework carries a
subject and quote its words; this module turns them into a dated `Timeline` whose every step is
cited, picks the theme a question is about, and recognises "how has X changed since 2010?".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Citation
from bot.briefing.catalogue import Catalogue
from bot.briefing.model import Timeline, TimelineStep
from kpi_tools.mapping import THEMES, Theme, ThemeStep, themes_of
from kpi_tools.normalise import normalise_text
from kpi_tools.results import OutcomeWithMeasures
from retrieval.terms import expansions, index_terms, salient_terms

_CHANGED = re.compile(
    r"\bhow (?:has|have|did|does|do) (?P<subject>.{3,120}) (?:chang(?:e|ed)|evolv(?:e|ed)|develop(?:ed)?|shift(?:ed)?|"
    r"moved on)(?P<rest>\b.*)$", re.IGNORECASE)
_HISTORY = re.compile(r"\b(?:history|evolution|lineage|timeline) of (?P<subject>.{3,120}?)(?P<rest>(?:\s+(?:since|from|"
                      r"across|over|between)\b.*)?)[?.!]*$", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(?:since|from|after) (?P<year>(?:19|20)\d\d)\b"
    r"|\b(?:across|between|over|through) (?:the |all |its |their |our |four |successive |different )*"
    r"(?:frameworks?|administrations?|strategies|strategy|plans|versions|years|time|decades?|generations?)\b",
    re.IGNORECASE)
# A question about numbers over time is a measure's trend (the KPI answerer's), not a lineage.
_VALUE_WORDS = re.compile(
    r"\b(rates?|figures?|numbers?|values?|levels?|percentages?|per cent|emissions|footprint|count|data|kpis?|"
    r"indicators?|measures?|statistics|how many|how much|budget|spend|spending)\b|%", re.IGNORECASE)


@dataclass(frozen=True)
class LineageQuestion:
    subject: str
    since: int | None


def parse_lineage_question(question: str) -> LineageQuestion | None:
    """The subject and start year of "how has X changed since 2010?" (or "... across the
    frameworks", "history of X since 2016"); None for anything else, including questions about
    a measure's values ("how has the NEET rate changed since 2020?")."""
    text = " ".join((question or "").split())
    match = _CHANGED.search(text) or _HISTORY.search(text)
    if match is None:
        return None
    period = _PERIOD.search(match.group("rest") or "") or _PERIOD.search(match.group("subject"))
    if period is None and match.re is _CHANGED:
        return None
    subject = _PERIOD.sub("", match.group("subject")).strip(" ?.,")
    if not subject or _VALUE_WORDS.search(subject):
        return None
    year = period.group("year") if period is not None else None
    return LineageQuestion(subject, int(year) if year else None)


def match_themes(text: str) -> list[Theme]:
    """Themes whose keywords occur in `text`, best first (a two-word keyword counts twice);
    ties keep the order of `THEMES`."""
    lowered = " " + normalise_text(text).lower().replace("’", "'") + " "
    scored = []
    for position, theme in enumerate(THEMES):
        score = sum(len(keyword.split()) for keyword in theme.keywords
                    if re.search(rf"(?<![a-z]){re.escape(keyword)}(?![a-z])", lowered))
        if score:
            scored.append((-score, position, theme))
    return [theme for _, _, theme in sorted(scored)]


def themes_of_outcome(outcome: OutcomeWithMeasures) -> list[Theme]:
    ref = outcome.outcome
    return themes_of(ref.doc_id, ref.code, ref.title)


def successor(catalogue: Catalogue, outcome: OutcomeWithMeasures, words: str = "") -> OutcomeWithMeasures | None:
    """The outcome of the newest framework that carries this one forward: of its themes' newest
    steps, the one sharing most of `words` with its title, commitments and measures (ties go to
    the first theme)."""
    newest = catalogue.newest.doc_id
    candidates = list({found.outcome.id: found for theme in themes_of_outcome(outcome) for step in theme.steps
                       if step.outcome[0] == newest and (found := catalogue.find(step.outcome)) is not None}.values())
    if not candidates:
        return None
    return max(candidates, key=lambda candidate: shared_words(catalogue, candidate, words))


def shared_words(catalogue: Catalogue, outcome: OutcomeWithMeasures, text: str) -> int:
    """How many of the salient words of `text` the outcome's title, commitments or measures use."""
    commitments = [c.text for c in catalogue.commitments.get(outcome.outcome.id, ())]
    present = set(index_terms(" ".join([outcome.outcome.title, *commitments, *(m.name for m in outcome.measures)])))
    return sum(1 for term in salient_terms(text) if expansions(term) & present)


def theme_timeline(catalogue: Catalogue, theme: Theme, since: int | None = None) -> Timeline:
    return _timeline(catalogue, theme.name, list(theme.steps), since)


def outcome_timeline(catalogue: Catalogue, outcome: OutcomeWithMeasures, since: int | None = None) -> Timeline:
    """The steps of every theme the outcome belongs to, one per outcome, leaving out the other
    outcomes of its own framework (Ambition 7 is no step in the history of Ambition 4)."""
    steps: list[ThemeStep] = []
    seen = set()
    for theme in themes_of_outcome(outcome):
        for step in theme.steps:
            found = catalogue.find(step.outcome)
            if found is None:
                continue
            if found.outcome.doc_id == outcome.outcome.doc_id and found.outcome.id != outcome.outcome.id:
                continue
            if found.outcome.id not in seen:
                seen.add(found.outcome.id)
                steps.append(step)
    return _timeline(catalogue, outcome.outcome.label, steps, since)


def _timeline(catalogue: Catalogue, subject: str, steps: list[ThemeStep], since: int | None) -> Timeline:
    built = []
    for order, step in enumerate(steps):
        outcome = catalogue.find(step.outcome)
        if outcome is None:
            continue  # a framework that is not loaded (e.g. a test database with fewer documents)
        framework = catalogue.framework(outcome.outcome.doc_id)
        citation = Citation(framework.doc_id, framework.title, _section_of(catalogue, outcome, step.quote), step.quote)
        built.append((framework.period_start, order, TimelineStep(
            framework.period_start, framework.short_name, outcome.outcome.label, step.quote, citation)))
    built.sort(key=lambda item: item[:2])
    timeline_steps = [step for _, _, step in built]
    if since is not None:
        # Start from the framework in force in `since` (for "since 2018", the 2016-21 framework).
        starts = [s.year for s in timeline_steps if s.year <= since]
        first = max(starts) if starts else None
        timeline_steps = [s for s in timeline_steps if first is None or s.year >= first]
    used = [catalogue.framework(s.citation.doc_id) for s in timeline_steps]
    return Timeline(subject, tuple(timeline_steps), since, _notes(used))


def _section_of(catalogue: Catalogue, outcome: OutcomeWithMeasures, quote: str) -> str | None:
    """The section the quoted words sit in: a commitment's, else the outcome's own."""
    wanted = normalise_text(quote)
    for commitment in catalogue.commitments.get(outcome.outcome.id, ()):
        if wanted in commitment.quote and commitment.section:
            return commitment.section
    return outcome.section


def _notes(frameworks) -> tuple[str, ...]:
    notes = []
    unique = list(dict.fromkeys(frameworks))
    drafts = [f.short_name.removesuffix(" (draft)") for f in unique if f.status == "draft"]
    if drafts:
        verb = "is a draft" if len(drafts) == 1 else "are drafts"
        notes.append(f"The {' and the '.join(drafts)} {verb}, as published.")
    for framework in unique:
        if framework.status == "later-edition":
            notes.append(f"The {framework.short_name} is quoted from its later edition, which replaced the draft.")
    return tuple(notes)
