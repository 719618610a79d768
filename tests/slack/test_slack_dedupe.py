"""One event, one answer: across Slack's retries and across several bot processes.

The claim is an INSERT into `slack_processed_events`, whose primary key is the event id, so
only one of any number of concurrent claimants wins. Proven here with two app instances on
one SQLite file, two on PostgreSQL, and two separate OS processes on PostgreSQL.
"""
from __future__ import annotations

import threading

import pytest

from slack_fake_api import mention
from slack_fakes import TEST_DATABASE_URL, BotProcess, FakeEngine, start_bot

EVENTS = 10


def send_to_all(senders, event: dict, event_id: str, retry_num=None) -> list[int]:
    """Deliver the same event to every sender at the same moment; return the statuses."""
    barrier = threading.Barrier(len(senders))
    statuses = [0] * len(senders)

    def deliver(index: int) -> None:
        barrier.wait()
        statuses[index] = senders[index].event(event, event_id=event_id, retry_num=retry_num).status

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(senders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return statuses


def assert_one_answer_per_event(api, bots_idle, events: int) -> None:
    updates = api.wait_for("chat.update", count=events)
    bots_idle()
    threads = [call.params["thread_ts"] for call in api.calls("chat.postMessage")]
    assert sorted(threads) == sorted(set(threads)), "a thread got two placeholders"
    assert len(threads) == events
    assert len(api.calls("chat.update")) == events == len(updates)


def run_two_instances(api, db) -> None:
    bots = [start_bot(api, db, engine=FakeEngine(delay=0.02)) for _ in range(2)]
    try:
        for n in range(EVENTS):
            statuses = send_to_all([b.slack for b in bots], mention(f"carbon {n}", ts=f"1700002000.{n:06d}"),
                                   event_id=f"EvSHARED{n}", retry_num=None if n % 2 else 1)
            assert statuses == [200, 200]

        def idle():
            for bot in bots:
                bot.idle()

        assert_one_answer_per_event(api, idle, EVENTS)
        answered = sum(len(bot.engine.calls) for bot in bots)
        assert answered == EVENTS
    finally:
        for bot in bots:
            bot.stop()


def test_two_app_instances_on_one_sqlite_database_answer_each_event_once(api, sqlite_db):
    run_two_instances(api, sqlite_db)


@pytest.mark.postgres
def test_two_app_instances_on_postgresql_answer_each_event_once(api, postgres_db):
    db, _schema = postgres_db
    run_two_instances(api, db)


@pytest.mark.postgres
def test_two_bot_processes_on_postgresql_answer_each_event_once(api, postgres_db):
    _db, schema = postgres_db
    processes = []
    try:
        for _ in range(2):
            processes.append(BotProcess(TEST_DATABASE_URL, api.api_url, schema=schema))
        for n in range(EVENTS):
            statuses = send_to_all([p.slack for p in processes], mention(f"carbon {n}", ts=f"1700003000.{n:06d}"),
                                   event_id=f"EvPROC{n}", retry_num=None if n % 2 else 1)
            assert statuses == [200, 200]

        def idle():
            for process in processes:
                process.idle()

        assert_one_answer_per_event(api, idle, EVENTS)
    finally:
        for process in processes:
            process.stop()
