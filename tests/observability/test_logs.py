"""JSON log lines, and one request id per question on every line about it."""
import io
import json
import logging
import threading

import pytest

from bot.observability.logs import configure_logging
from bot.observability.request_ids import current_request_id, request_scope, with_request_id


@pytest.fixture
def captured():
    """A private logger configured like the bot's root logger, writing into a buffer."""
    stream = io.StringIO()
    logger = logging.getLogger("tests.observability.captured")
    logger.propagate = False
    configure_logging("INFO", "json", stream=stream, logger=logger)
    yield logger, stream
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_json_line_has_time_level_logger_message_and_request_id(captured):
    logger, stream = captured
    with request_scope("req-1"):
        logger.info("answered %s in %d ms", "a1", 42)
    logger.warning("outside any question")
    first, second = lines(stream)
    assert set(first) == {"time", "level", "logger", "message", "request_id"}
    assert (first["level"], first["logger"], first["message"], first["request_id"]) == (
        "INFO", "tests.observability.captured", "answered a1 in 42 ms", "req-1")
    assert first["time"].endswith("Z") and len(first["time"]) == len("2026-11-25T15:50:10.123Z")
    assert second == {"time": second["time"], "level": "WARNING", "logger": "tests.observability.captured",
                      "message": "outside any question"}


def test_a_traceback_goes_into_the_exception_field(captured):
    logger, stream = captured
    try:
        raise RuntimeError("the index is corrupt")
    except RuntimeError:
        logger.exception("answer engine failed")
    (line,) = lines(stream)
    assert line["message"] == "answer engine failed"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith("RuntimeError: the index is corrupt")


def test_text_format_shows_the_request_id():
    stream = io.StringIO()
    logger = logging.getLogger("tests.observability.text")
    logger.propagate = False
    configure_logging("INFO", "text", stream=stream, logger=logger)
    with request_scope("req-7"):
        logger.info("hello")
    assert stream.getvalue().rstrip().endswith("INFO tests.observability.text [req-7]: hello")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="^LOG_FORMAT must be one of text, json, not 'xml'$"):
        configure_logging("INFO", "xml", logger=logging.getLogger("tests.observability.unused"))


def test_each_call_gets_its_own_id_and_the_previous_one_comes_back(captured):
    logger, stream = captured

    @with_request_id
    def handle(question: str) -> str:
        logger.info("start %s", question)
        logger.info("end %s", question)
        return current_request_id()

    with request_scope("outer"):
        first, second = handle("q1"), handle("q2")
        assert current_request_id() == "outer"
    assert current_request_id() is None
    assert first != second and len(first) == len(second) == 16
    assert [(line["message"], line["request_id"]) for line in lines(stream)] == [
        ("start q1", first), ("end q1", first), ("start q2", second), ("end q2", second)]


def test_questions_on_two_threads_keep_their_own_ids(captured):
    logger, stream = captured
    both_started = threading.Barrier(2)

    @with_request_id
    def handle(question: str) -> None:
        logger.info("start %s", question)
        both_started.wait(timeout=5)  # the two questions are now in flight together
        logger.info("end %s", question)

    threads = [threading.Thread(target=handle, args=(q,)) for q in ("q1", "q2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    ids: dict[str, set[str]] = {}
    for line in lines(stream):
        ids.setdefault(line["message"].split()[1], set()).add(line["request_id"])
    assert len(ids["q1"]) == len(ids["q2"]) == 1 and ids["q1"] != ids["q2"]


class Redacting(logging.Filter):
    """Like bot.redaction's filter: cleans the message and puts a cleaned traceback in exc_text."""

    def filter(self, record):
        record.msg, record.args = record.getMessage().replace("hunter2", "[secret]"), None
        if record.exc_info:
            record.exc_text = "Traceback (cleaned): password=[secret]"
        return True


def test_reconfiguring_keeps_the_handlers_filters_and_their_cleaned_traceback():
    stream = io.StringIO()
    logger = logging.getLogger("tests.observability.redacted")
    logger.propagate = False
    configure_logging("INFO", "text", stream=io.StringIO(), logger=logger).addFilter(Redacting())
    configure_logging("INFO", "json", stream=stream, logger=logger)  # e.g. LOG_FORMAT applied later
    try:
        raise RuntimeError("password=hunter2")
    except RuntimeError:
        logger.exception("login with hunter2 failed")
    (line,) = lines(stream)
    assert (line["message"], line["exception"]) == ("login with [secret] failed",
                                                    "Traceback (cleaned): password=[secret]")
