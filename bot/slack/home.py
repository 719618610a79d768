"""The App Home tab: what the assistant knows and how to ask. A pure function of its inputs.

The document list mirrors `corpus/manifest.yaml` (the adapter does not read the corpus
itself: it sits above the engine); the outcomes and ambitions are quoted from the 2016
framework and the 2023-28 draft. `tests/slack/test_slack_home.py` checks the titles against
the manifest, so a new document there fails a test until it is listed here.
"""
from __future__ import annotations

from typing import Sequence

from bot.slack.messages import EXAMPLE_QUESTIONS
from bot.slack.render import escape

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("Cambridgeshire County Council Draft Integrated Plan 2010", "draft, 2010-2021"),
    ("Strategic Framework – Our Vision and the Challenge 2016-17 – 2020-21 (DRAFT)", "draft, 2016-2021"),
    (
        "Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21)",
        "later edition of the 2016 draft",
    ),
    ("Strategic Framework 2021 – 2025", "adopted, 2021-2025"),
    ("Draft Strategic Framework 2023-2028", "draft, 2023-2028"),
)

OUTCOMES_2016 = (
    "Older people live well independently",
    "People with disabilities live well independently",
    "Places that work with children help them to reach their full potential",
    "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents",
    "People lead a healthy lifestyle and stay healthy for longer",
    "People live in a safe environment",
    "People at risk of harm are kept safe",
)

AMBITIONS_2023 = (
    "Net zero carbon emissions for Cambridgeshire by 2045, and our communities and natural "
    "environment are supported to adapt and thrive as the climate changes",
    "Travel across the county is safer and more environmentally sustainable",
    "Health inequalities are reduced",
    "People enjoy healthy, safe, and independent lives through timely support that is most "
    "suited to their needs",
    "People are helped out of poverty and income inequality",
    "Places and communities prosper because they have a resilient and inclusive economy, access "
    "to good quality public services and social justice is prioritised",
    "Children and young people have opportunities to thrive",
)


def home_view(
    documents: Sequence[tuple[str, str]] = DOCUMENTS,
    outcomes: Sequence[str] = OUTCOMES_2016,
    ambitions: Sequence[str] = AMBITIONS_2023,
    examples: Sequence[str] = EXAMPLE_QUESTIONS,
) -> dict:
    """The `views.publish` view for the Home tab (well under its 100-block limit)."""
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Council Assistant", "emoji": True}},
            _section(
                "I answer questions about Cambridgeshire County Council's strategy documents, "
                "quoting the passages I rely on and giving figures exactly as the documents print them. "
                "When a draft and its later edition differ, I say so. If the documents don't say, "
                "I tell you rather than guess."
            ),
            {"type": "divider"},
            _section("*What I know*\n" + _bullets(f"{escape(t)} _({escape(s)})_" for t, s in documents)),
            _section("*The 2016-21 framework's seven outcomes*\n" + _bullets(escape(o) for o in outcomes)),
            _section("*The 2023-28 draft's seven ambitions*\n" + "\n".join(
                f"{n}. {escape(a)}" for n, a in enumerate(ambitions, start=1)
            )),
            {"type": "divider"},
            _section(
                "*How to ask*\n"
                "• Mention me in a channel I'm in; I answer in the thread, and you can ask "
                "follow-ups there by mentioning me again (\"and in the 2016 framework?\").\n"
                "• Open me from Slack's AI apps panel, or send me a direct message (this app's "
                "*Messages* tab); every message there is answered.\n"
                "• `/council &lt;question&gt;` anywhere; `/council kpi &lt;name or code&gt;` to look up a measure; "
                "`/council help`.\n"
                "• `/council commitments &lt;topic&gt;` (or “commitments on &lt;topic&gt;” in a message): what the "
                "council has committed to on it now, and what earlier frameworks promised, in a few lines to "
                "read out.\n"
                "• `/council brief &lt;ambition or topic&gt;`: a one-screen briefing; add `--full` for all of it.\n"
                "• Start with `privately` (or use `/council private &lt;question&gt;`) and only you will "
                "see the answer.\n"
                "• Use 👍 / 👎 under an answer to tell us how it did, or *Need more help* where a "
                "channel has people who follow up."
            ),
            _section("*Try asking*\n" + _bullets(escape(q) for q in examples)),
        ],
    }


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _bullets(lines) -> str:
    return "\n".join(f"• {line}" for line in lines)
