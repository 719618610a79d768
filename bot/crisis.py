"""Recognising a person in crisis, and pointing them to the service that can help.

The assistant answers questions about strategy documents; it is not a support service. When a
message reads as someone in danger, in a mental-health crisis, or reporting a child at risk,
the right reply is not a search result or a refusal but where to get help now. The patterns
look for present, personal situations ("I want to end my life", "my neighbour's child is
being hurt"), not topics: "What does the council do for children at risk?" is a strategy
question and is answered as one.

The wording is factual and general and names only national services whose numbers do not
change (999, NHS 111, Samaritans, NSPCC). Have the council's safeguarding lead review it
before each release; `tests/security/test_guardrails.py` pins it word for word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Signpost:
    reason: str  # crisis-danger | crisis-mental-health | crisis-child
    message: str


NOT_A_SERVICE = ("I'm an automated assistant for the council's strategy documents, so I can't help directly "
                 "with this.")

DANGER = Signpost("crisis-danger", (
    "If you or someone else is in immediate danger, call 999 now. "
    "If you call 999 from a mobile and can't speak, press 55 when asked. "
    + NOT_A_SERVICE
))
MENTAL_HEALTH = Signpost("crisis-mental-health", (
    "I'm sorry you're going through this. Please talk to someone now: call NHS 111 and choose option 2 for "
    "the mental health crisis line, or call Samaritans free on 116 123, any time, day or night. "
    "If your life is in immediate danger, call 999. " + NOT_A_SERVICE
))
CHILD = Signpost("crisis-child", (
    "If a child is in immediate danger, call 999. To report a concern about a child in Cambridgeshire, "
    "contact Cambridgeshire County Council's children's social care through the council's website or "
    "customer services, or call the NSPCC helpline on 0808 800 5000. " + NOT_A_SERVICE
))

_MENTAL_HEALTH = re.compile(
    r"\b(kill|hurt|harm|cut|hang|poison)(ing)? myself\b|\bsuicidal\b"
    r"|\b(commit|committing|thinking about|thoughts of|considering|attempt(ed)?) suicide\b"
    r"|\b(i'?m|i am|i'?ve been|i have been|been|keep|started) self[- ]?harming\b"
    r"|\b(end|ending|take|taking) (it all|my (own )?life)\b|\bwant(ed)? to die\b"
    r"|\bi (can'?t|cannot|can not) (go on|carry on|cope)( like this| any ?more)?\b|\bthere'?s no way out\b"
    r"|\bi (feel|am|'m) (so )?(hopeless|worthless)\b|\bno (reason|point) (to|in) (live|living)\b"
    r"|\bdon'?t want to (live|be alive|be here any ?more|wake up)\b|\b(taken|take|took) an overdose\b"
    r"|\bbetter off (dead|without me)\b",
    re.IGNORECASE,
)
_CHILD = re.compile(
    r"\b(a|my|our|the|this|that|his|her|their|neighbou?r'?s?|friend'?s?) (child|kid|baby|son|daughter|toddler|"
    r"boy|girl|grandchild|grandson|granddaughter|niece|nephew|stepson|stepdaughter)\b.{0,40}?"
    r"\b(is|are|was|has been|is being|being|gets|getting|keeps being)\b.{0,20}?"
    r"\b(abused|hurt|harmed|neglected|hit|beaten|starved|locked (in|up)|in danger|at risk|unsafe|not safe|"
    r"left alone|groomed)\b"
    r"|\b(abusing|hurting|neglecting|beating|hitting|grooming) (a|my|our|the|his|her|their) "
    r"(child|children|kid|kids|baby|son|daughter)\b",
    re.IGNORECASE,
)
_DANGER = re.compile(
    r"\b(i'?m|i am|we'?re|we are) (in (immediate )?danger|not safe|unsafe|being (attacked|assaulted|followed|"
    r"threatened|hurt|abused))\b"
    r"|\b(someone|somebody|he|she|they|my (partner|husband|wife|boyfriend|girlfriend|ex|dad|mum|father|mother))"
    r"( is|'s| are|'re)? (going to |trying to |threatening to )?(attack|hurt|hit|kill|stab|beat)(ing)? (me|us)\b"
    r"|\b(help|emergency)[!.,]* (someone|somebody|he|she|they)('s| is| are) (attacking|hurting|hitting|following)\b",
    re.IGNORECASE,
)


def crisis_signpost(question: str) -> Signpost | None:
    """The signpost for a message that reads as a crisis, else None. A child at risk is checked
    first (it names the right service even when the message also mentions danger)."""
    for pattern, signpost in ((_CHILD, CHILD), (_MENTAL_HEALTH, MENTAL_HEALTH), (_DANGER, DANGER)):
        if pattern.search(question):
            return signpost
    return None
