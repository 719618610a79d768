"""The hand-written registry renders the Prometheus text format exactly."""
import pytest

from bot.observability.metrics import MetricsRegistry, format_value


def test_counter_histogram_and_gauge_render_in_the_text_format():
    registry = MetricsRegistry()
    asked = registry.counter("demo_questions_total", "Questions asked.", ("mode",))
    took = registry.histogram("demo_seconds", "Time taken.", ("mode",), buckets=(0.1, 1.0))
    registry.gauge("demo_ratio", "A ratio.", lambda: 0.25)
    asked.inc(mode="offline")
    asked.inc(2, mode="llm")
    took.observe(0.05, mode="offline")
    took.observe(0.5, mode="offline")
    took.observe(3, mode="offline")
    assert registry.render() == (
        "# HELP demo_questions_total Questions asked.\n"
        "# TYPE demo_questions_total counter\n"
        'demo_questions_total{mode="llm"} 2\n'
        'demo_questions_total{mode="offline"} 1\n'
        "# HELP demo_seconds Time taken.\n"
        "# TYPE demo_seconds histogram\n"
        'demo_seconds_bucket{mode="offline",le="0.1"} 1\n'
        'demo_seconds_bucket{mode="offline",le="1"} 2\n'
        'demo_seconds_bucket{mode="offline",le="+Inf"} 3\n'
        'demo_seconds_sum{mode="offline"} 3.55\n'
        'demo_seconds_count{mode="offline"} 3\n'
        "# HELP demo_ratio A ratio.\n"
        "# TYPE demo_ratio gauge\n"
        "demo_ratio 0.25\n"
    )


def test_label_values_are_escaped():
    registry = MetricsRegistry()
    registry.counter("demo_total", "Demo.", ("reason",)).inc(reason='say "hi"\\\nbye')
    assert registry.render().splitlines()[-1] == 'demo_total{reason="say \\"hi\\"\\\\\\nbye"} 1'


def test_an_unobserved_metric_has_only_its_header():
    registry = MetricsRegistry()
    registry.histogram("demo_seconds", "Time.", ("mode",), buckets=(1,))
    assert registry.render() == "# HELP demo_seconds Time.\n# TYPE demo_seconds histogram\n"


def test_mistakes_are_refused_with_a_precise_message():
    registry = MetricsRegistry()
    counter = registry.counter("demo_total", "Demo.", ("mode",))
    with pytest.raises(ValueError, match=r"^demo_total takes labels \['mode'\], not \['outcome'\]$"):
        counter.inc(outcome="x")
    with pytest.raises(ValueError, match="^demo_total is a counter; it cannot go down by -1$"):
        counter.inc(-1, mode="offline")
    with pytest.raises(ValueError, match="^a metric named demo_total is already registered$"):
        registry.counter("demo_total", "Again.")
    with pytest.raises(ValueError, match="^invalid metric name 'bad-name'$"):
        registry.counter("bad-name", "Bad.")
    with pytest.raises(ValueError, match="^invalid label name 'le' for demo_seconds$"):
        registry.histogram("demo_seconds", "Time.", ("le",), buckets=(1,))


def test_counter_totals_sum_over_the_other_labels():
    registry = MetricsRegistry()
    counter = registry.counter("demo_total", "Demo.", ("mode", "outcome"))
    counter.inc(mode="offline", outcome="answered")
    counter.inc(3, mode="llm", outcome="answered")
    counter.inc(mode="llm", outcome="abstained")
    assert counter.total(outcome="answered") == 4
    assert counter.total(mode="llm") == 4
    assert counter.total() == 5


@pytest.mark.parametrize("value, text", [(3.0, "3"), (0.125, "0.125"), (float("inf"), "+Inf"), (1e20, "1e+20")])
def test_values_are_written_as_prometheus_reads_them(value, text):
    assert format_value(value) == text
