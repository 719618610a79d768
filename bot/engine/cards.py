"""A card per document: what it is and who signs it, as typed fields the answer is written from.

"Who signed the 2021-25 framework?", "whos in charge of the 2023 one", "who wrote the foreword"
are answered by names with their roles, not by whichever sentence mentions "sign". The names
and roles come from the manifest (data: a sixth document gets a card by its manifest entry);
the quote is the document's own signature line, so every name in the answer is printed in a
citation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

from retrieval.yaml_files import read_yaml

from bot.answer import Answer, Citation
from bot.engine.forms import ABOUT, own_words
from retrieval.chunk import Chunk
from retrieval.corpus import DocumentInfo
from retrieval.terms import GENERIC_STEMS, expansions, index_terms
from retrieval.text import split_sentences

# What a "who" question about a document's people asks: authorship and leadership words. A who
# question without them ("who leads the NEET KPI?") is about a measure, answered elsewhere.
PEOPLE_WORDS = frozenset(index_terms(
    "signed sign signs signature signatory signatories foreword introduction wrote written author authors "
    "leader leaders lead leads led chief executive ceo charge head heads running runs run administration "
    "councillors councillor politicians behind responsible"))
_IMAGE_TEXT = re.compile(r"^\W*an? (?:handwritten )?(?:signature|photo|photograph|image|picture|logo)\b", re.IGNORECASE)
_MEASURE_WORDS = frozenset(index_terms("kpi kpis indicator indicators measure measures committee directorate "
                                       "outcome target tracked"))


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str
    signs: str
    quote: str
    section: str | None


@dataclass(frozen=True)
class NamedList:
    """A list the document names ("These are our enablers: …"), its items as printed."""

    names: tuple[str, ...]
    lead: str
    items: tuple[str, ...]
    section: str | None
    item_sections: tuple[str | None, ...] = ()  # where each item is printed, when that is known
    # Every line of the document that introduces the list ("The Outcomes that we are working towards
    # are:"), so a search that lands on such a line answers with the list, not the line.
    leads: tuple[str, ...] = ()
    # The words printed under each item's own heading ("People live in a safe environment" … "flooding
    # and road accidents"), so "which outcome is about flooding?" finds the item by what it covers.
    item_texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentCard:
    doc_id: str
    title: str
    status: str
    period: str
    signatories: tuple[Signatory, ...]
    vision: str | None = None
    vision_section: str | None = None
    lists: tuple[NamedList, ...] = ()


def load_card_data(path: Path) -> dict:
    """corpus/cards.yaml: each document's vision and named lists, word for word (absent file: none)."""
    if not Path(path).is_file():
        return {}
    return read_yaml(path) or {}


def build_cards(documents: Sequence[DocumentInfo], chunks: Iterable[Chunk],
                card_data: dict | None = None) -> dict[str, DocumentCard]:
    """Cards for every document, each signatory with the line of the document that prints the name."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    cards = {}
    for doc in documents:
        own = by_doc.get(doc.id, ())
        signatories = []
        for name, role, signs in doc.signatories:
            quote, section = _printed(name, own)
            if quote:  # a name the document does not print is never stated
                signatories.append(Signatory(name, role, signs, quote, section))
        data = (card_data or {}).get(doc.id) or {}
        vision = data.get("vision")
        lists = tuple(
            NamedList(tuple(str(n).lower() for n in entry.get("names") or ()), str(entry.get("lead") or ""),
                      tuple(str(i) for i in entry.get("items") or ()), _section_of(entry.get("lead") or "", own))
            for entry in data.get("lists") or ())
        named = {n for entry in lists for n in entry.names}
        text = _text_of(doc)
        lists += tuple(found for found in numbered_lists(text, own) if not set(found.names) & named)
        plain_lines = [_plain(line) for line in text.splitlines()]
        lists = tuple(replace(entry, leads=_leads_of(entry, plain_lines), item_texts=_texts_under(entry, own))
                      for entry in lists)
        cards[doc.id] = DocumentCard(doc.id, doc.title, doc.status, doc.period, tuple(signatories),
                                     str(vision) if vision else None, _section_of(vision or "", own), lists)
    return cards


# "Ambition 3" / "Strategic Objective 2:" on a line of its own (a heading), its title on the next
# line: a document's numbered series, read as a named list so "what are the ambitions" and "what's
# number 5" are answered from the document itself, with no card data written for it.
_NUMBERED_HEADING = re.compile(r"^[#*\s]*(?P<label>[A-Z][A-Za-z]+(?: [A-Z]?[a-z]+){0,2})\s+(?P<number>\d{1,2})\s*:?[*\s]*$")


def numbered_lists(text: str, chunks: Sequence[Chunk] = ()) -> list[NamedList]:
    """Each series numbered 1, 2, 3 … (at least three) with the title printed after each number."""
    lines = [line.strip() for line in text.splitlines()]
    series: dict[str, dict[int, str]] = {}
    intros: dict[str, str] = {}
    for index, line in enumerate(lines):
        heading = _NUMBERED_HEADING.match(line)
        if not heading:
            continue
        title = next((t for t in lines[index + 1:index + 4] if t), "")
        title = re.sub(r"^[#*\s]+|[*\s:]+$", "", title)
        if not title or _NUMBERED_HEADING.match(title) or len(title) > 200:
            continue
        # The first series printed wins: a later infographic repeating "AMBITION 1" in short is not it.
        label = heading.group("label").lower()
        if label not in series and int(heading.group("number")) == 1:
            # The line that introduces the series ("To do this we have **SEVEN** ambitions:").
            before = next((t for t in reversed(lines[max(0, index - 3):index]) if t), "")
            if before.endswith(":"):
                intros[label] = re.sub(r"[*_#]", "", before).strip()
        series.setdefault(label, {}).setdefault(int(heading.group("number")), title)
    found = []
    for label, items in series.items():
        count = 0
        while count + 1 in items:
            count += 1
        if count < 3:
            continue
        ordered = tuple(items[n] for n in range(1, count + 1))
        plural = label + "s"
        names = tuple(dict.fromkeys((plural, plural.split()[-1], label)))
        sections = tuple(_section_of(item, chunks) for item in ordered)
        found.append(NamedList(names, intros.get(label, ""), ordered, sections[0], sections))
    return found


def _leads_of(named: NamedList, lines: Sequence[str]) -> tuple[str, ...]:
    """The lines (plain text) ending in a colon that the list's first item follows within a few lines."""
    first = _plain(named.items[0]) if named.items else ""
    leads = [_plain(named.lead)] if named.lead else []
    for index, line in enumerate(lines):
        if line.endswith(":") and first and any(first in after for after in lines[index + 1:index + 6] if after):
            leads.append(line)
    return tuple(dict.fromkeys(leads))


def _texts_under(named: NamedList, chunks: Sequence[Chunk]) -> tuple[str, ...]:
    """For each item, the text of the passages filed under a heading that is the item's own title, as
    near as the document prints it twice ("more environmentally sustainable" in the list, "more
    sustainable environmentally" over its section)."""
    def words(text: str) -> set[str]:
        return set(re.findall(r"[a-z0-9]+", _plain(text)))

    def under(item: str) -> str:
        title = words(item)
        return " ".join(c.text for c in chunks if c.section and title and any(
            len(title & words(part)) >= 0.8 * max(len(title), len(words(part))) for part in c.section.split(" › ")))
    return tuple(under(item) for item in named.items)


def list_introduced_by(cards: Iterable[DocumentCard], doc_id: str, line: str) -> tuple[DocumentCard, NamedList] | None:
    """The named list a quoted line introduces ("… working towards are:"), if it is one."""
    wanted = _plain(line)
    if not wanted.endswith(":"):
        return None
    for card in cards:
        if card.doc_id == doc_id:
            for named in card.lists:
                if wanted in named.leads:
                    return card, named
    return None


def _text_of(doc: DocumentInfo) -> str:
    try:
        return doc.read_text()
    except OSError:  # a card is still built from the manifest when the file cannot be read
        return ""


def _section_of(text: str, chunks: Iterable[Chunk]) -> str | None:
    wanted = _plain(text)
    for chunk in chunks:
        if wanted and wanted in _plain(chunk.text):
            return chunk.section
    return None


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_#]", "", text).lower().split())


def _printed(name: str, chunks: Iterable[Chunk]) -> tuple[str | None, str | None]:
    """The shortest fragment of the document that prints the name (the full name if printed, else
    the surname as a word), leaving out image descriptions ("A handwritten signature …")."""
    full = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
    surname = re.compile(rf"\b{re.escape(name.split()[-1])}\b")
    best = None
    for chunk in chunks:
        for unit in chunk.units:
            for fragment in unit.text.split(" · "):
                if _IMAGE_TEXT.match(fragment) or not surname.search(fragment):
                    continue
                candidate = (0 if full.search(fragment) else 1, len(fragment), fragment, chunk.section)
                if best is None or candidate < best:
                    best = candidate
    return (best[2], best[3]) if best else (None, None)


def asks_about_people(terms: Sequence[str]) -> bool:
    """Whether a who question is about a document's people rather than a measure's lead."""
    present = set(terms)
    return bool(present & PEOPLE_WORDS) and not present & _MEASURE_WORDS


def answer_who(question: str, cards: Sequence[DocumentCard], terms: Sequence[str]) -> Answer | None:
    """Names with their roles, from the cards of the documents in scope that have signatories."""
    signed = [card for card in cards if card.signatories]
    if not signed:
        return None
    wanted = set(terms)
    lines, citations = [], []
    for card in signed:
        people = list(card.signatories)
        # "who is the chief executive" wants that role; "who signed" wants everyone who signs.
        by_role = [p for p in people if wanted & set(index_terms(p.role)) - {"cambr", "county", "council"}]
        if by_role and not wanted & set(index_terms("signed sign signs signature foreword wrote written")):
            people = by_role
        groups: dict[str, list[Signatory]] = {}
        for person in people:
            groups.setdefault(person.signs, []).append(person)
        signing = "; ".join(
            f"{_join([f'{p.name} ({p.role})' for p in group])} sign{'s' if len(group) == 1 else ''} "
            f"{_the(part) if part else 'it'}" for part, group in groups.items())
        lines.append(f"The {card.title} ({card.period}, {card.status}) is signed by its leadership: {signing}.")
        for person in people:
            citations.append(Citation(card.doc_id, card.title, person.section, person.quote, status=card.status))
    return Answer(question, "\n".join(lines) + "\n\n" + _quoted(citations), tuple(dict.fromkeys(citations)))


def _the(part: str) -> str:
    return part if part.lower().startswith(("the ", "a ")) else f"the {part}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]



# Words that add nothing to "what is the vision" / "list the enablers" beyond choosing the card.
_CARD_WORDS = frozenset(index_terms("vision statement overall main key headline council councils cambridgeshire "
                                    "statement approach list name names tell set out sets say says compare comparison versus "
                                    "differ difference between against actually really exactly just "
                                    "summarise summarize summary outline overview"))


def answer_card(question: str, cards: Sequence[DocumentCard], terms: Sequence[str], newest_only: bool = False,
                every_card: Sequence[DocumentCard] = ()) -> Answer | None:
    """The vision statement or a named list, when that is all the question asks for. `cards` are the
    documents in scope; with `newest_only` (no document named) the first card that has it answers."""
    if _KPI_FIELD.search(question):
        return None  # "what secondary outcomes does the self-harm KPI have?": a KPI row's field, not a named list
    wanted = set(terms)
    typed = set(index_terms(question))
    # "Please list them, about: It sets out … themes it calls 'enablers'": the sentence leaned on names
    # the list; only the question's own words can ask for more than the list.
    own_terms = set(index_terms(own_words(question))) & wanted if ABOUT in question else None
    position = _position_asked(question)
    # "ambition 5" (read as one term), "3rd", "fifth": the position asked for, not a topic
    numbered = {t for t in wanted if re.fullmatch(r"[a-z]+\d{1,2}|\d{1,2}(?:st|nd|rd|th)", t)} | _ORDINAL_TERMS
    for card in cards:
        for named in card.lists:
            name_terms = {t for n in named.names for t in index_terms(n)}
            extra = (own_terms if own_terms is not None else wanted) - name_terms - _CARD_WORDS - GENERIC_STEMS - numbered
            # The list's name is matched on every word typed ("cross-cutting strategies" has "strategy",
            # which elsewhere only names the document), as long as one of its words is not such a word.
            names_list = any(set(index_terms(n)) <= wanted | typed and set(index_terms(n)) & wanted
                             for n in named.names)
            if (names_list and extra and not typed & _KPI_NOUNS
                    and (_WHICH_OF.search(question) or _which_names(question, name_terms))):
                # "which one covers the environment?": the item of the list about that.
                picked = _item_about(question, card, named, extra)
                if picked is not None:
                    return picked
            # "… please list the cross-cutting ones": a list asked for by its full, several-word name is
            # answered whole, whatever else the request says about why it is wanted.
            full_name = any(len(set(index_terms(n))) >= 2 and set(index_terms(n)) <= typed for n in named.names)
            if names_list and extra and full_name and _ASKS_LIST.search(question) and position is None:
                holding = [c for c in cards if _list_named(c, named.names)]
                return list_answer(question, holding[:1] if newest_only else holding, named.names)
            item_terms = {t for item in named.items for t in index_terms(item)}
            if (names_list and extra and _ASKS_LIST.search(own_words(question)) and position is None
                    and not extra & item_terms and not typed & _MEASURE_NOUNS):
                # "could you set out the outcomes it was built around? a simple list is fine": the list is asked
                # for, and nothing else the message says picks out one of its items.
                holding = [c for c in cards if _list_named(c, named.names)]
                return list_answer(question, holding[:1] if newest_only else holding, named.names)
            if names_list and not extra:
                holding = [c for c in cards if _list_named(c, named.names)]
                if position is not None:
                    picked = _item_answer(question, holding[0], named.names, position)
                    if picked is not None:
                        return picked
                    continue
                return list_answer(question, holding[:1] if newest_only else holding, named.names)
    if wanted & _STATUS_WORDS and not wanted - _STATUS_WORDS - _CARD_WORDS - GENERIC_STEMS:
        # "is the 2023 framework adopted yet?", "what years does it cover?": the card's own facts.
        shown = list(cards[:2])
        adopted = next((c for c in every_card if c.status == "adopted"), None)
        if _WHICH_ADOPTED.search(question) and adopted is not None and adopted not in shown:
            shown.append(adopted)  # "… and if not, which one is the adopted one?": the newest adopted card too
        lines = [f"The {c.title} is {_STATUS_TEXT.get(c.status, c.status)}; it covers {_period_printed(c)}."
                 for c in shown]
        citations = tuple(Citation(c.doc_id, c.title, None, c.title, status=c.status) for c in shown)
        return Answer(question, " ".join(lines) + "\n\n" + _quoted(citations), citations)
    vision_terms = set(index_terms("vision"))
    if vision_terms <= wanted and not wanted - _CARD_WORDS - PEOPLE_WORDS - GENERIC_STEMS:
        with_vision = [c for c in cards if c.vision][:1 if newest_only else None]
        if with_vision:
            lines = [f"The vision of the {c.title} ({c.period}) is “{c.vision}”." for c in with_vision]
            citations = tuple(Citation(c.doc_id, c.title, c.vision_section, c.vision, status=c.status)
                              for c in with_vision)
            return Answer(question, " ".join(lines) + "\n\n" + _quoted(citations), citations)
    return None


_ASKS_LIST = re.compile(r"\b(?:list|listed|name|what are|which are|tell me|set out|summari[sz]e|outline)\b|^\W*which\b"
                        r"|\bwhat (?:the |its |their |our )?(?:[\w-]+\s+){0,3}(?:are|were)\b",  # "… asking what the seven ambitions are"
                        re.IGNORECASE)
# In a question about a document's standing, "which" asks which one has it ("… or which one is?").
_WHICH_ADOPTED = re.compile(r"\bwhich\b|\b(?:last|latest|newest|current|most recent)\b.{0,25}\badopted\b", re.IGNORECASE)
# "in force", "in effect", "was it ever the final version": a document's standing, asked the ways people ask it.
_STATUS_WORDS = frozenset(index_terms("adopted adopt draft status final approved agreed yet still published period "
                                       "force effect version ever current official working work operating "
                                       "cover covers covered years year span run runs start end first last dates"))
_STATUS_TEXT = {"draft": "a draft", "adopted": "adopted", "later-edition": "the later edition of its draft",
                "added": "a document added by a user, not an official framework"}


def _period_printed(card: DocumentCard) -> str:
    """The period as the title prints it ("2016-17 to 2020-21"), so the answer states no year the
    citation lacks; the manifest's years otherwise."""
    found = _TITLE_PERIOD.search(card.title)
    return found.group(0).replace(" – ", " to ") if found else card.period


_TITLE_PERIOD = re.compile(r"(?:19|20)\d\d(?:-\d\d)?\s*(?:–|-|to)\s*(?:19|20)\d\d(?:-\d\d)?")


def _list_named(card: DocumentCard, names: Sequence[str]) -> NamedList | None:
    return next((named for named in card.lists if set(named.names) & set(names)), None)


_ORDINALS = {w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_POSITION = re.compile(r"\b(?:(?:number|no\.?|#)\s*(?P<number>\d{1,2})|(?P<nth>\d{1,2})(?:st|nd|rd|th)"
                       rf"|(?P<word>{'|'.join(_ORDINALS)}|last)|(?:[a-z]+ )?(?:ambition|objective|priority|outcome)\s?(?P<label>\d{{1,2}}))\b",
                       re.IGNORECASE)


_ORDINAL_TERMS = frozenset(index_terms(" ".join(_ORDINALS) + " last one"))


def _position_asked(question: str) -> int | None:
    """"what's number 5", "the 3rd one", "the last one", "ambition 5": which item of a list (-1: the last)."""
    found = _POSITION.search(question)
    if not found:
        return None
    if found.group("word"):
        return -1 if found.group("word").lower() == "last" else _ORDINALS[found.group("word").lower()]
    return int(found.group("number") or found.group("nth") or found.group("label"))


_WHICH_OF = re.compile(r"\bwhich (?:one|ones|of (?:them|these|those|the \w+))\b|\bwhich \w+ (?:is|are|covers?|deals?)\b",
                       re.IGNORECASE)


# "which outcome does the NEET indicator serve?", "which committee is responsible for …": a KPI's row
# answers, not an item of a document's list
_KPI_FIELD = re.compile(r"\b(?:primary|secondary) outcomes?\b", re.IGNORECASE)
# ("for a committee paper" names where the list is going, not a committee's KPIs)
_MEASURE_NOUNS = frozenset(index_terms("kpi kpis indicator indicators measure measures"))
_KPI_NOUNS = frozenset(index_terms("kpi kpis indicator indicators measure measures committee directorate"))


def _which_names(question: str, name_terms: set[str]) -> bool:
    """"which 2016-21 outcome mentions …", "which of the ambitions …": "which" followed, within a few
    words, by the list's own name asks for one of its items."""
    for found in re.finditer(r"\bwhich\b((?:\s+[\w'’-]+){1,4})", question, re.IGNORECASE):
        if set(index_terms(found.group(1))) & name_terms:
            return True
    return False


def _item_about(question: str, card: DocumentCard, named: NamedList, topic: set[str]) -> Answer | None:
    """The list item that mentions what the question asks about (synonyms count)."""
    def mentions(text: str) -> int:
        words = set(index_terms(text))
        return sum(1 for t in topic if expansions(t) & words)

    # The item's own title counts first; the text under its heading breaks ties and finds the rest.
    under = named.item_texts or ("",) * len(named.items)
    scored = sorted(((mentions(item) + 0.5 * mentions(body), -i, item)
                     for i, (item, body) in enumerate(zip(named.items, under))), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    position = -scored[0][1] + 1
    answer = _item_answer(question, card, named.names, position)
    body = under[position - 1]
    if answer is None or not body or mentions(named.items[position - 1]) == len(topic):
        return answer
    # Found by what is printed under the item: that line is quoted too, so the reader sees why.
    lines = [line.strip(" -•*#") for part in body.splitlines() for line in split_sentences(part) if line.strip(" -•*#")]
    def typed(text: str) -> int:  # the question's own word ("bus") before a synonym of it ("transport")
        words = set(index_terms(text))
        return sum(1 for t in topic if t in words or any(w.startswith(t[:3]) and t.startswith(w[:3]) for w in words))

    line = max(lines, key=lambda text: (mentions(text), typed(text)), default=None)
    if line is None or not mentions(line):
        return answer
    section = named.item_sections[position - 1] if named.item_sections else named.section
    support = Citation(card.doc_id, card.title, section, line, status=card.status)
    return replace(answer, text=f"{answer.text}\n{_quoted([support])}", citations=answer.citations + (support,))


def _item_answer(question: str, card: DocumentCard, names: Sequence[str], position: int) -> Answer | None:
    named = _list_named(card, names)
    if not named or not (position == -1 or 1 <= position <= len(named.items)):
        return None
    number = len(named.items) if position == -1 else position
    item = named.items[number - 1]
    section = named.item_sections[number - 1] if named.item_sections else named.section
    citation = Citation(card.doc_id, card.title, section, item, status=card.status)
    text = (f"Number {number} of the {len(named.items)} {named.names[0]} in the {card.title} is "
            f"“{item}”.\n\n{_quoted([citation])}")
    return Answer(question, text, (citation,))


def list_answer(question: str, cards: Sequence[DocumentCard], names: Sequence[str]) -> Answer:
    lines, citations = [], []
    for card in cards:
        named = _list_named(card, names)
        items = "; ".join(named.items)
        lines.append(f"The {card.title} names {len(named.items)} {named.names[0]}: {items}.")
        citations.append(Citation(card.doc_id, card.title, named.section, items, status=card.status))
    body = []
    for card, citation in zip(cards, citations):
        lead = _list_named(card, names).lead
        where = f"{citation.title} › {citation.section}" if citation.section else citation.title
        introduced = f"“{lead}” " if lead else ""  # the document's own words for the list, count included
        body.append(f"{introduced}({where})\n" + "\n".join(f"  • {i}" for i in citation.quote.split("; ")))
    return Answer(question, " ".join(lines) + "\n\n" + "\n".join(body), tuple(citations))


def _quoted(citations: Sequence[Citation]) -> str:
    return "\n".join(f"“{c.quote}” ({c.title} › {c.section})" if c.section else f"“{c.quote}” ({c.title})"
                      for c in dict.fromkeys(citations))
