"""The HTTP server against broken and hostile clients, and what `/healthz` reports."""
from __future__ import annotations

import json
import logging
import socket
import threading
import time

import pytest
from sqlalchemy import create_engine

from bot.slack.cli import health_check
from bot.slack.executor import WorkerPool
from bot.slack.http_server import MAX_BODY_BYTES, SlackHttpServer
from bot.slack.readiness import EngineSlot
from kpi_tools.database import make_engine
from kpi_tools.schema import upgrade_to_head
from slack_fake_api import mention, signature
from slack_fakes import SIGNING_SECRET, FakeEngine


@pytest.mark.parametrize("timestamp", ["abc", "", "1e9", "123.5", "-5", "0x10", "1700000000 "])
def test_a_malformed_timestamp_is_401_without_an_error_in_the_log(bot, api, caplog, timestamp):
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"type": "event_callback", "event_id": "EvT", "team_id": "T0001",
                       "event": mention("What is the carbon footprint?")})
    response = bot.slack.post(body, "application/json", headers={
        "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature(SIGNING_SECRET, timestamp, body)})
    bot.idle()
    assert (response.status, response.json()) == (401, {"error": "invalid request"})
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert api.methods() == ["auth.test"] and bot.engine.calls == []


def half_sent(port: int) -> socket.socket:
    stalled = socket.create_connection(("127.0.0.1", port), timeout=5)
    stalled.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")  # and no more
    return stalled


def test_stalled_connections_are_capped_and_timed_out(bot):
    server = SlackHttpServer(bot.server.app, port=0, read_timeout_s=0.5, max_connections=4, max_waiting=6).start()
    try:
        threads_before = threading.active_count()
        stalled = [half_sent(server.port) for _ in range(30)]
        time.sleep(0.3)
        assert threading.active_count() == threads_before  # a fixed set of threads, none per connection

        refused = [c for c in stalled if _ready(c) and c.recv(200).startswith(b"HTTP/1.1 503")]
        # 4 being read and up to 6 waiting (fewer when a thread had not yet taken its first one); the rest refused
        assert 20 <= len(refused) <= 24

        time.sleep(1.5)  # two read timeouts: those read first and those that waited are closed
        closed = [c for c in stalled if c not in refused and _ready(c) and c.recv(200) == b""]
        assert len(closed) == 30 - len(refused)
        for connection in stalled:
            connection.close()
        health = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        health.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert health.recv(200).startswith(b"HTTP/1.1 200")
        health.close()
    finally:
        server.stop()


def _ready(connection: socket.socket) -> bool:
    import select

    return bool(select.select([connection], [], [], 0)[0])


def test_the_body_limit_is_kept(bot):
    connection = socket.create_connection(("127.0.0.1", bot.server.port), timeout=5)
    connection.sendall(f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
                       .encode())
    assert connection.recv(200).startswith(b"HTTP/1.1 413")
    connection.close()


def test_the_server_refuses_nonsense_settings_when_built(bot):
    with pytest.raises(ValueError, match="read_timeout_s must be positive, not 0"):
        SlackHttpServer(bot.server.app, port=0, read_timeout_s=0)
    with pytest.raises(ValueError, match="max_connections must be at least 1, not 0"):
        SlackHttpServer(bot.server.app, port=0, max_connections=0)
    with pytest.raises(ValueError, match="max_waiting must not be negative, not -1"):
        SlackHttpServer(bot.server.app, port=0, max_waiting=-1)


# -- /healthz -----------------------------------------------------------------------------


def test_healthz_is_ok_only_with_the_engine_ready_and_the_schema_complete(tmp_path, sqlite_db):
    pool = WorkerPool(1)
    try:
        migrated = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        upgrade_to_head(migrated)
        slot = EngineSlot()
        assert health_check(migrated, pool, slot)() == {
            "status": "starting", "reason": "the answer engine is being built", "in_flight": 0}
        slot.set(FakeEngine())
        assert health_check(migrated, pool, slot)() == {"status": "ok", "in_flight": 0}

        missing = health_check(sqlite_db, pool, slot)()  # only the Slack tables, no migrations
        assert missing["status"] == "unavailable" and "schema" in missing["reason"]

        unreachable = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test",
                                    connect_args={"connect_timeout": 2})
        down = health_check(unreachable, pool, slot)()
        assert down["status"] == "unavailable" and "not available" in down["reason"]
    finally:
        pool.shutdown()


def test_a_retry_of_an_event_already_taken_is_acknowledged_without_bolt(bot, api, caplog):
    caplog.set_level(logging.INFO, logger="bot.slack.http_server")
    event = mention("What is the carbon footprint?", ts="1700004000.000100")
    assert bot.slack.event(event, event_id="EvTAKEN").status == 200
    api.wait_for("chat.update")
    bot.idle()
    assert bot.slack.event(event, event_id="EvTAKEN", retry_num=1).status == 200
    assert bot.slack.event(event, event_id="EvTAKEN", retry_num=2, secret="forged").status == 401
    bot.idle()
    assert [r.getMessage() for r in caplog.records if "already being answered" in r.getMessage()] == [
        "Slack retry 1 of event EvTAKEN, already being answered here: acknowledged"]
    assert len(bot.engine.calls) == 1 and api.methods().count("chat.update") == 1


def test_healthz_answers_503_with_the_reason(bot, api):
    bot.server.health = lambda: {"status": "unavailable", "reason": "The database at x is not available"}
    response = bot.slack.get("/healthz")
    assert (response.status, response.json()) == (503, {"status": "unavailable",
                                                         "reason": "The database at x is not available"})

    def broken() -> dict:
        raise RuntimeError("connection refused\nsecond line")

    bot.server.health = broken
    response = bot.slack.get("/healthz")
    assert (response.status, response.json()) == (503, {"status": "unavailable", "reason": "connection refused"})
