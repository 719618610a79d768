"""End to end through the HTTP bot: GET /metrics after real Slack deliveries, and the log lines
of each question sharing that question's request id."""
import io
import json
import logging

import pytest

from bot.observability import CONTENT_TYPE, configure_logging, reset_question_metrics
from slack_fake_api import mention
from slack_fakes import FakeEngine, start_bot


class LoggingEngine(FakeEngine):
    """The scripted engine, writing one log line per question as a real engine might."""

    def answer(self, question, history=()):
        logging.getLogger("bot.engine").info("engine received %r", question)
        return super().answer(question, history)


@pytest.fixture
def json_log():
    """Every `bot.*` log line, as the bot's JSON formatter writes it."""
    stream = io.StringIO()
    logger = logging.getLogger("bot")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    configure_logging("INFO", "json", stream=stream, logger=logger)
    yield stream
    logger.handlers[:], logger.level, logger.propagate = saved


def test_metrics_and_request_ids_for_three_questions(slack_api, slack_db, json_log):
    reset_question_metrics()
    bot = start_bot(slack_api, slack_db, engine=LoggingEngine())
    try:
        for n, text in enumerate(["carbon footprint?", "explode please", "anything else?"]):
            assert bot.slack.event(mention(text, ts=f"1700009000.00000{n}")).status == 200
        slack_api.wait_for("chat.update", count=3)
        bot.idle()
        response = bot.slack.get("/metrics")
    finally:
        bot.stop()

    assert response.status == 200
    lines = response.body.splitlines()
    assert [line for line in lines if line.startswith("council_questions_total")] == [
        'council_questions_total{mode="offline",outcome="answered"} 2',
        'council_questions_total{mode="offline",outcome="error"} 1',
    ]
    assert 'council_question_duration_seconds_count{mode="offline"} 3' in lines
    assert "council_abstention_ratio 0" in lines
    assert 'council_question_errors_total{mode="offline"} 1' in lines

    records = [json.loads(line) for line in json_log.getvalue().splitlines()]
    engine_lines = [r for r in records if r["logger"] == "bot.engine"]
    by_question = {r["message"].split("'")[1]: r["request_id"] for r in engine_lines}
    assert sorted(by_question) == ["anything else?", "carbon footprint?", "explode please"]
    assert len(set(by_question.values())) == 3  # one id per question
    outcome_lines = [r for r in records if r["logger"] == "bot.slack.answering"]
    assert len(outcome_lines) == 3
    failed = next(r for r in outcome_lines if r["message"].startswith("answer engine failed"))
    assert failed["request_id"] == by_question["explode please"]
    assert failed["exception"].endswith("RuntimeError: the index is corrupt")
    answered_ids = {r["request_id"] for r in outcome_lines if r["message"].startswith("answered ")}
    assert answered_ids == {by_question["carbon footprint?"], by_question["anything else?"]}


def test_metrics_content_type_is_prometheus_text(slack_api, slack_db):
    import http.client

    bot = start_bot(slack_api, slack_db)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", bot.server.port, timeout=5)
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        response.read()
        connection.close()
    finally:
        bot.stop()
    assert (response.status, response.getheader("Content-Type")) == (200, CONTENT_TYPE)
