"""`render_blocks` is pure: these tests compare whole block lists and check Slack's limits."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answer import Answer, Citation, Figure
from bot.slack.render import (
    FIELD_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    escape,
    fallback_text,
    render_blocks,
    split_text,
    truncate,
)

DRAFT_NOTE = "The 2016 draft lists six outcomes; the later edition adds a seventh."


def test_a_typical_answer_renders_text_notes_figures_citations_and_buttons():
    answer = Answer(
        question="What is the council's carbon footprint?",
        text="The council's own footprint in **2021/22** was 131,610 tonnes CO2e.",
        citations=(
            Citation(
                doc_id="strategic-framework-2023-28-draft",
                title="Draft Strategic Framework 2023-2028",
                section="Greener",
                quote="CARBON FOOTPRINT for Cambridgeshire County Council\nas an organisation 2021/22: 131,610 TONNES",
            ),
        ),
        figures=(
            Figure(
                name="Carbon footprint (council)",
                value="131,610",
                unit="tonnes CO2e",
                period="2021/22",
                doc_id="strategic-framework-2023-28-draft",
                outcome="Ambition 1",
            ),
            Figure(name="Employment rate", value="more than 80", unit="%", area="Cambridgeshire",
                   source="ONS Annual Population Survey"),
        ),
        notes=(DRAFT_NOTE,),
    )
    assert render_blocks(answer, answer_id="a1b2", escalation=True) == [
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": "The council's own footprint in *2021/22* was 131,610 tonnes CO2e."}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f":warning: *Note:* {DRAFT_NOTE}"}},
        {"type": "section", "fields": [
            {"type": "mrkdwn", "text": "*Carbon footprint (council)*\n131,610 tonnes CO2e\n2021/22\n"
                                       ":dart: _Ambition 1_\nSource: Draft Strategic Framework 2023-2028"},
            {"type": "mrkdwn", "text": "*Employment rate*\nmore than 80 %\nCambridgeshire\n"
                                       "Source: ONS Annual Population Survey"},
        ]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            ":page_facing_up: *Draft Strategic Framework 2023-2028* · Greener\n"
            "“CARBON FOOTPRINT for Cambridgeshire County Council as an organisation 2021/22: 131,610 TONNES”"
        )}]},
        {"type": "actions", "block_id": "council_feedback", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": ":thumbsup: Helpful", "emoji": True},
             "action_id": "council_feedback_up", "value": "a1b2"},
            {"type": "button", "text": {"type": "plain_text", "text": ":thumbsdown: Not helpful", "emoji": True},
             "action_id": "council_feedback_down", "value": "a1b2"},
            {"type": "button", "text": {"type": "plain_text", "text": "Need more help", "emoji": True},
             "action_id": "council_escalate", "value": "a1b2"},
        ]},
    ]


def test_an_answer_without_an_id_has_no_buttons_and_an_abstention_is_just_its_text():
    answer = Answer(question="q", text="The documents don't say.", abstained=True)
    assert render_blocks(answer) == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "The documents don't say."}},
    ]


def test_document_text_is_escaped_everywhere():
    answer = Answer(
        question="q",
        text="Less than <5% & rising <!channel>",
        citations=(Citation("d", "A & B <plan>", "S<1>", "x > y & z"),),
        figures=(Figure(name="<b>", value="<5", unit="&", outcome="a<b"),),
        notes=("<@U123> & co",),
    )
    blocks = render_blocks(answer)
    assert blocks[0]["text"]["text"] == "Less than &lt;5% &amp; rising &lt;!channel&gt;"
    assert blocks[1]["text"]["text"] == ":warning: *Note:* &lt;@U123&gt; &amp; co"
    assert blocks[2]["fields"][0]["text"] == "*&lt;b&gt;*\n&lt;5 &amp;\n:dart: _a&lt;b_"
    assert blocks[4]["elements"][0]["text"] == ":page_facing_up: *A &amp; B &lt;plan&gt;* · S&lt;1&gt;\n“x &gt; y &amp; z”"
    assert fallback_text(answer) == "Less than &lt;5% &amp; rising &lt;!channel&gt;"


def test_long_text_is_split_into_sections_of_at_most_3000_characters_at_paragraphs():
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(12)]  # ~760 characters each
    answer = Answer(question="q", text="\n\n".join(p.strip() for p in paragraphs))
    sections = render_blocks(answer)
    texts = [b["text"]["text"] for b in sections]
    assert len(texts) == 4
    assert all(len(t) <= SECTION_TEXT_LIMIT for t in texts)
    assert all(t.startswith("Paragraph ") for t in texts)  # cut at paragraph breaks
    assert "\n\n".join(texts) == answer.text


def test_a_single_enormous_word_is_cut_without_breaking_an_entity():
    chunks = split_text(escape("x" * 2998 + "&&&" + "y" * 10))
    assert chunks[0] == "x" * 2998
    assert chunks[1].startswith("&amp;&amp;&amp;y")
    assert truncate("abcdefgh&amp;", 11) == "abcdefgh…"
    assert truncate("short", 10) == "short"


def test_figures_go_ten_to_a_section_and_each_field_fits_2000_characters():
    figures = tuple(Figure(name=f"Measure {n}", value=str(n), outcome="o" * 2500) for n in range(25))
    blocks = render_blocks(Answer(question="q", text="Figures.", figures=figures))
    field_sections = [b for b in blocks if "fields" in b]
    assert [len(b["fields"]) for b in field_sections] == [10, 10, 5]
    for block in field_sections:
        for field in block["fields"]:
            assert len(field["text"]) == FIELD_TEXT_LIMIT
            assert field["text"].endswith("…")


def test_too_many_parts_are_trimmed_to_50_blocks_with_a_notice_and_the_buttons_kept():
    citations = tuple(Citation(f"d{n}", f"Doc {n}", None, "quote") for n in range(80))
    answer = Answer(question="q", text="Many sources.", citations=citations)

    with_buttons = render_blocks(answer, answer_id="id1")
    assert len(with_buttons) == MAX_BLOCKS
    assert with_buttons[-1]["type"] == "actions"
    assert with_buttons[-2] == {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        "_34 more parts of this answer (figures or sources) did not fit in one Slack message._"
    )}]}
    assert with_buttons[0]["text"]["text"] == "Many sources."

    without = render_blocks(answer)
    assert len(without) == MAX_BLOCKS
    assert "33 more parts" in without[-1]["elements"][0]["text"]


texts = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc")), max_size=400)


@settings(max_examples=60, deadline=None)
@given(
    text=st.lists(texts, max_size=30).map("\n\n".join),
    figures=st.lists(st.builds(Figure, name=texts, value=texts, unit=st.none() | texts,
                               outcome=st.none() | texts.map(lambda t: t * 8)), max_size=30),
    citations=st.lists(st.builds(Citation, doc_id=texts, title=texts, section=st.none() | texts,
                                 quote=texts.map(lambda t: t * 10)), max_size=40),
    notes=st.lists(texts.map(lambda t: t * 9), max_size=3),
    answer_id=st.none() | st.just("0123456789abcdef0123456789abcdef"),
)
def test_any_answer_respects_slacks_limits(text, figures, citations, notes, answer_id):
    answer = Answer(question="q", text=text, figures=tuple(figures), citations=tuple(citations), notes=tuple(notes))
    blocks = render_blocks(answer, answer_id=answer_id, escalation=True)
    assert 1 <= len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if "text" in block:
            assert 0 < len(block["text"]["text"]) <= SECTION_TEXT_LIMIT
        for field in block.get("fields", []):
            assert len(field["text"]) <= FIELD_TEXT_LIMIT
        assert len(block.get("fields", [])) <= 10
        assert len(block.get("elements", [])) <= 10
        for element in block.get("elements", []):
            if block["type"] == "context":
                assert len(element["text"]) <= 3000
        rendered = str(block)
        assert not re.search(r"&(?!amp;|lt;|gt;)", rendered.replace("\\n", "")), "an unescaped & slipped through"
    if answer_id:
        assert blocks[-1]["type"] == "actions"
    assert len(fallback_text(answer)) <= 3000
