"""Personal numbers and addresses never reach the audit log or `slack_answers`, and the stored
Slack answers follow the audit log's retention."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.audit.log import AuditEvent, AuditLog
from bot.audit.tables import AuditEntry
from bot.redaction import luhn_valid, nhs_number_valid, redact_personal
from bot.slack.store import AnswerRecord, SlackAnswer, SlackFeedback, SlackStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, expected", [
    ("My NI number is QQ 12 34 56 C.", "My NI number is [NI number]."),
    ("ni AB123456C please", "ni [NI number] please"),
    ("qq123456c", "[NI number]"),
    ("NHS number 943 476 5919", "NHS number [NHS number]"),
    ("9434765919 is mine", "[NHS number] is mine"),
    ("NHS no: 485 777 3456, thanks", "NHS no: [NHS number], thanks"),  # no valid check digit, but named
    ("card 4111 1111 1111 1111 expires", "card [card number] expires"),
    ("5555-5555-5555-4444.", "[card number]."),
    ("amex 378282246310005", "amex [card number]"),
    ("I live at 12 Mill Road, Cambridge CB1 2AB, help", "I live at [address], help"),
    ("Flat 3, 14a High Street, Ely CB7 4HF", "[address]"),
    ("write to 7 Fen Drove, March, PE15 0AB", "write to [address]"),
])
def test_personal_numbers_and_addresses_are_redacted(text, expected):
    assert redact_personal(text) == expected


@pytest.mark.parametrize("text", [
    "131,610 tonnes in 2021/22 and £124 million by 2020-21",
    "between 2016 2021 and 2023-2028",
    "2021 2022 2023 2024",  # four years in a row are not a card number
    "4111 1111 1111 1112",  # fails the Luhn check
    "1234567890",  # ten digits with no valid NHS check digit, not named as one
    "Shire Hall CB3 0AP",  # a postcode on its own is a place, not a person
    "In 2021 we helped 5 people in Ely CB7 4HF.",
    "KPI 1F, SO2 and Ambition 3",
    "Samaritans 116 123, 999, NHS 111",
])
def test_figures_years_codes_and_places_are_left_alone(text):
    assert redact_personal(text) == text


def test_the_checks():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert nhs_number_valid("9434765919") and not nhs_number_valid("9434765918")


def test_the_audit_log_keeps_none_of_them(audited_db):
    audit = AuditLog(audited_db)
    audit.record(AuditEvent(source="slack", question="NI QQ 12 34 56 C, NHS 943 476 5919, card 4111111111111111, "
                                                      "12 Mill Road, Cambridge CB1 2AB",
                            answer="Noted AB123456C"))
    with audited_db.connect() as conn:
        row = conn.execute(select(AuditEntry)).one()
    assert row.question == "NI [NI number], NHS [NHS number], card [card number], [address]"
    assert row.answer == "Noted [NI number]"


def answer(answer_id: str, question: str, at: datetime) -> AnswerRecord:
    return AnswerRecord(id=answer_id, team_id="T1", channel_id="C1", thread_ts="1.1", message_ts="1.2",
                        user_id="U1", question=question, answer_text=f"About {question}", created_at=at)


def test_slack_answers_are_stored_redacted_and_storable(audited_db):
    store = SlackStore(audited_db)
    store.save_answer(answer("a1", "My NHS number is 943 476 5919 and email ann@example.org \x00 \ud800", T0))
    stored = store.get_answer("a1")
    assert stored.question == "My NHS number is [NHS number] and email [email] \ufffd \ufffd"
    assert stored.answer_text == "About My NHS number is [NHS number] and email [email] \ufffd \ufffd"
    assert store.history("C1", "1.1", "U1")[0].question == stored.question


def test_the_audit_purge_also_purges_old_slack_answers_and_their_feedback(audited_db):
    store = SlackStore(audited_db, clock=lambda: T0)
    store.save_answer(answer("old", "old question", T0 - timedelta(days=40)))
    store.save_answer(answer("new", "new question", T0 - timedelta(days=1)))
    store.record_feedback("old", "U2", "up")
    audit = AuditLog(audited_db, retention_days=30, clock=lambda: T0)
    audit.purge()
    assert audit.purged_answers == 1
    with audited_db.connect() as conn:
        assert [row.id for row in conn.execute(select(SlackAnswer))] == ["new"]
        assert conn.execute(select(SlackFeedback)).all() == []


def test_a_store_with_a_retention_purges_on_write_at_most_hourly(audited_db):
    now = [T0]
    store = SlackStore(audited_db, clock=lambda: now[0], retention_days=7)
    store.save_answer(answer("a", "first", T0 - timedelta(days=8)))  # purged by its own write
    store.save_answer(answer("b", "second", T0 - timedelta(days=8)))  # within the hour: kept for now
    assert store.get_answer("a") is None and store.get_answer("b") is not None
    now[0] = T0 + timedelta(hours=2)
    store.save_answer(answer("c", "third", now[0]))
    assert store.get_answer("b") is None and store.get_answer("c") is not None
    assert store.purge_answers(timedelta(days=7)) == 0
