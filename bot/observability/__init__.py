"""Observability: JSON logs with a request id per question, and Prometheus metrics.

* `request_ids`: the per-question id (a ContextVar) and the decorator that sets it.
* `logs`: the JSON and text log formats and `configure_logging`.
* `metrics`: a small registry rendering the Prometheus text format.
* `questions`: the bot's question metrics and the process-wide instance `/metrics` serves.
"""
from bot.observability.logs import JsonFormatter, configure_logging
from bot.observability.metrics import CONTENT_TYPE, MetricsRegistry
from bot.observability.questions import QuestionMetrics, measured_answer, question_metrics, reset_question_metrics
from bot.observability.request_ids import current_request_id, request_scope, with_request_id

__all__ = [
    "CONTENT_TYPE", "JsonFormatter", "MetricsRegistry", "QuestionMetrics", "configure_logging",
    "current_request_id", "measured_answer", "question_metrics", "request_scope", "reset_question_metrics",
    "with_request_id",
]
