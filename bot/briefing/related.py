"""Measures of earlier frameworks that track what an outcome tracks.

Only outcomes that `kpi_tools.mapping` (`corpus/outcome_links.yaml`) links to this one are searched. A measure there counts
as related when the link's evidence quotes it ("'BCF 2A PART 2 - Admissions to residential
and nursing care homes (aged 65+)' is a 2016-21 KPI"), or when its name shares two telling
words with one of this outcome's own measures ("killed", "seriously", "injured").
"""
from __future__ import annotations

import re

from bot.briefing.catalogue import Catalogue
from kpi_tools import mapping
from kpi_tools.normalise import name_key
from kpi_tools.results import MeasureRef, OutcomeWithMeasures
from retrieval.terms import salient_terms, stem

_QUOTED = re.compile(r"'([^']{8,})'")
# Words that name many measures and so say little about which: "monitoring the number of ...".
_LOW_INFORMATION = frozenset(stem(word) for word in (
    "monitoring", "measuring", "assessing", "number", "numbers", "percentage", "proportion", "people", "rate",
    "tracking", "reduction", "reducing", "increase", "increasing", "improving", "total", "new", "more", "fewer",
    "progress", "ensuring", "care", "social", "services", "service", "children", "adults", "level", "take",
    "work", "good", "local", "community", "quality", "life",
))
MIN_SHARED_WORDS = 2


def related_earlier_measures(catalogue: Catalogue, outcome: OutcomeWithMeasures) -> list[MeasureRef]:
    ref = outcome.outcome
    start = catalogue.framework(ref.doc_id).period_start
    own = [_telling_words(m.name) for m in outcome.measures]
    found: dict[int, MeasureRef] = {}
    for link, other in mapping.links_of(ref.doc_id, ref.code, ref.title):
        earlier = catalogue.find(other)
        if earlier is None or catalogue.framework(other[0]).period_start >= start:
            continue
        phrases = [key for key in (name_key(p) for p in _QUOTED.findall(link.evidence)) if len(key) >= 10]
        for measure in earlier.measures + earlier.defined_measures:
            key, words = name_key(measure.name), _telling_words(measure.name)
            if any(phrase in key for phrase in phrases) or any(len(words & mine) >= MIN_SHARED_WORDS for mine in own):
                found.setdefault(measure.id, measure)
    return list(found.values())


def _telling_words(name: str) -> set[str]:
    return {term for term in salient_terms(name) if term not in _LOW_INFORMATION and len(term) > 2}
