"""The assistant's two switches, shared by every process through the database.

* The kill switch turns answering off, with a message the asker sees instead (crisis
  signposting still works while it is on).
* Purdah (the pre-election period) makes the assistant decline anything about parties,
  elections or how well the council is doing, and label its answers as plain statements of
  the published documents.

A change is written together with its audit entry, in one transaction, so the audit log shows
who switched what and when. Readers use `CachedControls`, which asks the database at most
every `refresh_s` seconds and, while the database cannot be read, keeps the last state it saw.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Protocol

from sqlalchemy import Engine, insert, select, update

from bot.audit.log import AuditEvent, audit_row, utcnow
from bot.audit.tables import AssistantControl, AuditEntry

log = logging.getLogger(__name__)

KILL_SWITCH = "kill_switch"
PURDAH = "purdah"
MAX_MESSAGE_CHARS = 1000
DEFAULT_OFF_MESSAGE = ("The council assistant is switched off at the moment, so I can't answer questions. "
                       "Please try again later.")


class ControlError(ValueError):
    """A switch could not be set as asked; the message says why."""


@dataclass(frozen=True)
class Switch:
    on: bool = False
    message: str | None = None
    updated_by: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Controls:
    kill_switch: Switch = Switch()
    purdah: Switch = Switch()

    @property
    def answering_off(self) -> bool:
        return self.kill_switch.on

    @property
    def off_message(self) -> str:
        return self.kill_switch.message or DEFAULT_OFF_MESSAGE


class ControlsSource(Protocol):
    """What the guarded engine needs: the switches as they stand."""

    def current(self) -> Controls: ...


class ControlStore:
    def __init__(self, db: Engine, clock: Callable[[], datetime] = utcnow):
        self.db = db
        self._clock = clock

    def read(self) -> Controls:
        with self.db.connect() as conn:
            rows = {row.name: row for row in conn.execute(select(AssistantControl))}
        return Controls(kill_switch=_switch(rows.get(KILL_SWITCH)), purdah=_switch(rows.get(PURDAH)))

    def set_kill_switch(self, on: bool, *, by: str, source: str, message: str | None = None) -> Controls:
        """Turn answering off (with `message`, or the default) or back on."""
        if message is not None:
            message = " ".join(message.split())
            if not message:
                raise ControlError("The kill-switch message is empty; leave it out to use the default message.")
            if len(message) > MAX_MESSAGE_CHARS:
                raise ControlError(f"The kill-switch message is {len(message):,} characters long; "
                                   f"keep it under {MAX_MESSAGE_CHARS:,}.")
        return self._set(KILL_SWITCH, on, message if on else None, by, source)

    def set_purdah(self, on: bool, *, by: str, source: str) -> Controls:
        """Start or end the pre-election period."""
        return self._set(PURDAH, on, None, by, source)

    def _set(self, name: str, on: bool, message: str | None, by: str, source: str) -> Controls:
        now = self._clock()
        values = dict(enabled=on, message=message, updated_by=by[:64], updated_at=now)
        label = f"{name.replace('_', '-')} {'on' if on else 'off'}"
        event = AuditEvent(source=source, question=label, answer=message or "", mode="admin", outcome="admin",
                           reason=label, user_id=by)
        with self.db.begin() as conn:
            changed = conn.execute(update(AssistantControl).where(AssistantControl.name == name).values(**values))
            if not changed.rowcount:
                conn.execute(insert(AssistantControl).values(name=name, **values))
            conn.execute(insert(AuditEntry).values(**audit_row(event, now)))
        log.info("%s by %s (%s)", label, by, source)
        return self.read()


def _switch(row) -> Switch:
    if row is None:
        return Switch()
    return Switch(bool(row.enabled), row.message, row.updated_by, row.updated_at)


class CachedControls:
    """`ControlStore.read()` at most every `refresh_s` seconds (0: every time). Starts from "both
    off" until the first successful read; a failed read keeps the last known state and is logged
    once per outage, so a database outage neither stops answering nor floods the log."""

    def __init__(self, store: ControlStore, refresh_s: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.refresh_s = refresh_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = Controls()
        self._read_at: float | None = None
        self._failing = False

    def current(self) -> Controls:
        now = self._clock()
        with self._lock:
            if self._read_at is not None and now - self._read_at < self.refresh_s:
                return self._state
            self._read_at = now  # one reader refreshes; the others use the state they have
        try:
            state = self.store.read()
        except Exception as error:
            if not self._failing:
                log.warning("could not read the kill switch and purdah settings (%s); using the last known state "
                            "(answering %s, purdah %s)", type(error).__name__,
                            "off" if self._state.answering_off else "on", "on" if self._state.purdah.on else "off")
            self._failing = True
            return self._state
        if self._failing:
            log.warning("kill switch and purdah settings readable again")
            self._failing = False
        with self._lock:
            self._state = state
        return state


def describe_controls(controls: Controls) -> str:
    """The switches in two lines, for the CLI and the Slack admin command."""
    kill, purdah = controls.kill_switch, controls.purdah
    if kill.on:
        answering = f"Answering: OFF{_since(kill)}. Askers see: “{controls.off_message}”"
    else:
        answering = f"Answering: on{_since(kill)}."
    election = f"Pre-election period (purdah): {'ON' if purdah.on else 'off'}{_since(purdah)}."
    return f"{answering}\n{election}"


def _since(switch: Switch) -> str:
    if switch.updated_at is None:
        return ""
    return f" (since {switch.updated_at:%Y-%m-%d %H:%M} UTC, by {switch.updated_by})"
