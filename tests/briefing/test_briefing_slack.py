"""`/council brief <topic>` over real HTTP against the fake Slack Web API, charts uploaded with
`files_upload_v2` (getUploadURLExternal → upload → completeUploadExternal)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from slack_bolt import App
from slack_sdk import WebClient

from bot.briefing.charts import chart_png
from bot.briefing.commitments import commitments_text
from bot.slack.answering import Answerer, Question
from bot.slack.briefing_render import (
    BRIEF_USAGE,
    BRIEFINGS_UNAVAILABLE,
    CHARTS_NOT_POSTED,
    briefing_fallback_text,
    render_briefing_blocks,
)
from bot.slack.commitments_render import COMMITMENTS_USAGE, commitments_fallback_text, render_commitments_blocks
from bot.slack.executor import WorkerPool
from bot.slack.http_server import SlackHttpServer
from bot.slack.listeners import commands
from bot.slack.messages import LOOKING_UP
from bot.slack.parsing import parse_request
from bot.slack.ratelimit import RateLimiter
from bot.slack.store import SlackStore
from kpi_tools.database import make_engine
from slack_fake_api import FakeSlackApi, SlackSender
from slack_fakes import FakeEngine, create_slack_tables, make_settings


@dataclass
class BriefBot:
    api: FakeSlackApi
    slack: SlackSender
    pool: WorkerPool
    engine: FakeEngine

    def idle(self) -> None:
        assert self.pool.wait_idle(10), "work still running after 10s"


@pytest.fixture
def api():
    fake = FakeSlackApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def make_brief_bot(api, tmp_path):
    """A bot wired as `build_app` wires it, with the `/council` listeners given `briefings`."""
    started = []

    def make(briefings, rate_limit: int = 100) -> BriefBot:
        settings = make_settings(rate_limit_per_minute=rate_limit)
        db = make_engine(f"sqlite:///{tmp_path / f'slack-{len(started)}.db'}")
        create_slack_tables(db)
        pool = WorkerPool(2)
        client = WebClient(token=settings.slack_bot_token, base_url=api.api_url)
        app = App(client=client, signing_secret=settings.slack_signing_secret, process_before_response=True,
                  listener_executor=pool)
        engine = FakeEngine()
        store = SlackStore(db)
        commands.register(app, Answerer(engine, store, RateLimiter(rate_limit)), store, settings, briefings=briefings)
        server = SlackHttpServer(app, host="127.0.0.1", port=0, health=lambda: {"status": "ok"}).start()
        started.append((server, pool, db))
        return BriefBot(api, SlackSender(server.url, settings.slack_signing_secret), pool, engine)

    yield make
    for server, pool, db in started:
        server.stop()
        pool.wait_idle(10)
        pool.shutdown(wait=True)
        db.dispose()


MORE_DETAIL_AMBITION_1 = {"type": "context", "elements": [
    {"type": "mrkdwn", "text": "More detail: /council brief Ambition 1 --full"}]}


def after_start(api) -> list[str]:
    return [m for m in api.methods() if m != "auth.test"]


def test_a_briefing_is_posted_and_its_charts_uploaded_to_the_channel(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    ack = bot.slack.command("brief Ambition 1", response_url=api.response_url("b1"), channel="C1")
    assert ack.json() == {"text": LOOKING_UP, "response_type": "ephemeral"}
    api.wait_for("files.completeUploadExternal")
    bot.idle()
    expected = briefings.brief("Ambition 1")
    assert after_start(api) == ["response_url", "files.getUploadURLExternal", "files.getUploadURLExternal",
                                "file_upload", "file_upload", "files.completeUploadExternal"]
    (posted,) = api.calls("response_url")
    assert posted.params == {"text": briefing_fallback_text(expected), "response_type": "in_channel",
                             "blocks": render_briefing_blocks(expected) + [MORE_DETAIL_AMBITION_1]}
    urls = api.calls("files.getUploadURLExternal")
    assert [(c.params["filename"], int(c.params["length"])) for c in urls] == [
        ("carbon-ccc.png", len(chart_png(expected.charts[0]))), ("carbon-county.png", len(chart_png(expected.charts[1])))]
    uploads = api.calls("file_upload")
    assert [u.params["content"] for u in uploads] == [chart_png(c) for c in expected.charts]
    assert [u.params["file_id"] for u in uploads] == [c.response["file_id"] for c in urls]
    (complete,) = api.calls("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C1"
    assert complete.params["initial_comment"] == f"Trend charts for the briefing on {expected.heading}"
    assert complete.params["files"] == [
        {"id": urls[0].response["file_id"], "title": "Cambridgeshire County Council's own greenhouse gas emissions "
                                                      "(scopes 1-3)"},
        {"id": urls[1].response["file_id"], "title": "Greenhouse gas emissions of the county of Cambridgeshire"},
    ]
    assert bot.engine.calls == []


def test_a_private_briefing_uploads_nothing(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    bot.slack.command("private brief Ambition 1", response_url=api.response_url("p1"))
    (posted,) = api.wait_for("response_url")
    bot.idle()
    assert posted.params["response_type"] == "ephemeral"
    assert posted.params["blocks"] == render_briefing_blocks(briefings.brief("Ambition 1"), charts_attached=False) + [
        MORE_DETAIL_AMBITION_1]
    assert after_start(api) == ["response_url"]


def test_the_whole_briefing_with_full(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    bot.slack.command("private brief Ambition 1 --full", response_url=api.response_url("f1"))
    (posted,) = api.wait_for("response_url")
    bot.idle()
    assert posted.params["blocks"] == render_briefing_blocks(briefings.brief("Ambition 1").as_full(),
                                                             charts_attached=False)


def test_a_briefing_without_values_uploads_nothing(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    bot.slack.command("brief Ambition 3", response_url=api.response_url("n1"))
    api.wait_for("response_url")
    bot.idle()
    assert after_start(api) == ["response_url"]


def test_when_the_bot_is_not_in_the_channel_the_asker_is_told(make_brief_bot, api, briefings):
    api.errors["files.completeUploadExternal"] = "not_in_channel"
    bot = make_brief_bot(briefings)
    bot.slack.command("brief Ambition 1", response_url=api.response_url("x1"))
    api.wait_for("response_url", count=2)
    bot.idle()
    briefing, notice = api.calls("response_url")
    assert briefing.params["response_type"] == "in_channel"
    assert notice.params == {"text": CHARTS_NOT_POSTED, "response_type": "ephemeral"}


def test_an_unknown_topic_lists_the_ambitions(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    bot.slack.command("brief potato <wedges>", response_url=api.response_url("u1"))
    (posted,) = api.wait_for("response_url")
    bot.idle()
    assert posted.params["text"].startswith(
        "I couldn't match “potato &lt;wedges&gt;” to an ambition, outcome or topic of the council's strategy.")
    assert posted.params["text"].endswith("• Ambition 7: Children and young people have opportunities to thrive")
    assert "blocks" not in posted.params


def test_brief_without_a_topic_is_answered_in_the_ack(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    ack = bot.slack.command("brief", response_url=api.response_url("e1"))
    bot.idle()
    assert ack.json() == {"text": BRIEF_USAGE, "response_type": "ephemeral"}
    assert after_start(api) == []


def test_without_briefings_wired_the_bot_says_so(make_brief_bot, api):
    bot = make_brief_bot(None)
    bot.slack.command("brief Ambition 1", response_url=api.response_url("w1"))
    (posted,) = api.wait_for("response_url")
    bot.idle()
    assert posted.params == {"text": BRIEFINGS_UNAVAILABLE, "response_type": "in_channel"}


def test_briefings_count_against_the_rate_limit(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings, rate_limit=1)
    bot.slack.command("brief Ambition 3", response_url=api.response_url("r1"))
    api.wait_for("response_url")
    bot.idle()
    bot.slack.command("brief Ambition 3", response_url=api.response_url("r2"))
    api.wait_for("response_url", count=2)
    bot.idle()
    second = api.calls("response_url")[1]
    assert second.path == "/response/r2"
    assert second.params["response_type"] == "ephemeral"
    assert second.params["text"].startswith("You've asked 1 questions in the last minute")


def test_the_commitments_look_up_is_one_message(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    ack = bot.slack.command("commitments on flooding", response_url=api.response_url("c1"), channel="C1")
    assert ack.json() == {"text": LOOKING_UP, "response_type": "ephemeral"}
    (posted,) = api.wait_for("response_url")
    bot.idle()
    lookup = briefings.commitments("flooding")
    assert posted.params == {"text": commitments_fallback_text(lookup), "response_type": "in_channel",
                             "blocks": render_commitments_blocks(lookup)}
    assert bot.engine.calls == []  # the look-up, not a question for the engine


def test_a_look_up_on_nothing_says_how_to_ask(make_brief_bot, api, briefings):
    bot = make_brief_bot(briefings)
    bot.slack.command("commitments on the", response_url=api.response_url("c2"))
    (posted,) = api.wait_for("response_url")
    bot.idle()
    assert posted.params == {"text": COMMITMENTS_USAGE, "response_type": "in_channel"}


def test_commitments_on_a_topic_in_a_message_is_the_look_up(tmp_path, briefings):
    db = make_engine(f"sqlite:///{tmp_path / 'slack.db'}")
    create_slack_tables(db)
    engine = FakeEngine()
    answerer = Answerer(engine, SlackStore(db), RateLimiter(10), briefings=briefings)
    question = Question("T1", "D1", "U1", parse_request("<@UBOT> commitments on flooding?", "UBOT"))
    answer = answerer._ask(question)
    assert answer.text == commitments_text(briefings.commitments("flooding"))
    assert engine.calls == []
    other = Question("T1", "D1", "U1", parse_request("<@UBOT> what is the budget?", "UBOT"), history=False)
    answerer._ask(other)
    assert len(engine.calls) == 1
