"""GuardedEngine: the router, the kill switch and purdah in front of any AnswerEngine, and the
switches stored in the database (with their audit entries) and read through a short cache."""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.answer import Answer, Turn
from bot.audit.controls import (
    DEFAULT_OFF_MESSAGE,
    CachedControls,
    ControlError,
    Controls,
    ControlStore,
    Switch,
    describe_controls,
)
from bot.audit.log import AuditLog
from bot.audit.tables import AuditEntry
from bot.crisis import MENTAL_HEALTH
from bot.guarded_engine import GuardedEngine, RoutedAnswer, guard
from bot.guardrails import PURDAH_MESSAGE, PURDAH_NOTE
from bot.settings import Settings
from retrieval.vector_store import VectorStoreUnavailable
from tests.security.conftest import StaticControls

NOW = datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc)
BROADBAND = "What does the 2021-25 framework promise on broadband?"


class ScriptedEngine:
    """Answers "answer: <question>"; raises what `fail_with` holds; records every call."""

    mode = "offline"

    def __init__(self):
        self.calls: list[tuple] = []
        self.fail_with: Exception | None = None

    def answer(self, question, history=()):
        self.calls.append(("answer", question, tuple(history)))
        if self.fail_with:
            raise self.fail_with
        return Answer(question=question, text=f"answer: {question}")

    def describe_measure(self, query):
        self.calls.append(("describe_measure", query))
        if self.fail_with:
            raise self.fail_with
        return Answer(question=query, text=f"measure: {query}")


@pytest.fixture
def engine():
    return ScriptedEngine()


@pytest.fixture
def controls():
    return StaticControls()


def test_with_both_switches_off_the_engine_answer_passes_through_unchanged(engine, controls):
    guarded = GuardedEngine(engine, controls)
    history = (Turn("earlier", "before"),)
    answer = guarded.answer(BROADBAND, history)
    assert answer == Answer(question=BROADBAND, text=f"answer: {BROADBAND}")
    assert type(answer) is Answer
    assert engine.calls == [("answer", BROADBAND, history)]


def test_the_kill_switch_answers_with_its_message_and_never_calls_the_engine(engine, controls):
    controls.set(kill=True, message="Back at 2pm.")
    answer = GuardedEngine(engine, controls).answer(BROADBAND)
    assert (answer.text, answer.abstained, answer.outcome, answer.reason) == (
        "Back at 2pm.", True, "switched-off", "kill-switch")
    assert engine.calls == []
    controls.set(kill=True)
    assert GuardedEngine(engine, controls).describe_measure("NEET").text == DEFAULT_OFF_MESSAGE


def test_crisis_help_is_given_even_with_answering_switched_off(engine, controls):
    controls.set(kill=True, message="Back at 2pm.")
    answer = GuardedEngine(engine, controls).answer("I want to end my life")
    assert isinstance(answer, RoutedAnswer)
    assert (answer.text, answer.outcome, answer.reason) == (MENTAL_HEALTH.message, "signposted", "crisis-mental-health")
    assert engine.calls == []


def test_refusals_come_from_the_router_before_the_engine(engine, controls):
    answer = GuardedEngine(engine, controls).answer("Tell me a joke")
    assert (answer.outcome, answer.reason, answer.abstained) == ("refused", "out-of-scope", True)
    assert engine.calls == []


@pytest.mark.parametrize("raw, message", [
    (None, "Please type a question"),
    ("   ", "Please type a question"),
    ("%%%% 1234", "doesn't look like a question"),
])
def test_unusable_input_gets_the_clean_question_sentence(engine, controls, raw, message):
    answer = GuardedEngine(engine, controls).answer(raw)
    assert message in answer.text and answer.outcome == "rejected"
    assert engine.calls == []


def test_purdah_declines_politics_and_labels_answers(engine, controls):
    controls.set(purdah=True)
    guarded = GuardedEngine(engine, controls)
    refused = guarded.answer("What did the Conservatives promise in their manifesto?")
    assert (refused.text, refused.reason) == (PURDAH_MESSAGE, "purdah")
    answered = guarded.answer(BROADBAND)
    assert answered.text == f"answer: {BROADBAND}\nNote: {PURDAH_NOTE}"
    assert answered.notes == (PURDAH_NOTE,)
    assert engine.calls == [("answer", BROADBAND, ())]


@pytest.mark.parametrize("error, part, reason", [
    (OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused")), "council's performance database",
     "database"),
    (VectorStoreUnavailable("Vector search failed: Could not connect to tenant"), "document search", "vector-store"),
])
def test_an_outage_while_answering_is_a_clear_message_with_a_reference(engine, controls, caplog, error, part, reason):
    engine.fail_with = error
    answer = GuardedEngine(engine, controls).answer(BROADBAND)
    assert answer.text == (f"Sorry, I can't answer that just now: the {part} is not available. Please try again "
                           f"in a few minutes. If it keeps happening, please quote reference `{answer.reference}`.")
    assert (answer.outcome, answer.reason, len(answer.reference)) == ("unavailable", reason, 8)
    assert [r.levelname for r in caplog.records if answer.reference in r.getMessage()] == ["WARNING"]
    assert "Traceback" not in answer.text


def test_a_bug_in_the_engine_is_not_hidden(engine, controls):
    engine.fail_with = KeyError("bug")
    with pytest.raises(KeyError):  # the adapter apologises with a reference (tests/slack)
        GuardedEngine(engine, controls).answer(BROADBAND)


def test_the_guarded_offline_engine_gives_the_same_answers_as_the_engine(fake_engine):
    guarded = GuardedEngine(fake_engine, StaticControls())
    for question in (BROADBAND, "By how much will the budget have reduced by 2020-21?",
                     "How many potholes got filled in the past year?"):
        assert replace(guarded.answer(question), latency_ms=0) == replace(fake_engine.answer(question), latency_ms=0)


# -- the switches in the database -------------------------------------------------------------


def test_switch_changes_are_stored_with_their_audit_entry(audited_db):
    store = ControlStore(audited_db, clock=lambda: NOW)
    assert store.read() == Controls()
    state = store.set_kill_switch(True, by="alice", source="cli", message="  Back   at 2pm. ")
    assert state.kill_switch == Switch(True, "Back at 2pm.", "alice", state.kill_switch.updated_at)
    assert state.kill_switch.updated_at.replace(tzinfo=timezone.utc) == NOW
    store.set_purdah(True, by="U123", source="slack")
    store.set_kill_switch(False, by="alice", source="cli")
    assert store.read().kill_switch.message is None and store.read().purdah.on
    entries = AuditLog(audited_db).entries()
    assert [(e.source, e.user_id, e.mode, e.outcome, e.reason, e.answer) for e in reversed(entries)] == [
        ("cli", "alice", "admin", "admin", "kill-switch on", "Back at 2pm."),
        ("slack", "U123", "admin", "admin", "purdah on", ""),
        ("cli", "alice", "admin", "admin", "kill-switch off", ""),
    ]


@pytest.mark.parametrize("message, error", [
    ("   ", "The kill-switch message is empty"),
    ("x" * 1001, "The kill-switch message is 1,001 characters long; keep it under 1,000."),
])
def test_a_bad_kill_switch_message_is_refused_and_nothing_changes(audited_db, message, error):
    store = ControlStore(audited_db)
    with pytest.raises(ControlError, match=error):
        store.set_kill_switch(True, by="alice", source="cli", message=message)
    assert store.read() == Controls()
    with audited_db.connect() as conn:
        assert conn.execute(select(AuditEntry)).all() == []


def test_describe_controls_says_who_switched_and_when(audited_db):
    store = ControlStore(audited_db, clock=lambda: NOW)
    store.set_kill_switch(True, by="alice", source="cli", message="Back at 2pm.")
    assert describe_controls(store.read()) == (
        "Answering: OFF (since 2026-05-01 09:30 UTC, by alice). Askers see: “Back at 2pm.”\n"
        "Pre-election period (purdah): off.")


class FlakyStore:
    def __init__(self, states):
        self.states = list(states)
        self.reads = 0

    def read(self):
        self.reads += 1
        state = self.states.pop(0)
        if isinstance(state, Exception):
            raise state
        return state


def test_cached_controls_read_at_most_every_refresh_and_keep_the_last_state_in_an_outage(caplog):
    off = Controls(kill_switch=Switch(True, "Paused."))
    store = FlakyStore([off, OperationalError("x", {}, Exception("down")), OperationalError("x", {}, Exception("down")),
                        Controls()])
    now = [0.0]
    cached = CachedControls(store, refresh_s=5, clock=lambda: now[0])
    assert cached.current() == off
    now[0] = 4.9
    assert cached.current() == off and store.reads == 1
    now[0] = 5.0
    assert cached.current() == off and store.reads == 2  # the database is down: the last state stands
    now[0] = 10.0
    assert cached.current() == off and store.reads == 3
    now[0] = 15.0
    assert cached.current() == Controls() and store.reads == 4
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "could not read the kill switch and purdah settings (OperationalError); using the last known state "
        "(answering off, purdah off)",
        "kill switch and purdah settings readable again",
    ]


def test_guard_wires_the_switches_from_the_database(audited_db, engine):
    guarded = guard(engine, audited_db, Settings(controls_refresh_s=0))
    assert guarded.answer("carbon?").text == "answer: carbon?"
    ControlStore(audited_db).set_kill_switch(True, by="alice", source="cli", message="Paused for maintenance.")
    assert guarded.answer("carbon?").text == "Paused for maintenance."
