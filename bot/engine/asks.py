"""The question a long message asks, apart from the story around it.

Contact-centre officers and councillors often wrap a question in its setting: "A resident rang
asking …", "I'm chairing a session with the Adults committee next week … Under Ambition 4, what
does the council say it will do on …?". Every word of the setting counts against a passage that
answers the question, so such messages were refused. Here the message is read as a short thread:
the framing ("a caller wants to know if") is dropped, the sentences that ask something are the
question, and the sentences before them are its context, brought in only where the question
points back to them ("Please list them", "which directorate owns it?") or names no topic of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.terms import salient_terms

# "A resident rang asking", "caller lives in a village …, wants to know if", "Parents at my surgery
# keep telling me": who is asking and that they asked, which is not what they asked about.
_FRAMING = re.compile(
    r"^\W*(?:(?:i have|i've got|i’ve got|i've|i’ve|i've had|i had|there's|there is|got)\s+)?"
    r"(?:(?:a|an|the|one|my|our|some|this)\s+)?(?:residents?|callers?|customers?|members? of the public|parents?|"
    r"councillors?|colleagues?|members|someone|somebody|people|person|lady|gentleman|man|woman|parish clerk|clerk|school|"
    r"business(?:es)?|family|families)\b[^.?!]{0,90}?\b(?:rang|rung|called|phoned|emailed|wrote|asking|asked|asks|"
    r"wants? to know|wanted to know|would like to know|wondering|says|said|read|heard|told me|keeps? telling me|"
    r"keeps? asking(?: me)?)\b(?:\s+(?:up|in|back))?(?:\s+(?:me|us))?(?:\s+(?:asking|to ask|wanting to know|and asked))?"
    r"(?:\s+(?:whether|if|about|that))?\s*",
    re.IGNORECASE)
# Someone unnamed who made contact ("A care leaver has rung up asking whether"), and a request's label
# ("Councillor briefing:", "Briefing request."): framing too.
_CONTACT = re.compile(
    r"^\W*(?:(?:a|an|the|one|my|our|some|this)\s+)(?P<who>(?:[\w'’-]+\s+){1,3}?)(?:has\s+|have\s+|is\s+|was\s+|just\s+)?"
    r"(?:rang(?: up)?|rung(?: up)?|called|phoned|emailed|written in|wrote in|asking|asked|wants to know|wanted to know|"
    r"is wondering)\b(?:\s+(?:me|us))?(?:\s+(?:asking|to ask))?(?:\s+(?:whether|if|about|that))?\s*", re.IGNORECASE)
_LABEL = re.compile(r"^\W*(?:(?:councillor|member|members'?|cllr)\s+)?(?:briefing|brief)(?:\s+(?:request|note|question))?"
                    r"\s*[:.\-–]\s*", re.IGNORECASE)
_ASKING = re.compile(
    r"^\W*(?:what|whats|what's|which|who|whom|whose|who's|whos|when|where|why|how|is|are|was|were|does|do|did|has|"
    r"have|can|could|would|will|should|please|list|tell|give|summari[sz]e|explain|name|show|i want to know)\b",
    re.IGNORECASE)
# "I'm meeting the head of a college next week", "… and I want to put demand in context": the asker's
# own situation, which a question's "it" or "that" does not point to.
_ABOUT_THE_ASKER = re.compile(r"^\W*(?:i|i'm|i’m|i've|i’ve|i'd|i’d|we|we're|we’re)\b|\b(?:i'm|i’m|i am|i've|i’ve|"
                              r"i want|i'd like|i’d like|i need)\b", re.IGNORECASE)
_QUOTES_SOMETHING = re.compile(r"(?<!\w)['‘“\"][^'’”\"]{4,}['’”\"](?!\w)")
# A question that points back to what was said before it.
POINTER = re.compile(r"\b(?:it|its|them|they|this|that|these|those|both|the two|ones)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.?!])\s+", re.IGNORECASE)
# "a caller read that the council wants to be 'greener' and something else, whats the full vision …":
# a clause of setting, then the question. A short opening phrase ("In the 2010 plan, what …") is part
# of the question.
_CLAUSE_THEN_QUESTION = re.compile(r",\s+(?=(?:and\s+)?(?:what|whats|what's|which|who|how|when|is|does|can)\b)",
                                   re.IGNORECASE)
_MIN_SETTING_WORDS = 8
# "Under Ambition 4, on healthy, safe and independent lives, what …": a phrase that narrows the question
_OPENING_PHRASE = re.compile(r"^\W*(?:under|in|on|for|about|regarding|re|with|from|at|within|as|across|between|"
                             r"during|since|after|before|according to)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    question: str  # what to answer
    context: str  # the sentence before it ("" when there is none)

    @property
    def context_is_the_asker(self) -> bool:
        # "I remember a slogan about Cambridgeshire being a 'great place to call home'": it quotes the subject
        return bool(_ABOUT_THE_ASKER.search(self.context)) and not _QUOTES_SOMETHING.search(self.context)


def focus(message: str) -> Ask | None:
    """The question a message with a setting asks; None for a plain question (nothing to drop)."""
    parts = []
    for sentence in _sentences(message):
        split = _CLAUSE_THEN_QUESTION.split(sentence, maxsplit=1) if sentence.endswith("?") else [sentence]
        if (len(split) == 2 and len(split[0].split()) >= _MIN_SETTING_WORDS and not _ASKING.match(split[0])
                and not _OPENING_PHRASE.match(split[0])):
            parts.extend(split)
        else:
            parts.append(sentence)
    stripped = [_unframed(part) for part in parts]
    if len(parts) < 2 and stripped == parts:
        return None
    # What ends in a question mark is asked; failing that, what is worded as a question ("a resident rang
    # asking what the council is doing about potholes"); failing that, the whole message.
    # A question reported inside the framing ("a resident is asking what proportion of year 6 children are
    # obese") is asked as well.
    reported = [i for i, (part, was) in enumerate(zip(stripped, parts)) if part != was and _ASKING_REPORTED.match(part)]
    asking = ([i for i, part in enumerate(stripped) if part.endswith("?") or i in reported or _REQUEST.match(part)]
              or [i for i, part in enumerate(stripped) if _ASKING.match(part)])
    if not asking:
        return Ask(" ".join(stripped), "") if stripped != parts else None
    # After the question, "and the one incl not knowns pls" asks more, and "2022/23 ideally" pins a slot:
    # both belong to it.
    asking += [i for i in range(asking[-1] + 1, len(stripped))
               if _MORE.match(stripped[i]) or len(parts[i].split()) <= _SLOT_WORDS]
    first = asking[0]
    question = " ".join(stripped[i] for i in asking)
    before = [stripped[i] for i in range(first)]
    # the nearest sentence about the subject rather than the asker ("I'd like to explain it at their meeting"),
    # one that names a topic before one that does not ("A resident told me it was 99%" says only a number)
    about_subject = [b for b in before if not _ABOUT_THE_ASKER.search(b)]
    named = [b for b in about_subject if len(salient_terms(b)) >= 2] or [b for b in before if len(salient_terms(b)) >= 3]
    context = (named or about_subject or before or [""])[-1]
    return Ask(question, context)


# "track no. 5", "Cllr. Smith": a full stop that shortens a word does not end the sentence
_SHORTENED = re.compile(r"\b(?:no|nos|vs|approx|cllr|dr|e\.g|i\.e|etc)\.$", re.IGNORECASE)


def _sentences(message: str) -> list[str]:
    sentences: list[str] = []
    for part in (p.strip() for p in _SENTENCE.split(message) if p and p.strip()):
        if sentences and _SHORTENED.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return sentences


# "I need them listed", "I'd like the figures" ask; "I'd like to open my speech …" is about the asker
_REQUEST = re.compile(r"^\W*(?:please|list|tell me|give me|name|show me|summari[sz]e|explain|can i have|could i have|"
                      r"(?:i need|i'd like|i’d like|i would like)(?: to know\b|\s+(?!to\b)))", re.IGNORECASE)
_MORE = re.compile(r"^\W*(?:and|also|plus|then)\b", re.IGNORECASE)
_SLOT_WORDS = 3  # "2022/23 ideally", "cambs only": a fragment this short after a question is one of its slots
_ASKING_REPORTED = re.compile(r"^\W*(?:what|which|who|whom|whose|when|where|why|how)\b", re.IGNORECASE)


def _unframed(part: str) -> str:
    """The sentence without its label and framing; the sentence itself where nothing would be left."""
    text = _FRAMING.sub("", _LABEL.sub("", part, count=1), count=1)
    # Who made contact may be the topic ("a care leaver … their council tax"): they stay, as a label.
    text = _CONTACT.sub(lambda m: f"{m.group('who').strip()}: ", text, count=1)
    return text.strip() or part
