"""A follow-up made into a full question: the thread's topic carried over, the new slot in place
of the old one.

"and in the draft?" after "What was the budget cut by 2020-21 in the later edition?" means
"What was the budget cut by 2020-21 in the draft?"; "what about 2019?" swaps the year; "who
signed it?" names the framework the thread was about. The resolved question goes back on the
`Answer`, so the Slack adapter stores it and the next follow-up builds on it: a chain of three
keeps its topic.
"""
from __future__ import annotations

import re
from typing import Sequence

from bot.answer import Turn
from bot.engine.cards import PEOPLE_WORDS
from bot.engine.forms import AREAS, LIST_NOUNS, areas_in, leaning_on
from bot.engine.scope import resolve_scope
from retrieval.corpus import DocumentInfo
from retrieval.terms import COUNTERPARTS, GENERIC_STEMS, index_terms, salient_terms, stem

_CONNECTOR = re.compile(r"^\W*(?:and|also|ok(?:ay)?|so|then|but)?\s*(?:what|how) about\b|^\W*(?:and|also|plus)\b"
                        r"|^\W*(?:same|ditto)(?: for| in)?\b|^\W*(?:what|how) of\b", re.IGNORECASE)
_CONNECTOR_TEXT = re.compile(r"^\W*(?:(?:and|also|ok(?:ay)?|so|then|but)\s+)?(?:(?:what|how) (?:about|of)|and|also|"
                             r"plus|same for|same in|same)\s*", re.IGNORECASE)
_POINTER = re.compile(r"\b(?:it|its|that|this|those|these|them|they|there|the same|that one|this one|the other one|"
                      r"which one|which ones|the ones|he|she|him|her|his)\b",
                      re.IGNORECASE)
_GROUP_POINTER = re.compile(r"\b(?:the ones|those|them|these)\b", re.IGNORECASE)
# "when did he start?": a person the last answer named, found by the earlier question's words, not a document
_PERSON = re.compile(r"\b(?:he|she|him|her|his)\b", re.IGNORECASE)
# "the latest published figure for that?": a figure of what the thread was about, not of the document
_ABOUT_FIGURES = re.compile(r"\b(?:figures?|numbers?|values?|data|stats|rates?|latest|median|compare[sd]?)\b", re.IGNORECASE)
_NEW_QUESTION_WORD = re.compile(r"^\W*(?:where|who|why|when)\b", re.IGNORECASE)
_FIGURES_ASKED = re.compile(r"\b(?:numbers|figures|data|stats|statistics|values)\b", re.IGNORECASE)
_YEARISH = re.compile(r"\b(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?\b|\b\d\d/\d\d\b")
# "2018 to 2021", "between 2018 and 2021": a span the new year of "and 2022?" replaces whole.
_YEAR_SPAN = re.compile(r"\b(?:from |between )?(?:19|20)\d\d\s*(?:to|until|till|through|and)\s*(?:19|20)\d\d\b",
                        re.IGNORECASE)
_LATEST = re.compile(r"\b(?:latest|most recent|newest|up to date|current)\b", re.IGNORECASE)
# A period a follow-up's "latest" replaces: a year, a financial year or a month range ("dec 2023 to feb 2024").
_PERIOD = re.compile(r"\b(?:(?:in|for|from|during)\s+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+"
                     r"(?:19|20)\d\d(?:\s*(?:to|-|–|until)\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
                     r"\.?\s+(?:19|20)\d\d)?|(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?(?:\s*(?:to|until|and)\s*(?:19|20)\d\d)?)\b",
                     re.IGNORECASE)
_EDITION = re.compile(r"\b(?:the\s+)?(?:later|final|earlier|first|published)\s+(?:edition|version)\b|\b(?:the\s+)?draft\b",
                      re.IGNORECASE)
FRAMEWORK_PHRASE = re.compile(
    r"\b(?:the\s+)?(?:(?:current|latest|newest|new|old|previous)\s+|(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?\s+)"
    r"(?:strategic\s+)?(?:framework|strategy|plan|one|document|draft)\b|\b(?:the\s+)?(?:strategic\s+)?(?:framework|strategy|plan)"
    r"\s+(?:for\s+)?(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?", re.IGNORECASE)
# "… say about flooding": the topic a follow-up ("and bus services?") replaces. "for cambs 16-17 year
# olds" names a group or an area, not the topic.
_TOPIC_TAIL = re.compile(r"\b(?:about|on|regarding|re|to do with)\s+(?P<topic>[^?]+)$", re.IGNORECASE)
_SLOT_WORDS = {stem(w) for w in ("draft", "edition", "later", "earlier", "final", "version", "framework", "strategy",
                                 "plan", "one", "document", "year", "area", "district", "city", "county", "instead",
                                 "same", "other", "about", "then", "now", "current", "latest", "million", "billion",
                                 "thousand")}


# What a document itself has (its signatories, status, period, vision), as opposed to what it is about.
_DOCUMENT_WORDS = PEOPLE_WORDS | frozenset(index_terms(
    "adopted adopt approved published publish cover covers period vision title replace replaced supersede "
    "superseded start starts end ends run runs long pages say says"))
_AREA_WORDS = {stem(w.lower().strip("()")) for a in AREAS for w in a.split()} | {
    stem(w) for w in ("median", "average", "national", "nationally", "england", "english", "own")}
_QUESTION_START = re.compile(r"^\W*(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|has|"
                             r"have|can|could|will|would|should|tell|list|give|show)\b", re.IGNORECASE)


def is_follow_up(question: str, history: Sequence[Turn]) -> bool:
    if not history:
        return False
    if _CONNECTOR.match(question):
        return True
    own = [t for t in salient_terms(question) if t not in _SLOT_WORDS and t not in _AREA_WORDS]
    if not own:
        return True
    if len(question.split()) <= 4 and not _QUESTION_START.match(question):
        return True  # "including not known?", "year 6 then?": too short to stand on its own
    # "who signed it?", "how many of those are in Fenland?": a pointer back and little else.
    if _POINTER.search(question) and len(own) <= 2:
        return True
    if _GROUP_POINTER.search(question) and len(own) <= 3:
        return True  # "what if you include the ones whose activity isn't known?": the earlier group, widened
    # "what does the appendix say about the safe environment one": an item of the last answer, named by a few of its words
    return bool(_item_named(question, history[-1].answer))


_ONE_OF_THEM = re.compile(r"\bthe\s+(?P<words>(?:[\w'’-]+\s+){1,4}?)one\b", re.IGNORECASE)
_LISTED = re.compile(r"^\s*[•\-*]\s*(?P<item>.+)$", re.MULTILINE)


def _item_named(question: str, answer: str) -> tuple[str, str] | None:
    """(the words typed, the item of the earlier answer's list they name): "the safe environment one"
    after a list with "People live in a safe environment"."""
    pointed = _ONE_OF_THEM.search(question)
    if not pointed or not answer:
        return None
    wanted = set(index_terms(pointed.group("words"))) - GENERIC_STEMS
    if not wanted:
        return None
    items = [m.group("item").strip() for m in _LISTED.finditer(answer)]
    named = [item for item in dict.fromkeys(items) if wanted <= set(index_terms(item))]
    return (pointed.group(0), named[0]) if len(named) == 1 else None


# "the year before", "a year later", "the previous year": the earlier question's period, moved.
_RELATIVE_YEAR = re.compile(
    r"\b(?:the |a )?(?:year|one) (?P<after>before|earlier|prior|after|later)\b"
    r"|\b(?:the )?(?P<word>previous|prior|preceding|following|next) (?:year|one)\b", re.IGNORECASE)
_PERIOD_IN_TEXT = re.compile(r"\b((?:19|20)\d\d)(\s?[-/–]\s?)(\d\d)\b(?!\d)|\b((?:19|20)\d\d)\b")


def _shifted(text: str, delta: int) -> str | None:
    """Every year in the text moved by `delta`, financial years and month ranges alike:
    "Dec 2022 to Feb 2023" → "Dec 2023 to Feb 2024", "2020-21" → "2019-20"."""
    if not _PERIOD_IN_TEXT.search(text):
        return None

    def move(match: re.Match) -> str:
        if match.group(1):
            start = int(match.group(1)) + delta
            return f"{start}{match.group(2)}{(int(match.group(3)) + delta) % 100:02d}"
        return str(int(match.group(4)) + delta)

    return _PERIOD_IN_TEXT.sub(move, text)


def resolve_follow_up(question: str, history: Sequence[Turn], documents: Sequence[DocumentInfo]) -> str | None:
    """The full question a follow-up stands for, or None when the question stands on its own."""
    if not is_follow_up(question, history):
        return None
    previous = history[-1].question.strip().rstrip("?").strip()
    item = _item_named(question, history[-1].answer)
    if item is not None:
        # the item itself in place of the words that named it, in the earlier question's framework
        resolved = question.strip().rstrip("?").replace(item[0], f"“{item[1]}”")
        framework = FRAMEWORK_PHRASE.search(previous)
        if framework and not resolve_scope(resolved, documents).doc_ids:
            resolved += f" in {_with_article(framework.group(0).strip())}"
        return _tidy(resolved)
    relative = _RELATIVE_YEAR.search(question)
    if relative and not [t for t in _content_words(_RELATIVE_YEAR.sub(" ", _CONNECTOR_TEXT.sub("", question)))
                         if t not in _SLOT_WORDS and t not in _AREA_WORDS]:
        # "and the year before?": the same question a year earlier. "how much did she say they saved the
        # year before" asks something new, in the earlier question's frame.
        later = (relative.group("after") or relative.group("word")).lower() in ("after", "later", "following", "next")
        moved = _shifted(previous, 1 if later else -1)
        if moved:
            return _tidy(moved)
    own = _CONNECTOR_TEXT.sub("", question).strip().rstrip("?").strip()
    own = re.sub(r"^(?:for|in|on|with)\s+(?=\w)", "", own, flags=re.IGNORECASE) if not _YEARISH.search(own) else own
    new_scope = resolve_scope(own, documents)
    new_years = _YEARISH.findall(own)
    new_areas = areas_in(own)
    new_edition = _EDITION.search(own)
    new_framework = FRAMEWORK_PHRASE.search(own)
    content = [t for t in _content_words(own) if t not in _SLOT_WORDS and t not in _AREA_WORDS]

    no_new_slot = not (new_years or new_areas or new_edition or new_scope.doc_ids)
    if not content and _FIGURES_ASKED.search(own) and no_new_slot:
        # "do we have any actual numbers for that?" after a question about a measure's committee: its figures.
        return _tidy(leaning_on("what are its figures over time", previous))
    if not content and _NEW_QUESTION_WORD.match(own) and no_new_slot:
        # "where are they?" after "how many LSOAs are in the most deprived 20%?": a new question of the same topic.
        return _tidy(leaning_on(own, previous))
    if not content:
        # Only slots: put them in place of the previous question's.
        resolved = previous
        if new_framework or (new_scope.doc_ids and not new_years):
            resolved = _replace(FRAMEWORK_PHRASE, resolved, new_framework.group(0) if new_framework else own)
            resolved = _EDITION.sub("", resolved)
        elif _LATEST.search(own):
            # "is that the latest?": the newest value held, in place of the period asked before
            resolved = _replace(_PERIOD, resolved, "", append="").strip() + " latest"
        elif new_years:
            span = _YEAR_SPAN if _YEAR_SPAN.search(resolved) and len(new_years) == 1 else _YEARISH
            resolved = _replace(span, _LATEST.sub(" ", resolved), new_years[0], append=f"in {new_years[0]}")
        if new_edition:
            phrase = new_edition.group(0)
            resolved = _replace(_EDITION, resolved, phrase, append=f"in {_with_article(phrase)}")
        if new_areas:
            resolved = _replace_area(resolved, new_areas[0])
        return _tidy(resolved)
    swapped = _swap_counterpart(own, previous) or _fill_pro_form(own, previous)
    if swapped:
        return _tidy(swapped)
    # Its own question, pointing back: name what the thread was about.
    topic = FRAMEWORK_PHRASE.search(previous)
    # "it" is the framework when the thread was about the framework itself, or the question asks what
    # only a document has ("who signed it?"); after "is there a cycling KPI in the 2016-21 framework",
    # "what baseline does it use" means the KPI, and keeps the whole earlier question.
    previous_topic = [t for t in _content_words(FRAMEWORK_PHRASE.sub(" ", previous)) if t not in _SLOT_WORDS]
    about_document = ((set(previous_topic) <= _DOCUMENT_WORDS or set(content) & _DOCUMENT_WORDS
                       or re.match(r"\W*who\b", own, re.IGNORECASE))
                      and not _PERSON.search(own) and not _ABOUT_FIGURES.search(own))
    if topic and about_document and not new_scope.doc_ids:
        named = topic.group(0).strip()
        if re.search(r"\b(?:it|its|this|that|this one|that one)\b", own, re.IGNORECASE):
            resolved = re.sub(r"\b(?:its|it|this one|that one|this|that)\b",
                              lambda m: f"{named}'s" if m.group(0).lower() == "its" else named, own, count=1,
                              flags=re.IGNORECASE)
            return _tidy(resolved)
        if _CONNECTOR.match(question) or set(content) & _THING_WORDS:
            # "and the vision?" after "who signed the 2023 draft?": the same document's vision
            return _tidy(f"{own} in {_with_article(named)}")
    if _CONNECTOR.match(question):
        # "and road safety?" after "What does the 2023 draft say about flooding?": a new topic in the old frame.
        framed = _TOPIC_TAIL.search(previous)
        if framed:
            topic = re.sub(r"^(?:about|on|for|regarding|re)\s+", "", own, flags=re.IGNORECASE)
            return _tidy(previous[:framed.start("topic")] + topic)
    return _tidy(leaning_on(own, _strip_slots(previous) if (new_years or new_scope.doc_ids) else previous))


# The noun a follow-up's "one" stands for: "and the road casualties one?" after "who leads on the
# streetlights KPI …" is the road casualties KPI.
_NAMED_THING = re.compile(r"\bthe\s+(?P<words>(?:[\w'’-]+\s+){1,4}?)(?P<head>kpi|indicator|measure|ambition|"
                          r"outcome|priority|objective|target|figure|committee|strategy)\b", re.IGNORECASE)
_PRO_FORM = re.compile(r"^(?:the\s+)?(?P<words>[\w'’ -]+?)\s+one$", re.IGNORECASE)


def _fill_pro_form(own: str, previous: str) -> str | None:
    pro_form, named = _PRO_FORM.match(own), _NAMED_THING.search(previous)
    if not (pro_form and named) or pro_form.group("words").lower() in ("that", "this", "the other", "which"):
        return None
    return previous[:named.start("words")] + pro_form.group("words") + " " + previous[named.start("head"):]


def _swap_counterpart(own: str, previous: str) -> str | None:
    """"and for women?" after "… range for men …": the earlier question with "women" in place of "men"."""
    if len(own.split()) > 4:
        return None
    for pair in COUNTERPARTS:
        named = next((w for w in pair if re.search(rf"\b{re.escape(w)}\b", own, re.IGNORECASE)), None)
        if named is None:
            continue
        for other in pair:
            if other != named and re.search(rf"\b{re.escape(other)}\b", previous, re.IGNORECASE):
                return re.sub(rf"\b{re.escape(other)}\b", named, previous, count=1, flags=re.IGNORECASE)
    return None


# "what are its priorities?", "and the vision?": what a document holds is a topic of its own, though
# the words are too common in the documents to search on.
_THING_WORDS = frozenset(index_terms(" ".join(LIST_NOUNS) + " vision"))


def _content_words(text: str) -> list[str]:
    """What a follow-up asks about once its slots are gone: "year 6" and "reception" count, a year
    or an edition does not."""
    text = _EDITION.sub(" ", FRAMEWORK_PHRASE.sub(" ", _strip_slots(text)))
    return [t for t in index_terms(text) if t not in GENERIC_STEMS or t in _THING_WORDS or re.search(rf"\b{t}\s+\d", text)]


def _strip_slots(text: str) -> str:
    text = _YEARISH.sub(" ", text)
    return " ".join(text.split())


def _replace(pattern: re.Pattern, text: str, new: str, append: str | None = None) -> str:
    if pattern.search(text):
        return pattern.sub(new, text, count=1)
    return f"{text} {append or new}"


def _replace_area(text: str, area: str) -> str:
    for held in areas_in(text):
        if held not in ("Cambridgeshire",):
            return re.sub(re.escape(held), area, text, count=1, flags=re.IGNORECASE)
    return f"{text} in {area}"


def _with_article(phrase: str) -> str:
    return phrase if phrase.lower().startswith("the ") else f"the {phrase}"


def _tidy(text: str) -> str:
    text = re.sub(r"\bin (?:the )?in\b", "in", " ".join(text.split()))
    text = re.sub(r"\bthe the\b", "the", text, flags=re.IGNORECASE)
    return text.rstrip(" ,") + "?"
