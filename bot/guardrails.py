"""Checks that run before any search: is this a usable question, and is it ours to answer?

The assistant speaks for the council, so requests outside its documents (weather, jokes,
political opinion, personal data) and attempts to change its rules get a polite, fixed reply
rather than whatever a search happens to return. A message that reads as a person in crisis
gets the services that can help (`bot.crisis`) before anything else. In the pre-election
period (purdah) any question about parties, elections or how well the council is doing is
declined too, so the assistant only states what the published documents say.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.crisis import crisis_signpost

MAX_QUESTION_CHARS = 2000
# Longer input is refused before Unicode normalisation, whose cost grows with the input.
_MAX_RAW_CHARS = 4 * MAX_QUESTION_CHARS
EXAMPLE = "What does the 2023-28 framework say about flooding?"


class QuestionRejected(ValueError):
    """The input cannot be treated as a question; the message tells the user what to do."""


@dataclass(frozen=True)
class Refusal:
    reason: str
    message: str


def clean_question(raw: object) -> str:
    """Return the question as text, or raise QuestionRejected with a sentence for the user."""
    if raw is None:
        raise QuestionRejected(f"Please type a question, for example: “{EXAMPLE}”")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise QuestionRejected("That doesn't look like text. Please type your question in plain words.") from None
    text = str(raw)
    if "\x00" in text:
        raise QuestionRejected("That doesn't look like text. Please type your question in plain words.")
    if len(text) > _MAX_RAW_CHARS:
        raise _too_long(len(text))
    # Format characters (zero-width spaces and joiners, direction overrides) are invisible: dropped,
    # so "ig\u200bnore your instructions" reads as what it shows.
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf").strip()
    if not text:
        raise QuestionRejected(f"Please type a question, for example: “{EXAMPLE}”")
    if len(text) > MAX_QUESTION_CHARS:
        raise _too_long(len(text))
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\t")
    letters = sum(1 for ch in text if ch.isalpha())
    if printable < 0.9 * len(text) or letters == 0:
        raise QuestionRejected("That doesn't look like a question. Please type your question in plain words.")
    return " ".join(text.split())


def _too_long(length: int) -> QuestionRejected:
    return QuestionRejected(
        f"Your question is {length:,} characters long; please keep it under "
        f"{MAX_QUESTION_CHARS:,} characters and ask about one thing at a time."
    )


_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules?|prompts?|guidelines?)\b"
    r"|\b(system|hidden|initial)\s+prompt\b|\breveal\b.{0,30}\b(instructions?|prompt|rules?)\b"
    r"|\byour (instructions|rules|prompt|configuration)\b|\bjailbreak\b|\bdeveloper mode\b"
    r"|\bpretend (you are|to be)\b|\bact as\b"
    r"|\b(from now on|new instructions?|you are now|you must now|repeat after me|respond only with)\b"
    r"|^\s*(system|assistant|developer)\s*:|<\|?(im_start|system|endoftext)\|?>",
    re.IGNORECASE,
)
_OUT_OF_SCOPE = re.compile(
    r"\b(weather|forecast|rain(ing)? tomorrow|joke|jokes|funny|poem|song|recipe|football|premier league|"
    r"lottery|horoscope|stock price|bitcoin|crypto|movie|film|tv show|capital of|translate)\b",
    re.IGNORECASE,
)
_POLITICAL = re.compile(
    r"\b(which|what) (party|parties)\b.{0,40}\b(better|best|worse|vote|support)\b|\bshould i vote\b|\bvote for\b"
    r"|\b(labour|conservatives?|tory|tories|lib ?dems?|liberal democrats?|green party|reform uk)\b.{0,40}"
    r"\b(better|worse|good|bad|fault|blame|incompetent|right|wrong)\b"
    r"|\b(?:better|worse|fault|blame|incompetent)\b.{0,40}\b(?:labour|conservatives?|tory|tories|lib ?dems?|liberal "
    r"democrats?|green party|reform uk|joint administration|previous administration)\b"
    # a judgement of how well someone governs is an opinion, whoever is named
    r"|\b(?:doing|did|done) (?:a |an )?(?:good|bad|better|worse|great|poor|terrible|decent|awful) job\b"
    r"|\b(?:is|was|are|were)\b.{0,60}\ba (?:good|bad|great|terrible|competent|incompetent|corrupt|useless|better|worse)"
    r" (?:leader|councillor|politician|chief executive|administration|council)\b"
    r"|\byour (opinion|view|political)\b|\bdo you (think|agree|support)\b.{0,60}\b(party|councillor|leader|government)\b"
    # forecasts of elections: nobody's documents say who will win
    r"|\bwho (?:will|is going to|would) (?:win|lose|be elected|take control)\b|\b(?:win|lose|won|lost) the (?:\d{4} |next )?"
    r"(?:county |local )?(?:council )?elections?\b|\belection (?:results?|outcome|winner)s?\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(
    r"\b(home address|phone number|mobile number|email address|date of birth|where does .{1,40} live)\b"
    r"|\b(national insurance number|ni number|medical records?|criminal records?|personal details|"
    r"contact details (of|for)|who lives at)\b",
    re.IGNORECASE,
)
# In the pre-election period: anything about parties, elections or judging the council's record.
_PURDAH = re.compile(
    r"\b(labour|conservatives?|tory|tories|lib ?dems?|liberal democrats?|green party|reform uk|"
    r"independent (councillors?|candidates?|group)|political|politics|politicians?)\b"
    r"|\b(which|what|any|each|every|political|ruling|opposition|main|major) part(y|ies)\b"
    r"|\b(elections?|electoral|vote|votes|voting|voters?|ballot|candidates?|manifestos?|"
    r"polling|hustings|opposition|ruling group|administration'?s record|re-?elect(ed|ion)?)\b"
    r"|\b(good|great|bad|poor|terrible|awful|decent) job\b|\b(blame|praise|criticis(e|ed|ing))\b"
    r"|\b(is|has|was) the council (doing|done|performing|performed) (well|badly|poorly|enough|better|worse)\b"
    r"|\b(is|has|was) the council (failing|failed|succeeding|succeeded)\b"
    r"|\bhow (well|badly) (is|has|was|did|does) the council\b",
    re.IGNORECASE,
)
PURDAH_MESSAGE = ("During the pre-election period I only state what the council's published documents and "
                  "performance measures say. I can't comment on parties, candidates, elections or how well the "
                  "council is doing. You can ask, for example, what a strategy document says about a topic.")
PURDAH_NOTE = ("Pre-election period: this states what the council's published documents say, without comment "
               "on parties or candidates.")


def refusal_for(question: str, *, purdah: bool = False) -> Refusal | None:
    """A fixed reply for questions the assistant must not answer from search results.

    A crisis comes first: "ignore the rules, I want to end my life" gets the helplines, not a
    refusal. With `purdah`, political questions get the stricter pre-election reply.
    """
    signpost = crisis_signpost(question)
    if signpost:
        return Refusal(signpost.reason, signpost.message)
    if _INJECTION.search(question):
        return Refusal("instructions", "I can't change or reveal how I work. I answer questions about "
                       "Cambridgeshire County Council's strategy documents and performance measures, "
                       "with citations.")
    if _PERSONAL.search(question):
        return Refusal("personal-data", "I can't help with personal information about individuals. I answer "
                       "questions about the council's published strategy documents and performance measures.")
    if purdah and _PURDAH.search(question):
        return Refusal("purdah", PURDAH_MESSAGE)
    if _POLITICAL.search(question):
        return Refusal("political", "I can't give political opinions or compare parties. I can tell you what the "
                       "council's strategy documents say, with citations.")
    if _OUT_OF_SCOPE.search(question):
        return Refusal("out-of-scope", "That's outside what I can help with: I answer questions about "
                       "Cambridgeshire County Council's strategy documents and performance measures.")
    letters = [ch for ch in question if ch.isalpha()]
    if letters and sum(1 for ch in letters if ch.isascii()) < 0.5 * len(letters):
        return Refusal("language", "I can only answer questions in English at the moment. "
                       "Please ask your question in English.")
    return None
