"""Question counts, latency by mode, abstention rate and errors, as `/metrics` reports them."""
import itertools

import pytest

from bot.answer import Answer
from bot.observability.questions import QuestionMetrics, question_metrics, reset_question_metrics


def ticking_clock(step: float):
    """A clock that advances `step` seconds on every read, so each call measures exactly `step`."""
    counter = itertools.count()
    return lambda: next(counter) * step


def test_answers_abstentions_and_errors_are_counted_by_mode():
    metrics = QuestionMetrics()
    clock = ticking_clock(0.25)  # exact in binary, so sums compare exactly
    metrics.measured(lambda q: Answer(q, "yes"), "q1", clock=clock)
    metrics.measured(lambda q: Answer(q, "no idea", abstained=True, mode="llm"), "q2", clock=clock)
    metrics.measured(lambda q: Answer(q, "also yes"), "q3", clock=clock)

    def explode(question):
        raise RuntimeError("the index is corrupt")

    with pytest.raises(RuntimeError, match="the index is corrupt"):
        metrics.measured(explode, "q4", mode="llm", clock=clock)
    text = metrics.render()
    assert [line for line in text.splitlines() if line.startswith("council_questions_total")] == [
        'council_questions_total{mode="llm",outcome="abstained"} 1',
        'council_questions_total{mode="llm",outcome="error"} 1',
        'council_questions_total{mode="offline",outcome="answered"} 2',
    ]
    assert 'council_question_duration_seconds_count{mode="offline"} 2' in text.splitlines()
    assert 'council_question_duration_seconds_sum{mode="offline"} 0.5' in text.splitlines()
    assert 'council_question_duration_seconds_bucket{mode="offline",le="0.2"} 0' in text.splitlines()
    assert 'council_question_duration_seconds_bucket{mode="offline",le="0.5"} 2' in text.splitlines()
    assert 'council_question_duration_seconds_count{mode="llm"} 2' in text.splitlines()
    assert "council_abstention_ratio 0.3333333333333333" in text.splitlines()
    assert 'council_question_errors_total{mode="llm"} 1' in text.splitlines()


def test_abstention_ratio_is_zero_before_any_question():
    assert "council_abstention_ratio 0" in QuestionMetrics().render().splitlines()


def test_the_process_metrics_are_made_once_and_can_be_reset():
    first = question_metrics()
    assert question_metrics() is first
    fresh = reset_question_metrics()
    assert fresh is not first and question_metrics() is fresh
