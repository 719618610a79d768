"""Benchmark the KPI layer and write docs/benchmarks-kpi.md.

Measures, on SQLite (a file) and on PostgreSQL (TEST_DATABASE_URL or the local test database,
in a throw-away schema; skipped when unreachable):
- each KPI tool call, 200 times after a warm-up, reporting p50 / p95 / max (targets: p95 <= 20 ms
  on SQLite, <= 30 ms on PostgreSQL);
- importing a 100,000-row CSV in one transaction (target: <= 15 s), and re-importing it
  (idempotent: nothing changes);
- seeding from the corpus, and the no-op check every later start pays.

Run: .venv/bin/python scripts/bench_kpi.py [--calls 200] [--rows 100000]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402

from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR  # noqa: E402
from kpi_tools.database import make_engine  # noqa: E402
from kpi_tools.importer import import_observations  # noqa: E402
from kpi_tools.schema import upgrade_to_head  # noqa: E402
from kpi_tools.seed import seed_database  # noqa: E402
from kpi_tools.tools import KpiTools  # noqa: E402
from retrieval.corpus import load_manifest  # noqa: E402

NEET = "% of 16-19 year olds not in Education, Employment or training (NEET)"
CALLS = {
    "find_measures(text)": lambda k: k.find_measures("care homes"),
    "find_measures(filters)": lambda k: k.find_measures(committee="Adults", deprivation=True),
    "get_measure": lambda k: k.get_measure(NEET),
    "list_outcomes": lambda k: k.list_outcomes("2023"),
    "find_commitments": lambda k: k.find_commitments("What has the council promised on flooding?"),
    "get_figures": lambda k: k.get_figures("carbon footprint"),
    "latest_value": lambda k: k.latest_value("ASC-SHORT-TERM"),
    "trend": lambda k: k.trend("NEET-16-17"),
    "related_outcomes": lambda k: k.related_outcomes("Places that work with children help them to reach their "
                                                     "full potential"),
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bench_tools(engine, calls: int) -> dict[str, tuple[float, float, float]]:
    kpi = KpiTools(engine)
    results = {}
    for name, call in CALLS.items():
        for _ in range(10):
            call(kpi)
        timings = []
        for _ in range(calls):
            started = time.perf_counter()
            call(kpi)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (statistics.median(timings), percentile(timings, 0.95), max(timings))
    return results


def write_csv(path: Path, rows: int) -> None:
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    with path.open("w", encoding="utf-8") as handle:
        handle.write("measure,period,value,unit,area,target,source,note\n")
        for i in range(rows):
            n = i // 10
            handle.write(f"ROAD-KSI,{months[n % 12]} {1200 + n // 12},{i % 500},people,Area {i % 10},,Benchmark,\n")


def bench_backend(name: str, engine, csv_path: Path, calls: int) -> dict:
    documents = load_manifest(DEFAULT_CORPUS_DIR)
    started = time.perf_counter()
    upgrade_to_head(engine)
    seed_database(engine, documents, DEFAULT_SEED_DATA_DIR)
    first_start = time.perf_counter() - started
    started = time.perf_counter()
    upgrade_to_head(engine)
    seed_database(engine, documents, DEFAULT_SEED_DATA_DIR)
    later_start = time.perf_counter() - started
    tools = bench_tools(engine, calls)
    started = time.perf_counter()
    summary = import_observations(engine, csv_path)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    again = import_observations(engine, csv_path)
    reimport_s = time.perf_counter() - started
    tools_loaded = bench_tools(engine, max(20, calls // 4))
    return {"name": name, "first_start": first_start, "later_start": later_start, "tools": tools,
            "tools_loaded": tools_loaded, "import_s": import_s, "rows": summary.inserted,
            "reimport_s": reimport_s, "reimport_unchanged": again.unchanged}


@contextmanager
def postgres_engine():
    url = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    admin = make_engine(url, connect_args={"connect_timeout": 3})
    schema = f"kpi_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        yield None, f"PostgreSQL not reachable ({type(exc).__name__})"
        return
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        server = engine.connect().execute(text("SHOW server_version")).scalar()
        yield engine, f"PostgreSQL {server}"
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def report(results: list[dict], notes: list[str], calls: int, rows: int) -> str:
    lines = [
        "# KPI layer benchmarks",
        "",
        f"Written by `scripts/bench_kpi.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU cores "
        "(shared with other work while measured). " + " ".join(notes),
        "",
        f"Tool calls: {calls} calls each after 10 warm-up calls, in-process (`KpiTools` on one engine). "
        "Targets: p95 <= 20 ms on SQLite, <= 30 ms on PostgreSQL. Import target: 100,000 rows <= 15 s.",
        "",
    ]
    for result in results:
        lines += [f"## {result['name']}", "", "| tool call | p50 ms | p95 ms | max ms | p95 after 100k rows imported |",
                  "|---|---:|---:|---:|---:|"]
        for tool, (p50, p95, worst) in result["tools"].items():
            loaded = result["tools_loaded"][tool][1]
            lines.append(f"| {tool} | {p50:.1f} | {p95:.1f} | {worst:.1f} | {loaded:.1f} |")
        worst_p95 = max(p95 for _, p95, _ in result["tools"].values())
        lines += [
            "",
            f"- Worst p95 over all tools: {worst_p95:.1f} ms.",
            f"- Import of {result['rows']:,} rows (CSV, validated, one transaction): {result['import_s']:.2f} s; "
            f"re-import of the same file: {result['reimport_s']:.2f} s, {result['reimport_unchanged']:,} rows "
            "unchanged.",
            f"- First start (migrate + seed corpus and public data): {result['first_start']:.2f} s; later starts "
            f"(nothing changed): {result['later_start'] * 1000:.0f} ms.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "benchmarks-kpi.md")
    args = parser.parse_args()
    results, notes = [], []
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "bench.csv"
        write_csv(csv_path, args.rows)
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        import sqlite3

        results.append(bench_backend(f"SQLite {sqlite3.sqlite_version} (file)", engine, csv_path, args.calls))
        engine.dispose()
        with postgres_engine() as (pg, label):
            if pg is None:
                notes.append(f"{label}: PostgreSQL numbers are missing.")
            else:
                results.append(bench_backend(f"{label} (local, loopback)", pg, csv_path, args.calls))
    text_report = report(results, notes, args.calls, args.rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text_report + "\n", encoding="utf-8")
    print(text_report)


if __name__ == "__main__":
    main()
