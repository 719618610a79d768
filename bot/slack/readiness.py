"""The answer engine of a bot that is still starting.

Building the index on an empty data directory takes most of a minute, but Slack checks the
Request URL within seconds and people may ask at once. So the bot listens first and builds
the engine on a background thread (`start_in_background`); until it is ready a question is
answered with "I'm starting up, ask again in a minute" and `/healthz` says 503 "starting".
A build that fails is reported the same way, with its reason, and never retried silently.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from bot.answer import AnswerEngine

log = logging.getLogger(__name__)

STARTING = "starting"
READY = "ready"
FAILED = "failed"


class EngineNotReady(RuntimeError):
    """The engine is still being built (`state == "starting"`) or could not be (`"failed"`)."""

    def __init__(self, state: str, reason: str | None = None):
        super().__init__(reason or state)
        self.state = state
        self.reason = reason


class EngineSlot:
    """Holds the engine once it exists. `EngineSlot(engine)` is ready at once (tests, and
    callers that built the engine themselves); `EngineSlot()` waits for `set` or `fail`."""

    def __init__(self, engine: AnswerEngine | None = None):
        self._engine = engine
        self._reason: str | None = None
        self._settled = threading.Event()
        self.ready_after_s: float | None = 0.0 if engine is not None else None
        if engine is not None:
            self._settled.set()

    @classmethod
    def of(cls, engine: "AnswerEngine | EngineSlot") -> "EngineSlot":
        return engine if isinstance(engine, EngineSlot) else cls(engine)

    @property
    def state(self) -> str:
        if self._engine is not None:
            return READY
        return FAILED if self._reason is not None else STARTING

    @property
    def reason(self) -> str | None:
        """Why the engine failed to start (one line), or None."""
        return self._reason

    def get(self) -> AnswerEngine:
        """The engine; raises `EngineNotReady` while starting or after a failed start."""
        engine = self._engine
        if engine is None:
            raise EngineNotReady(self.state, self._reason)
        return engine

    def peek(self) -> AnswerEngine | None:
        return self._engine

    def set(self, engine: AnswerEngine) -> None:
        self._engine = engine
        self._settled.set()

    def fail(self, reason: str) -> None:
        self._reason = " ".join(str(reason).split()) or "unknown error"
        self._settled.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the engine is ready or has failed; False if `timeout` passes first."""
        return self._settled.wait(timeout)

    def start_in_background(self, build: Callable[[], AnswerEngine],
                            on_settled: Callable[["EngineSlot"], None] | None = None) -> threading.Thread:
        """Run `build()` on a daemon thread and `set` (or `fail`) the slot with its result."""
        def run() -> None:
            started = time.perf_counter()
            try:
                self.set(build())
                self.ready_after_s = time.perf_counter() - started
                log.info("answer engine ready after %.1f s", self.ready_after_s)
            except Exception as error:
                log.debug("answer engine failed to start", exc_info=True)
                self.fail(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)
                log.error("the answer engine could not start: %s", self._reason)
            if on_settled is not None:
                on_settled(self)

        thread = threading.Thread(target=run, name="council-engine-start", daemon=True)
        thread.start()
        return thread
