"""How the bot behaves in a workspace, end to end: the real Bolt app over HTTP on loopback,
against the fake Slack Web API, asserting the exact sequence of Web API calls.

Thread etiquette, follow-up chains, Slack markup, the attachment notice, escaped help, the
start-up reply, Slack's assistant threads, votes shown on the buttons and "Share in channel".
"""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.answer import Turn
from bot.slack import messages
from bot.slack.briefing_render import BRIEF_USAGE, BRIEFINGS_UNAVAILABLE
from bot.slack.cli import health_check
from bot.slack.home import home_view
from bot.slack.readiness import EngineSlot
from bot.slack.render import ACTION_FEEDBACK_UP, ACTION_SHARE, render_blocks, with_vote
from slack_fake_api import assistant_message, assistant_thread_started, mention, message
from slack_fakes import FakeEngine, carbon_answer

CARBON = "What is the council's carbon footprint?"
ROOT_TS = "1700002000.000100"


def web_calls(api) -> list[str]:
    return [m for m in api.methods() if m != "auth.test"]


def answer_id_in(blocks: list[dict]) -> str:
    return [b for b in blocks if b["type"] == "actions"][0]["elements"][0]["value"]


def ask_in_channel(bot, api, text: str, *, ts: str, thread_ts: str | None = None, updates: int = 1):
    bot.slack.event(mention(text, ts=ts, thread_ts=thread_ts))
    api.wait_for("chat.update", count=updates)
    bot.idle()


# -- etiquette ----------------------------------------------------------------------------


def test_thread_chatter_and_replies_meant_for_colleagues_are_left_alone(bot, api):
    ask_in_channel(bot, api, CARBON, ts=ROOT_TS)
    for n, chatter in enumerate(("Thanks, that's really helpful!", "ok",
                                 "<@U7> can you add this to the board paper?")):
        bot.slack.event(message(chatter, user="U2", ts=f"1700002000.00020{n}", thread_ts=ROOT_TS))
    bot.idle()
    assert web_calls(api) == ["chat.postMessage", "chat.update"]
    assert [call[1] for call in bot.engine.calls] == [CARBON]


def test_in_a_dm_every_message_is_answered_except_one_addressed_to_someone_else(bot, api):
    bot.slack.event(message("<@U7> can you add this?", channel="D1", channel_type="im"))
    bot.slack.event(message("ok", channel="D1", channel_type="im"))
    api.wait_for("chat.update")
    bot.idle()
    assert web_calls(api) == ["chat.postMessage", "chat.update"]
    assert [call[1] for call in bot.engine.calls] == ["ok"]


# -- follow-ups ---------------------------------------------------------------------------


def test_a_chain_of_follow_ups_keeps_its_topic_through_the_resolved_question(bot, api):
    ask_in_channel(bot, api, CARBON, ts=ROOT_TS)
    ask_in_channel(bot, api, "and in the 2016 framework?", ts="1700002000.000200", thread_ts=ROOT_TS, updates=2)
    ask_in_channel(bot, api, "and in the 2023 draft?", ts="1700002000.000300", thread_ts=ROOT_TS, updates=3)

    text = carbon_answer(CARBON).text
    first_follow_up = "What is the council's carbon footprint in the 2016 framework?"
    assert bot.engine.calls == [
        ("answer", CARBON, ()),
        ("answer", "and in the 2016 framework?", (Turn(CARBON, text),)),
        ("answer", "and in the 2023 draft?", (Turn(CARBON, text), Turn(first_follow_up, text))),
    ]
    assert bot.store.history("C1", ROOT_TS, "U1")[-1].question == (
        "What is the council's carbon footprint in the 2023 draft?")
    assert web_calls(api) == ["chat.postMessage", "chat.update"] * 3


# -- markup -------------------------------------------------------------------------------


def test_slack_markup_is_cleaned_for_the_engine_and_kept_as_typed_for_the_audit(make_bot, api, sqlite_db):
    from bot.audit.tables import AUDIT_TABLES, AuditEntry

    AUDIT_TABLES[0].metadata.create_all(sqlite_db, tables=list(AUDIT_TABLES))
    bot = make_bot()
    typed = ":wave: <@U0ABC|jane.smith> what is *the* <https://www.cambridgeshire.gov.uk/x|carbon footprint>?"
    bot.slack.event(message(typed, channel="D1", channel_type="im"))
    update = api.wait_for("chat.update")[0]
    bot.idle()
    assert bot.engine.calls == [("answer", "what is the carbon footprint?", ())]
    assert "131,610" in update.params["text"]
    with sqlite_db.connect() as conn:
        assert conn.execute(select(AuditEntry.question)).scalars().all() == [typed]


# -- one message, answer first ------------------------------------------------------------


def test_the_answer_is_one_message_whose_text_and_first_block_are_the_answer_sentence(bot, api):
    ask_in_channel(bot, api, CARBON, ts=ROOT_TS)
    placeholder, update = api.calls("chat.postMessage")[0], api.calls("chat.update")[0]
    assert (placeholder.params["text"], update.params["ts"]) == (messages.LOOKING_UP, placeholder.response["ts"])
    answer = carbon_answer(CARBON)
    assert update.params["text"] == answer.headline
    assert update.params["blocks"] == render_blocks(answer, answer_id=answer_id_in(update.params["blocks"]))
    assert update.params["blocks"][0] == {"type": "section", "text": {"type": "mrkdwn", "text": answer.headline}}


# -- help, home and attachments -----------------------------------------------------------


def _raw_angle_brackets(text: str) -> list[str]:
    """`<` or `>` that are not Slack's own mention markup (`<@U…>`, `<!subteam^…>`)."""
    return re.findall(r"<(?![@!#])[^>]*>?|(?<![A-Z0-9])>", re.sub(r"<[@!#][^>]*>", "", text))


def test_help_home_and_usage_texts_escape_their_placeholders():
    texts = [messages.HELP_TEXT, messages.admin_usage(), BRIEF_USAGE, BRIEFINGS_UNAVAILABLE, str(messages.help_blocks()),
             str(home_view())]
    assert [found for text in texts for found in _raw_angle_brackets(text)] == []
    assert "/council &lt;question&gt;" in str(messages.help_blocks())
    assert "/council kpi &lt;name or code&gt;" in str(home_view())
    assert "/council brief &lt;ambition or topic&gt;" in str(messages.help_blocks())


def test_help_in_a_mention_arrives_escaped(bot, api):
    bot.slack.event(mention("help", ts=ROOT_TS))
    posted = api.wait_for("chat.postMessage")[0]
    assert posted.params["text"] == messages.HELP_TEXT
    assert "&lt;question&gt;" in str(posted.params["blocks"]) and "<question>" not in str(posted.params["blocks"])


def test_an_attached_file_is_acknowledged_and_its_words_answered(bot, api):
    upload = {"subtype": "file_share", "files": [{"id": "F1", "name": "plan.pdf"}]}
    bot.slack.event(message("", channel="D1", channel_type="im", **upload))
    notice = api.wait_for("chat.postMessage")[0]
    bot.idle()
    assert (notice.params["channel"], notice.params["text"]) == ("D1", messages.ATTACHMENT_IGNORED)
    assert bot.engine.calls == []

    bot.slack.event(message(CARBON, channel="D1", channel_type="im", **upload))
    api.wait_for("chat.update")
    bot.idle()
    assert web_calls(api) == ["chat.postMessage", "chat.postMessage", "chat.postMessage", "chat.update"]
    assert [c.params["text"] for c in api.calls("chat.postMessage")] == [
        messages.ATTACHMENT_IGNORED, messages.ATTACHMENT_IGNORED, messages.LOOKING_UP]
    assert bot.engine.calls == [("answer", CARBON, ())]


# -- start-up -----------------------------------------------------------------------------


def test_a_question_while_the_engine_starts_is_told_so_and_healthz_says_starting(make_bot, api, sqlite_db):
    slot = EngineSlot()
    bot = make_bot(slot=slot)
    bot.server.health = health_check(sqlite_db, bot.pool, slot)
    health = bot.slack.get("/healthz")
    assert (health.status, health.json()["status"]) == (503, "starting")

    bot.slack.event(mention(CARBON, ts=ROOT_TS))
    told = api.wait_for("chat.postMessage")[0]
    bot.idle()
    assert (told.params["text"], told.params["thread_ts"]) == (messages.STARTING_UP, ROOT_TS)
    assert web_calls(api) == ["chat.postMessage"]

    slot.set(bot.engine)
    ask_in_channel(bot, api, CARBON, ts="1700002000.000500")
    assert bot.engine.calls == [("answer", CARBON, ())]


def test_an_engine_that_failed_to_start_is_reported_to_askers_and_to_healthz(make_bot, api, sqlite_db):
    slot = EngineSlot()
    slot.fail("OSError: model.onnx is damaged")
    bot = make_bot(slot=slot)
    bot.server.health = health_check(sqlite_db, bot.pool, slot)
    health = bot.slack.get("/healthz")
    assert (health.status, health.json()) == (503, {
        "status": "unavailable", "reason": "the answer engine could not start: OSError: model.onnx is damaged"})
    bot.slack.event(message(CARBON, channel="D1", channel_type="im"))
    assert api.wait_for("chat.postMessage")[0].params["text"] == messages.ENGINE_UNAVAILABLE


# -- Slack's assistant threads ------------------------------------------------------------


def test_a_new_assistant_thread_gets_suggested_prompts(bot, api):
    response = bot.slack.event(assistant_thread_started(thread_ts="1700005000.000100"))
    assert response.status == 200
    prompts = api.wait_for("assistant.threads.setSuggestedPrompts")[0]
    bot.idle()
    assert web_calls(api) == ["assistant.threads.setSuggestedPrompts"]
    assert prompts.params == {"channel_id": "D1", "thread_ts": "1700005000.000100", "team_id": "T0001",
                              "prompts": list(messages.SUGGESTED_PROMPTS),
                              "title": messages.SUGGESTED_PROMPTS_TITLE}
    assert {p["title"].split(":")[0] for p in messages.SUGGESTED_PROMPTS} >= {"Staff", "Councillors", "Contact centre"}


def test_an_assistant_thread_is_titled_shows_a_status_and_gets_the_answer(bot, api):
    thread = "1700005000.000100"
    bot.slack.event(assistant_message(CARBON, thread_ts=thread, ts="1700005000.000200"))
    posted = api.wait_for("chat.postMessage")[0]
    bot.idle()
    assert web_calls(api) == ["assistant.threads.setTitle", "assistant.threads.setStatus", "chat.postMessage"]
    title, status = api.calls("assistant.threads.setTitle")[0], api.calls("assistant.threads.setStatus")[0]
    assert title.params == {"channel_id": "D1", "thread_ts": thread, "title": CARBON, "team_id": "T0001"}
    assert status.params == {"channel_id": "D1", "thread_ts": thread, "status": messages.ASSISTANT_STATUS,
                             "team_id": "T0001"}
    answer = carbon_answer(CARBON)
    assert (posted.params["channel"], posted.params["thread_ts"], posted.params["text"]) == ("D1", thread,
                                                                                          answer.headline)
    assert posted.params["blocks"] == render_blocks(answer, answer_id=answer_id_in(posted.params["blocks"]))

    # A follow-up: status and answer, no new title; chatter for someone else and context changes: nothing.
    bot.slack.event(assistant_message("<@U7> have a look at this", thread_ts=thread))
    bot.slack.event({"type": "assistant_thread_context_changed", "event_ts": "1700005000.000300",
                     "assistant_thread": {"user_id": "U1", "channel_id": "D1", "thread_ts": thread,
                                          "context": {"channel_id": "C2", "team_id": "T0001"}}})
    bot.slack.event(assistant_message("and in the 2016 framework?", thread_ts=thread))
    api.wait_for("chat.postMessage", count=2)
    bot.idle()
    assert web_calls(api)[3:] == ["assistant.threads.setStatus", "chat.postMessage"]
    assert bot.engine.calls[1] == ("answer", "and in the 2016 framework?", (Turn(CARBON, answer.text),))


def test_a_long_first_question_is_cut_at_a_word_for_the_title(bot, api):
    question = "What does the council promise " + "older people and their carers " * 5 + "?"
    bot.slack.event(assistant_message(question))
    title = api.wait_for("assistant.threads.setTitle")[0].params["title"]
    bot.idle()
    assert len(title) <= messages.TITLE_LIMIT and title.endswith("…")
    assert question.startswith(title[:-1])


# -- votes and sharing --------------------------------------------------------------------


def test_a_vote_shows_on_the_buttons_of_the_answer(bot, api):
    ask_in_channel(bot, api, CARBON, ts=ROOT_TS)
    update = api.calls("chat.update")[0]
    blocks = update.params["blocks"]
    bot.slack.action(ACTION_FEEDBACK_UP, answer_id_in(blocks), user="U2", response_url=api.response_url("vote"),
                     message={"text": update.params["text"], "blocks": blocks})
    redrawn, thanks = api.wait_for("response_url", count=2)
    bot.idle()
    assert redrawn.params == {"text": update.params["text"], "blocks": with_vote(blocks, "up"),
                              "replace_original": True}
    assert thanks.params == {"text": messages.FEEDBACK_THANKS["up"], "response_type": "ephemeral",
                             "replace_original": False}
    assert redrawn.params["blocks"][-1]["elements"][0]["style"] == "primary"


def test_a_private_answer_can_be_shared_in_the_channel_by_the_asker_only(bot, api):
    bot.slack.event(mention("privately what is the carbon footprint?", ts=ROOT_TS))
    private = api.wait_for("chat.postEphemeral")[0]
    bot.idle()
    buttons = private.params["blocks"][-1]["elements"]
    assert [b["action_id"] for b in buttons][-1] == ACTION_SHARE
    answer_id = buttons[-1]["value"]

    bot.slack.action(ACTION_SHARE, answer_id, user="U2", response_url=api.response_url("not-yours"))
    assert api.wait_for("response_url")[0].params["text"] == messages.SHARE_NOT_YOURS

    bot.slack.action(ACTION_SHARE, answer_id, user="U1", response_url=api.response_url("share"))
    deleted = api.wait_for("response_url", count=2)[1]
    bot.idle()
    assert web_calls(api) == ["chat.postEphemeral", "response_url", "chat.postMessage", "response_url"]
    shared = api.calls("chat.postMessage")[0]
    assert (shared.params["channel"], shared.params["thread_ts"]) == ("C1", ROOT_TS)
    assert shared.params["blocks"][0] == {"type": "context", "elements": [
        {"type": "mrkdwn", "text": "<@U1> shared this answer from Council Assistant."}]}
    assert ACTION_SHARE not in str(shared.params["blocks"])
    assert deleted.params == {"text": "", "delete_original": True}
    shared_id = answer_id_in(shared.params["blocks"])
    assert bot.store.get_answer(shared_id).private is False


class LlmEngine(FakeEngine):
    """The scripted engine, as the LLM mode: its answers say mode "llm" and have a list."""

    def answer(self, question, history=()):
        from dataclasses import replace

        answer = super().answer(question, history)
        return replace(answer, mode="llm", text=answer.text + "\n\nIt covers buildings, streetlights and fleet.")


def test_an_llm_answer_in_an_assistant_thread_is_streamed(make_bot, api):
    bot = make_bot(engine=LlmEngine())
    thread = "1700006000.000100"
    bot.slack.event(assistant_message(CARBON, thread_ts=thread))
    stop = api.wait_for("chat.stopStream")[0]
    bot.idle()
    assert web_calls(api) == ["assistant.threads.setTitle", "assistant.threads.setStatus", "chat.startStream",
                              "chat.appendStream", "chat.stopStream"]
    start, append = api.calls("chat.startStream")[0], api.calls("chat.appendStream")[0]
    answer = bot.engine.answer(CARBON)
    assert (start.params["channel"], start.params["thread_ts"], start.params["recipient_user_id"],
            start.params["recipient_team_id"]) == ("D1", thread, "U1", "T0001")
    assert start.params["chunks"] == [{"type": "markdown_text", "text": answer.headline + "\n\n"}]
    assert append.params["chunks"] == [{"type": "markdown_text",
                                        "text": "It covers buildings, streetlights and fleet.\n\n"}]
    answer_id = answer_id_in(stop.params["blocks"])
    full = render_blocks(answer, answer_id=answer_id)
    assert stop.params["blocks"] == full[2:]  # quotes and buttons close the stream; the text was streamed
    assert stop.params["ts"] == start.response["ts"]
