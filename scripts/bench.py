"""Scale benchmark (issue 6), written to docs/benchmarks-scale.md.

Measures, at each corpus size (default 1k, 10k, 25k and 50k chunks):
- index build throughput (chunks per second) with derived vectors, and separately the real
  model's embedding throughput on the five real documents, which is what bounds a real build;
- a fresh bot process: cold start (process start to first answer), then warm answer latency
  (p50 / p95 / max over the evaluation questions, several rounds), the search part of it, and
  the process's memory (RSS now and peak);
- KPI tool latency on SQLite and PostgreSQL (the calls of scripts/bench_kpi.py).
Larger corpora are numbered variants of the real documents (see scripts/bench_corpus.py). Each
phase waits until the 1-minute load average is below --quiet-below (at most --quiet-wait seconds) and records the load it ran under.
About 20 minutes on two cores.

Run: .venv/bin/python scripts/bench.py [--sizes 1000,10000,25000,50000] [--rounds 3]
         [--quiet-below 1.0 --quiet-wait 180] [--work DIR] [--no-write]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

QUESTIONS = ROOT / "tests" / "eval" / "dev.yaml"
REPORT = ROOT / "docs" / "benchmarks-scale.md"


# -- helpers shared by the parent and the child processes -----------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MiB, from /proc/self/status."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


QUIET = {"below": 1.0, "wait_s": 180.0}  # set from the command line
QUESTION_SNAPSHOT = {"path": QUESTIONS}  # the evaluation set, copied once per run so every row uses the same


def wait_for_quiet() -> float:
    """Wait until the 1-minute load average is below QUIET["below"] (at most QUIET["wait_s"])."""
    deadline = time.monotonic() + QUIET["wait_s"]
    while load_average() >= QUIET["below"] and time.monotonic() < deadline:
        time.sleep(5)
    return load_average()


def model_path(work: Path) -> Path:
    from bot.settings import Settings
    from retrieval.embed import export_onnx

    existing = Settings.from_env().index_dir / "model.onnx"
    if existing.is_file():
        return existing
    target = work / "model.onnx"
    if not target.is_file():
        export_onnx(target)
    return target


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


# -- child: build an index -----------------------------------------------------------------

def child_build(corpus: Path, data: Path, model: Path, table: Path | None) -> dict:
    from retrieval.corpus import load_manifest
    from retrieval.embed import OnnxEmbedder
    from retrieval.index import Indexer, IndexFiles
    from retrieval.vector_store import ChromaStore, open_chroma_client

    from bench_corpus import DerivedEmbedder

    real = OnnxEmbedder(model, threads=2)
    embedder = DerivedEmbedder(real, table) if table else real
    files = IndexFiles(data / "index")
    store = ChromaStore(open_chroma_client(files.chroma))
    documents = load_manifest(corpus)
    report = Indexer(files, embedder, store).build(documents, rebuild=True)
    result = {"documents": report.documents, "chunks": report.chunks, "texts": report.embedded,
              "seconds": report.seconds, "peak_rss_mb": memory_mb()[1], "index_mb": directory_mb(files.dir)}
    if table:
        result.update(real_embedded=embedder.real_embedded, real_seconds=embedder.real_seconds)
    return result


# -- child: serve questions ----------------------------------------------------------------

def child_serve(corpus: Path, data: Path, model: Path, rounds: int, questions_file: Path,
                chroma_url: str | None = None) -> None:
    """Start like the bot does, answer once, report (the parent times this), then time answers."""
    started = time.perf_counter()
    import bot.slack.app  # noqa: F401  (the bot process imports the Slack adapter too)
    from bot.evaluation import load_questions
    from bot.wiring import build_offline_engine
    from retrieval.corpus import load_manifest
    from retrieval.embed import OnnxEmbedder
    from retrieval.index import IndexFiles
    from retrieval.vector_store import ChromaStore, open_chroma_client

    imported = time.perf_counter()
    files = IndexFiles(data / "index")
    store = ChromaStore(open_chroma_client(files.chroma, chroma_url))
    embedder = OnnxEmbedder(model, threads=2)
    documents = load_manifest(corpus)
    engine = build_offline_engine(files, embedder, store, documents)
    built = time.perf_counter()
    questions = [q.question for q in load_questions(questions_file)]
    engine.answer(questions[0])
    first = time.perf_counter()
    print(json.dumps({"phase": "ready", "import_s": imported - started, "engine_s": built - imported,
                      "first_answer_ms": (first - built) * 1000}), flush=True)
    for question in questions:  # warm-up round
        engine.answer(question)
    load_before = load_average()
    answer_ms, passages_ms, embed_ms = [], [], []
    for _ in range(rounds):
        for question in questions:
            t = time.perf_counter()
            engine.answer(question)
            answer_ms.append((time.perf_counter() - t) * 1000)
    for question in questions:
        t = time.perf_counter()
        embedder.embed([question])
        embed_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        engine.passages(question)
        passages_ms.append((time.perf_counter() - t) * 1000)
    rss, peak = memory_mb()
    print(json.dumps({
        "phase": "done", "answers": len(answer_ms), "p50_ms": statistics.median(answer_ms),
        "p95_ms": percentile(answer_ms, 0.95), "max_ms": max(answer_ms),
        "search_p50_ms": statistics.median(p - e for p, e in zip(passages_ms, embed_ms)),
        "search_p95_ms": percentile([p - e for p, e in zip(passages_ms, embed_ms)], 0.95),
        "embed_p50_ms": statistics.median(embed_ms), "rss_mb": rss, "peak_rss_mb": peak,
        "load_before": load_before, "load_after": load_average()}), flush=True)


# -- parent ---------------------------------------------------------------------------------

def run_child(*arguments: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {arguments[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(corpus: Path, data: Path, model: Path, rounds: int) -> dict:
    """Run a fresh bot process on the index in `data`; the questions are the run's snapshot."""
    load = wait_for_quiet()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "_serve", str(corpus), str(data), str(model), str(rounds),
                                str(QUESTION_SNAPSHOT["path"])],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = json.loads(process.stdout.readline() or "{}")
    cold_s = time.perf_counter() - started
    out, err = process.communicate(timeout=1800)
    if process.returncode != 0 or not ready:
        raise SystemExit(f"serve child failed:\n{err[-3000:]}")
    done = json.loads(out.strip().splitlines()[-1])
    return {**ready, **done, "cold_start_s": cold_s, "load_at_start": load}


def bench_kpi_tools(calls: int) -> list[dict]:
    import bench_kpi

    from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR
    from kpi_tools.database import make_engine
    from kpi_tools.schema import upgrade_to_head
    from kpi_tools.seed import seed_database
    from retrieval.corpus import load_manifest

    def seeded(engine):
        upgrade_to_head(engine)
        seed_database(engine, load_manifest(DEFAULT_CORPUS_DIR), DEFAULT_SEED_DATA_DIR)
        return engine

    results = []
    with tempfile.TemporaryDirectory() as folder:
        engine = seeded(make_engine(f"sqlite:///{folder}/kpi.db"))
        wait_for_quiet()
        results.append({"backend": "SQLite (file)", "load": load_average(), "tools": bench_kpi.bench_tools(engine, calls)})
        engine.dispose()
    with bench_kpi.postgres_engine() as (engine, label):
        if engine is None:
            results.append({"backend": "PostgreSQL", "skipped": label})
        else:
            seeded(engine)
            wait_for_quiet()
            results.append({"backend": label, "load": load_average(), "tools": bench_kpi.bench_tools(engine, calls)})
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,25000,50000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kpi-calls", type=int, default=100)
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and indexes here (default: temporary)")
    parser.add_argument("--no-write", action="store_true", help="print the report instead of writing it")
    parser.add_argument("--quiet-below", type=float, default=1.0, help="wait for a load average below this")
    parser.add_argument("--quiet-wait", type=float, default=180.0, help="but at most this many seconds")
    args = parser.parse_args()
    QUIET.update(below=args.quiet_below, wait_s=args.quiet_wait)

    from bot.settings import DEFAULT_CORPUS_DIR
    from retrieval.corpus import load_manifest

    from bench_corpus import write_variant_corpus

    work = args.work or Path(tempfile.mkdtemp(prefix="council-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    model = model_path(work)
    QUESTION_SNAPSHOT["path"] = work / "dev.yaml"
    shutil.copy(QUESTIONS, QUESTION_SNAPSHOT["path"])
    documents = load_manifest(DEFAULT_CORPUS_DIR)
    print(f"work folder {work}; load {load_average():.2f}", file=sys.stderr)

    wait_for_quiet()
    real = run_child("_build", str(DEFAULT_CORPUS_DIR), str(work / "real"), str(model), "")
    real["load"] = load_average()
    print(f"real corpus: {real}", file=sys.stderr)
    real_serve = serve(DEFAULT_CORPUS_DIR, work / "real", model, args.rounds)
    print(f"real corpus serve: {real_serve}", file=sys.stderr)

    table = work / "variant-1-vectors.npz"
    per_variant = None
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        if per_variant is None:  # chunks per variant, from a one-variant corpus
            shutil.rmtree(work / "corpus-probe", ignore_errors=True)
            probe = run_child("_build", str(write_variant_corpus(documents, 1, work / "corpus-probe")),
                              str(work / "probe"), str(model), str(table))
            per_variant = probe["chunks"]
            real["variant_real_embedded"], real["variant_real_seconds"] = probe["real_embedded"], probe["real_seconds"]
            real["variant_texts"] = probe["texts"]
        variants = math.ceil(size / per_variant)
        corpus = work / f"corpus-{size}"
        shutil.rmtree(corpus, ignore_errors=True)
        write_variant_corpus(documents, variants, corpus)
        wait_for_quiet()
        build = run_child("_build", str(corpus), str(work / f"data-{size}"), str(model), str(table))
        build["load"] = load_average()
        print(f"{size}: build {build}", file=sys.stderr)
        served = serve(corpus, work / f"data-{size}", model, args.rounds)
        print(f"{size}: serve {served}", file=sys.stderr)
        rows.append({"size": size, "variants": variants, "build": build, "serve": served})
    texts_per_second = real["texts"] / real["seconds"]
    real["projected_50k_min"] = (rows[-1]["build"]["texts"] if rows else 0) / texts_per_second / 60
    kpi = bench_kpi_tools(args.kpi_calls)
    text = render_report(real, real_serve, rows, kpi, args)
    if args.no_write:
        print(text)
    else:
        REPORT.write_text(text)
        print(f"wrote {REPORT}", file=sys.stderr)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def render_report(real: dict, real_serve: dict, rows: list[dict], kpi: list[dict], args) -> str:
    from bench_scale_report import render

    return render(real, real_serve, rows, kpi, rounds=args.rounds, machine=machine_line(), quiet=QUIET)


def machine_line() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        corpus, data, model, table = sys.argv[2:6]
        print(json.dumps(child_build(Path(corpus), Path(data), Path(model), Path(table) if table else None)))
    elif len(sys.argv) > 1 and sys.argv[1] == "_serve":
        corpus, data, model, rounds, questions = sys.argv[2:7]
        child_serve(Path(corpus), Path(data), Path(model), int(rounds), Path(questions))
    else:
        main()
