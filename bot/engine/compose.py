"""The answer's first sentence, written from the winning evidence's fields.

Readers want the answer before the evidence: "£124 million (2016-17 to 2020-21), in the later
edition of the 2016-21 framework", then the quote that prints it. The sentence is built only
from what the evidence holds (the figure as printed, its unit and period, the document's
title; the list's items; the passage's own words), so it cannot state a number no source
prints. Infographic text printed in capitals is put in sentence case for reading; the quotes
below keep it as printed.
"""
from __future__ import annotations

import re
from typing import Sequence

from bot.answer import Figure
from bot.engine.forms import HOW_MANY, QuestionForm, districts_of
from bot.engine.quotes import Quote, figures_in, period_in
from kpi_tools.series import format_value
from retrieval.corpus import ADDED

_ACRONYM = re.compile(r"^(?:[A-Z]{2,5}s?|CO2e?|CO<SUB>2</SUB>E?|UK|NHS|SEND|EHCPS?|NEET|LSOAS?|KSI|GCSE|SO\d)$")
MAX_HEADLINE = 300


def sentence_case(text: str) -> str:
    """"6.89MILLION TONNES CO2e" → "6.89million tonnes CO2e": capitals kept only for acronyms."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
        return text
    words = []
    for word in text.split(" "):
        bare = re.sub(r"[^\w<>/]", "", word)
        words.append(word if _ACRONYM.match(bare) and len(bare) <= 5 else word.lower())
    result = " ".join(words)
    return result[:1].upper() + result[1:]


def figure_headline(quote: Quote, title: str, figure: Figure | None = None) -> str:
    """"£124 million (2020-21), according to the …: “… our budget will have reduced by £124 million.”"."""
    value, unit = (figure.value, figure.unit) if figure else next(iter(figures_in(quote.unit.text)), (None, None))
    context = sentence_case(_short(quote.unit.text))
    if value is None or quote.chunk.status == ADDED:
        return passage_headline(quote, title)
    amount = format_value(value, unit)
    # The period printed beside the figure: in "6,800 children … · An increase of 100% since January
    # 2017", 2017 belongs to the increase, not to the 6,800.
    beside = next((part for part in quote.unit.text.split(" · ") if value in part), quote.unit.text)
    period = period_in(f"{quote.unit.lead} {beside}")
    when = f" ({period})" if period and period not in amount else ""
    return f"{amount}{when}, according to the {title}: “{context}”"


def passage_headline(quote: Quote, title: str) -> str:
    """The passage's own words, always inside quotation marks: a document is quoted, never spoken for.
    A document a user added says so first, with who added it."""
    text = sentence_case(_short(quote.unit.text))
    if quote.chunk.status == ADDED:
        added = f", added by {quote.chunk.added_by}" if quote.chunk.added_by else ""
        return f"An added document, not one of the council's own ({title}{added}), says: “{text}”"
    return f"The {title} says: “{text}”"


def list_headline(lead: str, items: Sequence[str], title: str) -> str:
    """The list a document gives, each item quoted as printed."""
    shown = "; ".join(f"“{sentence_case(i.rstrip('.;'))}”" for i in items[:8])
    more = f" (and {len(items) - 8} more)" if len(items) > 8 else ""
    intro = f" under “{sentence_case(lead.rstrip(':').strip())}”" if lead.strip() else ""
    return f"The {title} lists {len(items)} items{intro}: {shown}{more}."


def headline_for(form: QuestionForm, quote: Quote, title: str, figures: Sequence[Figure]) -> str:
    if form.has(HOW_MANY) and figures:
        own = [f for f in figures if f.value in quote.unit.text]
        local = _figure_for_area(quote.unit.text, form.areas, own)
        headline = figure_headline(quote, title, local or (own[0] if own else None))
        return headline[:1].upper() + headline[1:]  # "three and a half years, according to …" opens a sentence
    return passage_headline(quote, title)


def _figure_for_area(text: str, areas: Sequence[str], figures: Sequence[Figure]) -> Figure | None:
    """In "11 of these are in Fenland, 3 in Cambridge City and 2 in Huntingdonshire" the figure for
    Huntingdonshire is the one in the clause that names it; a question naming two districts ("crime in
    Cambridge compared to East Cambridgeshire") wants the clause that names the most of them, by
    whole name ("Cambridge" is not "South Cambridgeshire")."""
    districts = districts_of(areas)
    if not districts:
        return None
    best, named_best = None, 0
    for clause in re.split(r",|;| and | · |(?<=[.!?])\s+", text):
        named = sum(1 for d in districts if re.search(rf"\b{re.escape(d)}\b(?!shire)", clause, re.IGNORECASE))
        if named > named_best:
            found = next((f for f in figures if re.search(rf"(?<![\d.,]){re.escape(f.value)}(?![\d.,])", clause)), None)
            if found:
                best, named_best = found, named
    return best


def _short(text: str, limit: int = MAX_HEADLINE) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
