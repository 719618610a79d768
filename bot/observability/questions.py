"""What the bot measures about questions, and the one process-wide set of those metrics.

`/metrics` serves `council_questions_total{mode,outcome}` (outcome: answered, abstained,
error), `council_question_duration_seconds{mode}` (a histogram), `council_abstention_ratio`
(abstained / (answered + abstained), 0 before the first question) and
`council_question_errors_total{mode}`. The process-wide instance is made on first use, not at
import; tests call `reset_question_metrics()` or build their own `QuestionMetrics`.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from bot.answer import Answer
from bot.observability.metrics import MetricsRegistry

log = logging.getLogger(__name__)

# Seconds. The offline engine answers in tens of milliseconds; the LLM mode takes seconds.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0)
OUTCOMES = ("answered", "abstained", "error")

T = TypeVar("T")


class QuestionMetrics:
    def __init__(self, registry: MetricsRegistry | None = None):
        self.registry = registry or MetricsRegistry()
        self.questions = self.registry.counter(
            "council_questions_total", "Questions handled, by answer mode and outcome (answered, abstained, error).",
            ("mode", "outcome"))
        self.duration = self.registry.histogram(
            "council_question_duration_seconds", "Time the answer engine took for a question, by answer mode.",
            ("mode",), LATENCY_BUCKETS)
        self.registry.gauge(
            "council_abstention_ratio",
            "Share of questions answered with an abstention (abstained / (answered + abstained)).",
            self.abstention_ratio)
        self.errors = self.registry.counter(
            "council_question_errors_total", "Questions whose answering raised an error, by answer mode.", ("mode",))

    def record(self, answer: Answer, seconds: float) -> None:
        outcome = "abstained" if answer.abstained else "answered"
        self.questions.inc(mode=answer.mode, outcome=outcome)
        self.duration.observe(seconds, mode=answer.mode)

    def record_error(self, mode: str, seconds: float) -> None:
        self.questions.inc(mode=mode, outcome="error")
        self.errors.inc(mode=mode)
        self.duration.observe(seconds, mode=mode)

    def abstention_ratio(self) -> float:
        abstained = self.questions.total(outcome="abstained")
        total = abstained + self.questions.total(outcome="answered")
        return abstained / total if total else 0.0

    def render(self) -> str:
        return self.registry.render()

    def measured(self, ask: Callable[..., T], *args, mode: str = "offline", clock=time.perf_counter) -> T:
        """Call `ask(*args)` and record its answer (or its error, under `mode`) and duration;
        the answer or the exception passes through unchanged."""
        started = clock()
        try:
            answer = ask(*args)
        except Exception:
            self.record_error(mode, clock() - started)
            raise
        try:
            self.record(answer, clock() - started)
        except Exception:  # a metrics bug must never cost the asker their answer
            log.exception("could not record metrics for an answer")
        return answer


_lock = threading.Lock()
_current: QuestionMetrics | None = None


def question_metrics() -> QuestionMetrics:
    """This process's question metrics (made on first use)."""
    global _current
    with _lock:
        if _current is None:
            _current = QuestionMetrics()
        return _current


def reset_question_metrics() -> QuestionMetrics:
    """Start this process's metrics afresh (tests); returns the new instance."""
    global _current
    with _lock:
        _current = QuestionMetrics()
        return _current


def measured_answer(ask: Callable[..., T], *args, mode: str = "offline") -> T:
    """`QuestionMetrics.measured` on this process's metrics: what the Slack adapter calls."""
    return question_metrics().measured(ask, *args, mode=mode)
