"""A small metrics registry that renders the Prometheus text exposition format (version 0.0.4).

Counters, histograms and gauges with fixed label names; enough for `/metrics` without a
dependency. Nothing is registered at import time: a registry is an ordinary object, so tests
build their own and the bot keeps one per process (`bot.observability.questions`).
"""
from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")

LabelValues = tuple[str, ...]


def format_value(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels_text(names: Sequence[str], values: Sequence[str]) -> str:
    if not names:
        return ""
    return "{" + ",".join(f'{n}="{_escape(v)}"' for n, v in zip(names, values)) + "}"


class _Metric:
    kind = ""

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()):
        if not _NAME.match(name):
            raise ValueError(f"invalid metric name {name!r}")
        for label in labels:
            if not _LABEL.match(label) or label == "le":
                raise ValueError(f"invalid label name {label!r} for {name}")
        self.name = name
        self.help = help_text
        self.label_names = tuple(labels)
        self._lock = threading.Lock()

    def _key(self, labels: dict[str, str]) -> LabelValues:
        if set(labels) != set(self.label_names):
            raise ValueError(f"{self.name} takes labels {list(self.label_names)}, not {sorted(labels)}")
        return tuple(str(labels[name]) for name in self.label_names)

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.help.replace(chr(92), chr(92) * 2).replace(chr(10), ' ')}",
                f"# TYPE {self.name} {self.kind}"]

    def lines(self) -> list[str]:
        raise NotImplementedError


class Counter(_Metric):
    kind = "counter"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()):
        super().__init__(name, help_text, labels)
        self._values: dict[LabelValues, float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        if amount < 0:
            raise ValueError(f"{self.name} is a counter; it cannot go down by {amount}")
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        with self._lock:
            return self._values.get(self._key(labels), 0.0)

    def total(self, **matching: str) -> float:
        """Sum over every label combination whose labels include `matching`."""
        with self._lock:
            items = list(self._values.items())
        positions = {self.label_names.index(name): value for name, value in matching.items()}
        return sum(v for key, v in items if all(key[i] == value for i, value in positions.items()))

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted(self._values.items())
        return [f"{self.name}{_labels_text(self.label_names, key)} {format_value(v)}" for key, v in items]


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = (), buckets: Sequence[float] = ()):
        super().__init__(name, help_text, labels)
        bounds = sorted(float(b) for b in buckets)
        if not bounds or len(set(bounds)) != len(bounds):
            raise ValueError(f"{self.name} needs distinct bucket bounds, not {list(buckets)}")
        self.buckets = tuple(b for b in bounds if not math.isinf(b)) + (math.inf,)
        self._series: dict[LabelValues, list[float]] = {}  # per-bucket counts (not cumulative), then sum

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        index = next(i for i, bound in enumerate(self.buckets) if value <= bound)
        with self._lock:
            series = self._series.setdefault(key, [0.0] * (len(self.buckets) + 1))
            series[index] += 1
            series[-1] += value

    def count(self, **labels: str) -> int:
        with self._lock:
            series = self._series.get(self._key(labels))
            return int(sum(series[:-1])) if series else 0

    def lines(self) -> list[str]:
        with self._lock:
            items = sorted((key, list(series)) for key, series in self._series.items())
        out = []
        for key, series in items:
            cumulative = 0.0
            for bound, count in zip(self.buckets, series):
                cumulative += count
                labels = _labels_text(self.label_names + ("le",), key + (format_value(bound),))
                out.append(f"{self.name}_bucket{labels} {format_value(cumulative)}")
            plain = _labels_text(self.label_names, key)
            out.append(f"{self.name}_sum{plain} {format_value(series[-1])}")
            out.append(f"{self.name}_count{plain} {format_value(cumulative)}")
        return out


class Gauge(_Metric):
    """A value computed when scraped, e.g. a ratio of two counters."""

    kind = "gauge"

    def __init__(self, name: str, help_text: str, read: Callable[[], float]):
        super().__init__(name, help_text)
        self._read = read

    def lines(self) -> list[str]:
        return [f"{self.name} {format_value(self._read())}"]


class MetricsRegistry:
    def __init__(self):
        self._metrics: dict[str, _Metric] = {}
        self._lock = threading.Lock()

    def _add(self, metric: _Metric):
        with self._lock:
            if metric.name in self._metrics:
                raise ValueError(f"a metric named {metric.name} is already registered")
            self._metrics[metric.name] = metric
        return metric

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        return self._add(Counter(name, help_text, labels))

    def histogram(self, name: str, help_text: str, labels: Sequence[str] = (),
                  buckets: Sequence[float] = ()) -> Histogram:
        return self._add(Histogram(name, help_text, labels, buckets))

    def gauge(self, name: str, help_text: str, read: Callable[[], float]) -> Gauge:
        return self._add(Gauge(name, help_text, read))

    def render(self) -> str:
        """Every metric in registration order, in the Prometheus text format."""
        with self._lock:
            metrics = list(self._metrics.values())
        lines: list[str] = []
        for metric in metrics:
            lines += metric.header() + metric.lines()
        return "\n".join(lines) + "\n"
