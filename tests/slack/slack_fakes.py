"""A scripted answer engine and a ready-wired bot on loopback, for tests and the benchmark."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import Sequence

from sqlalchemy import Engine

from bot.answer import Answer, Citation, Figure, Turn
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.executor import WorkerPool
from bot.slack.http_server import SlackHttpServer
from bot.slack.readiness import EngineSlot
from bot.slack.store import SLACK_TABLES, SlackStore
from slack_sdk import WebClient
from slack_fake_api import FakeSlackApi, SlackSender

SIGNING_SECRET = "test-signing-secret"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BOT_TOKEN = "xoxb-test-token"

CARBON_CITATION = Citation(
    doc_id="strategic-framework-2023-28-draft",
    title="Draft Strategic Framework 2023-2028",
    section="Greener",
    quote="CARBON FOOTPRINT for Cambridgeshire County Council as an organisation 2021/22: 131,610 TONNES CO2e",
)
CARBON_FIGURE = Figure(
    name="Carbon footprint of the council as an organisation",
    value="131,610",
    unit="tonnes CO2e",
    period="2021/22",
    doc_id="strategic-framework-2023-28-draft",
    outcome="Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045",
)


def carbon_answer(question: str) -> Answer:
    return Answer(
        question=question,
        text="The council's own carbon footprint in 2021/22 was 131,610 tonnes CO2e.",
        citations=(CARBON_CITATION,),
        figures=(CARBON_FIGURE,),
    )


def resolve_follow_up(question: str, history: Sequence[Turn]) -> str | None:
    """What the real engine does with "and in the 2016 framework?": the earlier question's
    topic with the new slot ("What is X in the 2016 framework?"); None for a whole question."""
    if not history or not question.lower().startswith("and "):
        return None
    topic = history[-1].question.rstrip("?").split(" in ", 1)[0]
    return f"{topic} {question[4:].strip()}"


class FakeEngine:
    """Answers from a script. "carbon" → the 131,610 figure; "explode" → raises; else an echo.
    A follow-up ("and in …?" after an earlier turn) is resolved into a full question first
    (`Answer.resolved_question`), as the real engine does.

    Records every call (kind, text, history) so tests can check what the adapter passed.
    `delay` simulates a slow engine (benchmark); `gate`, when given, holds every answer until
    the test sets it, and `entered` is set once an answer has started.
    """

    def __init__(self, delay: float = 0.0, gate: threading.Event | None = None):
        self.delay = delay
        self.gate = gate
        self.entered = threading.Event()
        self.calls: list[tuple[str, str, tuple[Turn, ...]]] = []
        self._lock = threading.Lock()

    def answer(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        with self._lock:
            self.calls.append(("answer", question, tuple(history)))
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(timeout=30), "the test never opened the gate"
        if self.delay:
            time.sleep(self.delay)
        if "explode" in question:
            raise RuntimeError("the index is corrupt")
        resolved = resolve_follow_up(question, history)
        if "carbon" in (resolved or question).lower():
            return replace(carbon_answer(question), resolved_question=resolved)
        return Answer(question=question, text=f"You asked: {resolved or question}", resolved_question=resolved)

    def describe_measure(self, query: str) -> Answer:
        with self._lock:
            self.calls.append(("describe_measure", query, ()))
        return Answer(
            question=query,
            text=f"{CARBON_FIGURE.name}: {CARBON_FIGURE.value} {CARBON_FIGURE.unit}.",
            figures=(CARBON_FIGURE,),
            citations=(CARBON_CITATION,),
        )


def make_settings(**overrides) -> Settings:
    values = dict(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        rate_limit_per_minute=100,
    )
    values.update(overrides)
    return Settings(**values)



def create_slack_tables(db: Engine) -> None:
    SLACK_TABLES[0].metadata.create_all(db, tables=list(SLACK_TABLES))


@dataclass
class RunningBot:
    """One bot process's worth of parts, serving HTTP on an ephemeral loopback port."""

    api: FakeSlackApi
    engine: FakeEngine
    db: Engine
    settings: Settings
    pool: WorkerPool
    server: SlackHttpServer
    slack: SlackSender
    slot: EngineSlot | None = None
    store: SlackStore = field(init=False)

    def __post_init__(self):
        self.store = SlackStore(self.db)

    def idle(self, timeout: float = 10.0) -> None:
        """Wait until every lazy task started by requests sent so far has finished."""
        assert self.pool.wait_idle(timeout), f"work still running after {timeout}s"

    def stop(self) -> None:
        self.server.stop()
        self.pool.wait_idle(10)
        self.pool.shutdown(wait=True)


def start_bot(api: FakeSlackApi, db: Engine, *, engine: FakeEngine | None = None,
              settings: Settings | None = None, workers: int = 4, slot: EngineSlot | None = None,
              health=None) -> RunningBot:
    """A bot on loopback. With `slot` (an empty `EngineSlot`) it starts without an engine, as
    the real one does while the index is built; the test fills the slot when it likes."""
    settings = settings or make_settings()
    engine = engine or FakeEngine()
    pool = WorkerPool(workers)
    client = WebClient(token=settings.slack_bot_token, base_url=api.api_url)
    app = build_app(settings, slot if slot is not None else engine, client=client, db=db, executor=pool)
    server = SlackHttpServer(app, host="127.0.0.1", port=0, signing_secret=settings.slack_signing_secret,
                             health=health or (lambda: {"status": "ok", "in_flight": pool.in_flight})).start()
    slack = SlackSender(server.url, settings.slack_signing_secret)
    return RunningBot(api, engine, db, settings, pool, server, slack, slot)


class BotProcess:
    """A bot in its own OS process (tests/slack/serve_fake_bot.py), reached over loopback HTTP."""

    def __init__(self, database_url: str, api_url: str, *, schema: str | None = None,
                 engine_delay: float = 0.05, workers: int = 4, rate_limit: int = 100):
        command = [sys.executable, str(Path(__file__).resolve().parent / "serve_fake_bot.py"),
                   "--database-url", database_url, "--api-url", api_url,
                   "--engine-delay", str(engine_delay), "--workers", str(workers), "--rate-limit", str(rate_limit)]
        if schema:
            command += ["--schema", schema]
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.stderr, text=True)
        line = self.process.stdout.readline()  # blocks until the child serves, or dies
        if not line.startswith("PORT "):
            self.stop()
            self.stderr.seek(0)
            raise RuntimeError(f"bot process failed to start: {line!r}\n{self.stderr.read()}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"
        self.slack = SlackSender(self.url, SIGNING_SECRET)

    def in_flight(self) -> int:
        return json.loads(self.slack.get("/healthz").body)["in_flight"]

    def idle(self, timeout: float = 20.0) -> None:
        """Poll /healthz until no work is queued or running; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self.in_flight():
            assert time.monotonic() < deadline, f"bot process still busy after {timeout}s"
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.stderr.close()
