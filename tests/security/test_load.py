"""Concurrency in small: users asking at once, each question also re-sent as Slack's retry.
Every question is answered once, none twice, and the audit log holds each one (the full-size
run is scripts/bench_load.py, results in docs/benchmarks-load.md)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot.audit.controls import CachedControls, ControlStore
from bot.audit.tables import AuditEntry
from bot.guarded_engine import GuardedEngine
from slack_fake_api import message
from slack_fakes import FakeEngine, make_settings

USERS, QUESTIONS = 10, 3


def test_concurrent_users_with_retries_lose_and_duplicate_nothing(make_bot, api, audited_db):
    engine = GuardedEngine(FakeEngine(delay=0.02), CachedControls(ControlStore(audited_db), refresh_s=1))
    bot = make_bot(engine=engine, settings=make_settings(rate_limit_per_minute=10), workers=4)
    barrier = threading.Barrier(USERS)
    statuses: list[int] = []

    def user(number: int) -> None:
        barrier.wait()
        for question in range(QUESTIONS):
            event = message(f"carbon question {question}", user=f"U{number}", channel=f"D{number}",
                            channel_type="im")
            for retry in (None, 1):
                statuses.append(bot.slack.event(event, event_id=f"Ev{number}-{question}", retry_num=retry).status)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    api.wait_for("chat.update", USERS * QUESTIONS, timeout=60)
    bot.idle(timeout=60)

    assert statuses == [200] * (2 * USERS * QUESTIONS)
    for number in range(USERS):
        channel = f"D{number}"
        assert len([c for c in api.calls("chat.postMessage") if c.params["channel"] == channel]) == QUESTIONS
        assert len([c for c in api.calls("chat.update") if c.params["channel"] == channel]) == QUESTIONS
    with audited_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AuditEntry)).scalar() == USERS * QUESTIONS
    assert bot.engine.engine.calls and len(bot.engine.engine.calls) == USERS * QUESTIONS
