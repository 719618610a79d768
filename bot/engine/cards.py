"""A card per document: what it is and who signs it, as typed fields the answer is written from.

"Who signed the 2021-25 framework?", "whos in charge of the 2023 one", "who wrote the foreword"
are answered by names with their roles, not by whichever sentence mentions "sign". The names
and roles come from the manifest (data: a sixth document gets a card by its manifest entry);
the quote is the document's own signature line, so every name in the answer is printed in a
citation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml

from bot.answer import Answer, Citation
from retrieval.chunk import Chunk
from retrieval.corpus import DocumentInfo
from retrieval.terms import index_terms

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
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


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
        cards[doc.id] = DocumentCard(doc.id, doc.title, doc.status, doc.period, tuple(signatories),
                                     str(vision) if vision else None, _section_of(vision or "", own), lists)
    return cards


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
                                    "differ difference between against actually really exactly just"))


def answer_card(question: str, cards: Sequence[DocumentCard], terms: Sequence[str], newest_only: bool = False
                ) -> Answer | None:
    """The vision statement or a named list, when that is all the question asks for. `cards` are the
    documents in scope; with `newest_only` (no document named) the first card that has it answers."""
    wanted = set(terms)
    for card in cards:
        for named in card.lists:
            name_terms = {t for n in named.names for t in index_terms(n)}
            if any(set(index_terms(n)) <= wanted for n in named.names) and wanted <= name_terms | _CARD_WORDS:
                holding = [c for c in cards if _list_named(c, named.names)]
                return _list_answer(question, holding[:1] if newest_only else holding, named.names)
    if wanted and wanted <= _STATUS_WORDS | _CARD_WORDS and wanted & _STATUS_WORDS:
        # "is the 2023 framework adopted yet?", "what years does it cover?": the card's own facts.
        lines = [f"The {c.title} is {_STATUS_TEXT.get(c.status, c.status)}; it covers {_period_printed(c)}."
                 for c in cards[:2]]
        citations = tuple(Citation(c.doc_id, c.title, None, c.title, status=c.status) for c in cards[:2])
        return Answer(question, " ".join(lines) + "\n\n" + _quoted(citations), citations)
    vision_terms = set(index_terms("vision"))
    if vision_terms <= wanted and wanted <= _CARD_WORDS | PEOPLE_WORDS:
        with_vision = [c for c in cards if c.vision][:1 if newest_only else None]
        if with_vision:
            lines = [f"The vision of the {c.title} ({c.period}) is “{c.vision}”." for c in with_vision]
            citations = tuple(Citation(c.doc_id, c.title, c.vision_section, c.vision, status=c.status)
                              for c in with_vision)
            return Answer(question, " ".join(lines) + "\n\n" + _quoted(citations), citations)
    return None


_STATUS_WORDS = frozenset(index_terms("adopted adopt draft status final approved agreed yet still published period "
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


def _list_answer(question: str, cards: Sequence[DocumentCard], names: Sequence[str]) -> Answer:
    lines, citations = [], []
    for card in cards:
        named = _list_named(card, names)
        items = "; ".join(named.items)
        lines.append(f"The {card.title} names {len(named.items)} {named.names[0]}: {items}.")
        citations.append(Citation(card.doc_id, card.title, named.section, items, status=card.status))
    body = "\n".join(f"{c.title} › {c.section}:\n" + "\n".join(f"  • {i}" for i in c.quote.split("; "))
                     if c.section else c.quote for c in citations)
    return Answer(question, " ".join(lines) + "\n\n" + body, tuple(citations))


def _quoted(citations: Sequence[Citation]) -> str:
    return "\n".join(f"“{c.quote}” ({c.title} › {c.section})" if c.section else f"“{c.quote}” ({c.title})"
                      for c in dict.fromkeys(citations))
