"""The bot over real HTTP on loopback, against the fake Slack Web API.

Each test starts the bot in HTTP mode on an ephemeral port, sends requests signed as Slack
signs them, and asserts on the Web API calls the fake recorded. Waits are bounded polls on
that record (`api.wait_for`) or on the bot's worker pool draining (`bot.idle()`).
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time

from bot.answer import Turn
from bot.slack import messages
from bot.slack.home import home_view
from bot.slack.render import ACTION_ESCALATE, ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP, render_blocks
from slack_fake_api import BOT_ID, BOT_USER_ID, mention, message
from slack_fakes import FakeEngine, carbon_answer, make_settings

CARBON = "What is the council's carbon footprint?"


def answer_id_in(blocks: list[dict]) -> str:
    actions = [b for b in blocks if b["type"] == "actions"]
    assert actions, f"no buttons in {blocks}"
    return actions[0]["elements"][0]["value"]


def web_calls(api) -> list[str]:
    """Web API methods called after start-up's auth.test."""
    return [m for m in api.methods() if m != "auth.test"]


# -- mentions, threads and DMs ------------------------------------------------------------


def test_a_mention_is_answered_in_its_thread_with_the_exact_figure(bot, api):
    response = bot.slack.event(mention(CARBON, ts="1700000100.000100"))
    assert (response.status, response.body) == (200, "")

    update = api.wait_for("chat.update")[0]
    bot.idle()
    placeholder = api.calls("chat.postMessage")[0]
    assert web_calls(api) == ["chat.postMessage", "chat.update"]
    assert placeholder.params["channel"] == "C1"
    assert placeholder.params["thread_ts"] == "1700000100.000100"
    assert placeholder.params["text"] == messages.LOOKING_UP
    assert update.params["ts"] == "1700000000.000001"  # the placeholder's ts, from the fake
    answer_id = answer_id_in(update.params["blocks"])
    assert update.params["blocks"] == render_blocks(carbon_answer(CARBON), answer_id=answer_id)
    assert update.params["text"] == "The council's own carbon footprint in 2021/22 was 131,610 tonnes CO2e."
    assert update.params["blocks"][0]["text"]["text"] == update.params["text"]  # the answer first
    assert bot.engine.calls == [("answer", CARBON, ())]
    stored = bot.store.get_answer(answer_id)
    assert (stored.channel_id, stored.thread_ts, stored.message_ts, stored.user_id, stored.question) == (
        "C1", "1700000100.000100", "1700000000.000001", "U1", CARBON
    )


def test_a_retried_event_posts_nothing_new(bot, api):
    event = mention(CARBON, ts="1700000100.000100")
    bot.slack.event(event, event_id="EvRETRY1")
    api.wait_for("chat.update")
    bot.idle()
    before = api.methods()

    for retry in (1, 2):
        response = bot.slack.event(event, event_id="EvRETRY1", retry_num=retry)
        assert response.status == 200
    bot.idle()

    assert api.methods() == before
    assert len(bot.engine.calls) == 1


def test_a_retry_arriving_while_the_first_is_still_answering_is_dropped(make_bot, api):
    gate = threading.Event()
    bot = make_bot(engine=FakeEngine(gate=gate))
    event = mention(CARBON, ts="1700000100.000100")
    bot.slack.event(event, event_id="EvSLOW")
    assert bot.engine.entered.wait(10)  # the first delivery is inside the engine
    assert bot.slack.event(event, event_id="EvSLOW", retry_num=1).status == 200
    gate.set()
    bot.idle()
    assert web_calls(api) == ["chat.postMessage", "chat.update"]
    assert len(bot.engine.calls) == 1


def test_a_bad_signature_gets_401_and_nothing_happens(bot, api):
    response = bot.slack.event(mention(CARBON), secret="not-the-signing-secret")
    assert response.status == 401
    bot.idle()
    assert web_calls(api) == []
    assert bot.engine.calls == []


def test_a_five_minute_old_timestamp_gets_401(bot, api):
    response = bot.slack.event(mention(CARBON), timestamp=int(time.time()) - 5 * 60 - 1)
    assert response.status == 401
    bot.idle()
    assert web_calls(api) == []


def test_a_direct_message_is_answered_in_the_dm(bot, api):
    bot.slack.event(message(CARBON, channel="D1", channel_type="im", ts="1700000200.000100"))
    update = api.wait_for("chat.update")[0]
    placeholder = api.calls("chat.postMessage")[0]
    assert placeholder.params["channel"] == "D1"
    assert "thread_ts" not in placeholder.params
    assert update.params["channel"] == "D1"
    assert "131,610" in json.dumps(update.params["blocks"])


def test_follow_ups_in_a_dm_carry_the_recent_turns(bot, api):
    bot.slack.event(message(CARBON, channel="D1", channel_type="im"))
    api.wait_for("chat.update")
    bot.idle()
    bot.slack.event(message("and in the 2016 framework?", channel="D1", channel_type="im"))
    api.wait_for("chat.update", count=2)
    assert bot.engine.calls[1] == (
        "answer",
        "and in the 2016 framework?",
        (Turn(CARBON, carbon_answer(CARBON).text),),
    )


def test_messages_from_bots_are_ignored(bot, api):
    bot.slack.event(message(CARBON, channel="D1", channel_type="im", user=None, bot_id="B999",
                            subtype="bot_message"))
    bot.slack.event(message(CARBON, channel="D1", channel_type="im", user="U999", bot_id="B999"))
    bot.slack.event(message(CARBON, channel="D1", channel_type="im", user=BOT_USER_ID, bot_id=BOT_ID))
    bot.slack.event(message(CARBON, channel="D1", channel_type="im", user=BOT_USER_ID))
    bot.slack.event(mention(CARBON, user="U999") | {"bot_id": "B999"})
    bot.idle()
    assert web_calls(api) == []
    assert bot.engine.calls == []


def test_a_follow_up_in_the_thread_gets_the_earlier_turns_as_history(bot, api):
    bot.slack.event(mention(CARBON, ts="1700000300.000100"))
    api.wait_for("chat.update")
    bot.idle()

    follow_up = "and in the 2016 framework?"
    bot.slack.event(mention(follow_up, ts="1700000300.000200", thread_ts="1700000300.000100"))
    api.wait_for("chat.update", count=2)

    assert bot.engine.calls[1] == ("answer", follow_up, (Turn(CARBON, carbon_answer(CARBON).text),))
    second_placeholder = api.calls("chat.postMessage")[1]
    assert second_placeholder.params["thread_ts"] == "1700000300.000100"


def test_channel_messages_outside_the_bots_threads_are_not_answered(bot, api):
    bot.slack.event(message("What is the carbon footprint?", ts="1700000400.000100"))
    bot.slack.event(message("a reply in someone else's thread", ts="1700000400.000300",
                            thread_ts="1700000400.000100"))
    bot.slack.event(message("edited", subtype="message_changed"))
    bot.idle()
    assert web_calls(api) == []


def test_a_mention_only_channel_ignores_follow_ups_without_a_mention(make_bot, api):
    bot = make_bot(settings=make_settings(slack_admin_user_ids=frozenset({"UADMIN"})))
    ack = bot.slack.command("admin mention-only on", user="UADMIN", response_url=api.response_url("a"))
    assert "mention-only: on" in ack.json()["text"]
    bot.slack.event(mention(CARBON, ts="1700000500.000100"))
    api.wait_for("chat.update")
    bot.idle()
    bot.slack.event(message("and in 2016?", thread_ts="1700000500.000100"))
    bot.idle()
    assert len(bot.engine.calls) == 1


# -- failures are visible -----------------------------------------------------------------


def test_an_engine_error_gets_an_apology_with_a_reference_and_the_bot_keeps_going(bot, api, caplog):
    caplog.set_level(logging.INFO, logger="bot.slack")
    bot.slack.event(mention("please explode", ts="1700000600.000100"))
    update = api.wait_for("chat.update")[0]
    reference = re.search(r"reference `([0-9A-F]{8})`", update.params["text"]).group(1)
    assert update.params["text"] == messages.apology(reference)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].levelno == logging.ERROR
    assert "the index is corrupt" in logged[0].exc_text

    bot.slack.event(mention(CARBON))
    assert "131,610" in json.dumps(api.wait_for("chat.update", count=2)[1].params["blocks"])


def test_when_the_placeholder_cannot_be_updated_the_answer_is_posted_anew(bot, api):
    api.errors["chat.update"] = "message_not_found"
    bot.slack.event(mention(CARBON, ts="1700000700.000100"))
    posted = api.wait_for("chat.postMessage", count=2)[1]
    assert posted.params["thread_ts"] == "1700000700.000100"
    assert "131,610" in json.dumps(posted.params["blocks"])


def test_the_rate_limit_answers_with_a_friendly_private_message(make_bot, api):
    bot = make_bot(settings=make_settings(rate_limit_per_minute=2))
    for n in range(3):
        bot.slack.event(mention(f"question {n}", ts=f"1700000800.00010{n}"))
        bot.idle()
    notice = api.wait_for("chat.postEphemeral")[0]
    assert notice.params["user"] == "U1"
    assert re.fullmatch(
        r"You've asked 2 questions in the last minute, which is as many as I can take\. "
        r"Please try again in \d+ seconds?\.",
        notice.params["text"],
    )
    assert [call[1] for call in bot.engine.calls] == ["question 0", "question 1"]


def test_a_channel_outside_the_allow_list_is_told_so(make_bot, api):
    bot = make_bot(settings=make_settings(allowed_channel_ids=frozenset({"C9"})))
    bot.slack.event(mention(CARBON, channel="C1"))
    notice = api.wait_for("chat.postEphemeral")[0]
    assert notice.params["text"] == messages.NOT_ENABLED
    ack = bot.slack.command(CARBON, channel="C1", response_url=api.response_url("x"))
    assert ack.json()["text"] == messages.NOT_ENABLED
    bot.slack.event(message(CARBON, channel="D1", channel_type="im"))  # DMs stay allowed
    api.wait_for("chat.update")
    bot.idle()
    assert [call[1] for call in bot.engine.calls] == [CARBON]


def test_a_workspace_outside_the_allow_list_is_not_answered(make_bot, api):
    bot = make_bot(settings=make_settings(allowed_team_ids=frozenset({"T9999"})))
    bot.slack.event(mention(CARBON))
    assert api.wait_for("chat.postEphemeral")[0].params["text"] == messages.NOT_ENABLED
    bot.idle()
    assert bot.engine.calls == []


# -- slash command ------------------------------------------------------------------------


def test_the_slash_command_answers_through_its_response_url(bot, api):
    ack = bot.slack.command(CARBON, response_url=api.response_url("cmd1"))
    assert ack.status == 200
    assert ack.json() == {"text": messages.LOOKING_UP, "response_type": "ephemeral"}
    posted = api.wait_for("response_url")[0]
    bot.idle()
    assert posted.path == "/response/cmd1"
    assert posted.params["response_type"] == "in_channel"
    answer_id = answer_id_in(posted.params["blocks"])
    assert posted.params["blocks"] == render_blocks(carbon_answer(CARBON), answer_id=answer_id)
    assert web_calls(api) == ["response_url"]
    assert bot.engine.calls == [("answer", CARBON, ())]


def test_slash_private_kpi_and_help(bot, api):
    ack = bot.slack.command("private kpi carbon footprint", response_url=api.response_url("kpi"))
    assert ack.json() == {"text": messages.LOOKING_UP, "response_type": "ephemeral"}
    posted = api.wait_for("response_url")[0]
    assert posted.params["response_type"] == "ephemeral"
    assert bot.engine.calls == [("describe_measure", "carbon footprint", ())]

    help_ack = bot.slack.command("help", response_url=api.response_url("help"))
    assert help_ack.json() == {"text": messages.HELP_TEXT, "blocks": messages.help_blocks(),
                              "response_type": "ephemeral"}
    empty_ack = bot.slack.command("", response_url=api.response_url("empty"))
    assert empty_ack.json()["blocks"] == messages.help_blocks()
    bot.idle()
    assert len(bot.engine.calls) == 1


def test_the_ack_does_not_wait_for_the_engine(make_bot, api):
    gate = threading.Event()  # the engine cannot finish until the acks are back
    bot = make_bot(engine=FakeEngine(gate=gate))
    event_ack = bot.slack.event(mention(CARBON))
    command_ack = bot.slack.command(CARBON, response_url=api.response_url("slow"))
    assert (event_ack.status, command_ack.status) == (200, 200)
    assert api.calls("chat.update") == [] and api.calls("response_url") == []
    gate.set()
    api.wait_for("response_url")
    api.wait_for("chat.update")


# -- privacy, admin, feedback, escalation -------------------------------------------------


def test_privately_keyword_answers_only_the_asker(bot, api):
    bot.slack.event(mention("privately what is the carbon footprint?", ts="1700000900.000100"))
    private = api.wait_for("chat.postEphemeral")[0]
    bot.idle()
    assert web_calls(api) == ["chat.postEphemeral"]
    assert (private.params["user"], private.params["thread_ts"]) == ("U1", "1700000900.000100")
    assert "131,610" in json.dumps(private.params["blocks"])
    assert bot.engine.calls == [("answer", "what is the carbon footprint?", ())]


def test_admins_set_a_channel_to_private_answers_and_others_cannot(make_bot, api):
    bot = make_bot(settings=make_settings(slack_admin_user_ids=frozenset({"UADMIN"})))
    refused = bot.slack.command("admin private on", user="U1", response_url=api.response_url("a1"))
    assert refused.json() == {"text": messages.NOT_ADMIN, "response_type": "ephemeral"}

    saved = bot.slack.command("admin private on", user="UADMIN", response_url=api.response_url("a2"))
    assert saved.json()["text"].startswith("Saved.")
    assert "private answers: on" in saved.json()["text"]

    bot.slack.event(mention(CARBON))
    api.wait_for("chat.postEphemeral")
    bot.idle()
    assert web_calls(api) == ["chat.postEphemeral"]


def test_a_feedback_click_is_stored(bot, api):
    bot.slack.event(mention(CARBON, ts="1700001000.000100"))
    answer_id = answer_id_in(api.wait_for("chat.update")[0].params["blocks"])
    bot.idle()

    response = bot.slack.action(ACTION_FEEDBACK_UP, answer_id, user="U2", response_url=api.response_url("fb"))
    assert response.status == 200
    thanks = api.wait_for("response_url")[0]
    assert thanks.params == {"text": messages.FEEDBACK_THANKS["up"], "response_type": "ephemeral",
                             "replace_original": False}
    bot.slack.action(ACTION_FEEDBACK_DOWN, answer_id, user="U2", response_url=api.response_url("fb2"))
    api.wait_for("response_url", count=2)
    bot.idle()

    rows = bot.store.feedback_rows()
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("answer_id", "channel_id", "user_id", "rating", "question", "answer_text")} == {
        "answer_id": answer_id,
        "channel_id": "C1",
        "user_id": "U2",
        "rating": "down",
        "question": CARBON,
        "answer_text": carbon_answer(CARBON).text,
    }
    assert row["created_at"] is not None


def test_need_more_help_tags_the_channels_contacts_once(make_bot, api):
    bot = make_bot(settings=make_settings(slack_admin_user_ids=frozenset({"UADMIN"})))
    saved = bot.slack.command("admin escalate <@U7|ann> <!subteam^S1|@policy-team>", user="UADMIN",
                              response_url=api.response_url("adm"))
    assert "<@U7> <!subteam^S1>" in saved.json()["text"]

    bot.slack.event(mention(CARBON, ts="1700001100.000100"))
    blocks = api.wait_for("chat.update")[0].params["blocks"]
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [
        ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN, ACTION_ESCALATE
    ]
    answer_id = answer_id_in(blocks)
    bot.idle()

    bot.slack.action(ACTION_ESCALATE, answer_id, user="U1", response_url=api.response_url("e1"))
    tag = api.wait_for("chat.postMessage", count=2)[1]
    assert tag.params["thread_ts"] == "1700001100.000100"
    assert tag.params["text"] == messages.escalation("U1", ("<@U7>", "<!subteam^S1>"), private=False)
    assert api.wait_for("response_url")[0].params["text"] == messages.escalation_sent()

    bot.slack.action(ACTION_ESCALATE, answer_id, user="U2", response_url=api.response_url("e2"))
    again = api.wait_for("response_url", count=2)[1]
    bot.idle()
    assert again.params["text"] == messages.already_escalated("U1")
    assert len(api.calls("chat.postMessage")) == 2


# -- home, health, url verification -------------------------------------------------------


def test_opening_app_home_publishes_the_home_view(bot, api):
    bot.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home",
                     "event_ts": "1700001200.000100"})
    published = api.wait_for("views.publish")[0]
    assert published.params["user_id"] == "U1"
    assert published.params["view"] == home_view()


def test_healthz_and_unknown_paths(bot):
    health = bot.slack.get("/healthz")
    assert (health.status, health.json()) == (200, {"status": "ok", "in_flight": 0})
    assert bot.slack.get("/nowhere").status == 404


def test_url_verification_echoes_the_challenge(bot):
    body = json.dumps({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    response = bot.slack.post(body, "application/json")
    assert response.status == 200
    assert response.json() == {"challenge": "abc123"}


def test_when_the_tag_cannot_be_posted_the_clicker_is_told_and_may_try_again(make_bot, api):
    bot = make_bot(settings=make_settings(slack_admin_user_ids=frozenset({"UADMIN"})))
    bot.slack.command("admin escalate U0123ABCD", user="UADMIN", response_url=api.response_url("adm"))
    bot.slack.event(mention(CARBON, ts="1700001300.000100"))
    answer_id = answer_id_in(api.wait_for("chat.update")[0].params["blocks"])
    bot.idle()

    api.errors["chat.postMessage"] = "not_in_channel"
    bot.slack.action(ACTION_ESCALATE, answer_id, response_url=api.response_url("e1"))
    told = api.wait_for("response_url")[0]
    assert told.params["text"] == "I couldn't post in this channel. Please ask <@U0123ABCD> directly."

    del api.errors["chat.postMessage"]
    bot.slack.action(ACTION_ESCALATE, answer_id, response_url=api.response_url("e2"))
    assert api.wait_for("response_url", count=2)[1].params["text"] == messages.escalation_sent()


def test_help_in_a_mention_is_answered_in_the_thread_without_the_engine(bot, api):
    bot.slack.event(mention("help", ts="1700001400.000100"))
    posted = api.wait_for("chat.postMessage")[0]
    bot.idle()
    assert posted.params["thread_ts"] == "1700001400.000100"
    assert posted.params["blocks"] == messages.help_blocks()
    assert bot.engine.calls == []
