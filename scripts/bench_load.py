"""Load test: 20 users ask 10 questions each, at the same time, through the Slack HTTP endpoint.

    .venv/bin/python scripts/bench_load.py [--users 20] [--questions 10] [--workers 8]
        [--database-url URL] [--out docs/benchmarks-load.md] [--append]

The bot runs in its own process (this script with `--serve`) in HTTP mode on 127.0.0.1, wired as
in production except for the embedder: the guarded offline engine (`bot.guarded_engine`: router,
kill switch, purdah) over the real corpus indexed with the hash embedder, the KPI database
(migrated and seeded), the audit log and the default rate limit. The fake Slack Web API from
tests/slack records every message.

Each user is a thread with its own DM channel that sends a question, re-sends it at once as
Slack's retry (`X-Slack-Retry-Num: 1`, same event id), waits for the answer, and asks the next.
Counted per question: the answer arrived (else lost), exactly one placeholder and one answer
(else duplicated), and the answer is not an apology or an "unavailable" message (else an
error). The audit log must hold one entry per question. Writes Markdown to `--out`.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "slack"))
sys.path.insert(0, str(ROOT))

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-bench-token"
ERROR_SIGNS = ("something went wrong on my side", "is not available. Please try again")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def summarise(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):.0f} · p95 {percentile(values, 95):.0f} · "
            f"p99 {percentile(values, 99):.0f} · max {max(values):.0f}")


def load_questions() -> list[str]:
    """The evaluation set's answerable questions (documents, figures, KPIs, editions)."""
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "eval" / "dev.yaml").read_text(encoding="utf-8"))
    entries = data["questions"] if isinstance(data, dict) else data
    return [entry["question"] for entry in entries if entry["kind"] != "abstain"]


# -- the bot process ------------------------------------------------------------------------


def serve(args) -> None:
    """Run the bot until stdin closes; prints "PORT <n>" once serving."""
    from slack_sdk import WebClient

    from bot.engine import AbstainPolicy
    from bot.guarded_engine import guard
    from bot.engine.measures import KpiAnswerer
    from bot.settings import DEFAULT_CORPUS_DIR, Settings
    from bot.slack.app import build_app
    from bot.slack.executor import WorkerPool
    from bot.slack.http_server import SlackHttpServer
    from bot.wiring import build_offline_engine, prepare_database
    from kpi_tools.database import make_engine
    from kpi_tools.tools import KpiTools
    from retrieval.corpus import load_manifest
    from retrieval.index import Indexer, IndexFiles
    from retrieval.vector_store import ChromaStore, open_chroma_client
    from tests.fakes import HashEmbedder

    folder = Path(args.data_dir)
    settings = Settings(data_dir=folder, corpus_dir=DEFAULT_CORPUS_DIR, slack_bot_token=BOT_TOKEN,
                        slack_signing_secret=SIGNING_SECRET, rate_limit_per_minute=args.rate_limit)
    connect_args = {"options": f"-csearch_path={args.schema}"} if args.schema else {}
    db = make_engine(args.database_url, pool_pre_ping=True, connect_args=connect_args)
    prepare_database(db, settings)  # migrations (KPI, Slack, audit) and the corpus seed
    documents = load_manifest(DEFAULT_CORPUS_DIR)
    embedder, files = HashEmbedder(), IndexFiles(folder / "index")
    store = ChromaStore(open_chroma_client(files.chroma))
    Indexer(files, embedder, store).build(documents)
    engine = build_offline_engine(files, embedder, store, documents, kpi=KpiAnswerer(KpiTools(db), documents),
                                  policy=AbstainPolicy(min_similarity=0.05, weak_similarity=0.1))
    pool = WorkerPool(args.workers)
    client = WebClient(token=BOT_TOKEN, base_url=args.api_url)
    app = build_app(settings, guard(engine, db, settings), client=client, db=db, executor=pool)
    server = SlackHttpServer(app, port=0, health=lambda: {"status": "ok", "in_flight": pool.in_flight}).start()
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()
    server.stop()
    pool.wait_idle(30)
    pool.shutdown()


# -- the load -------------------------------------------------------------------------------


class User(threading.Thread):
    def __init__(self, number: int, questions: list[str], slack, api, barrier: threading.Barrier):
        super().__init__(name=f"user-{number}")
        self.channel = f"D{number:04d}"
        self.user = f"U{number:04d}"
        self.questions = questions
        self.slack, self.api, self.barrier = slack, api, barrier
        self.ack_ms: list[float] = []
        self.answer_ms: list[float] = []
        self.acks_failed = 0
        self.unanswered = 0

    def run(self) -> None:
        from slack_fake_api import message

        self.barrier.wait()
        for number, question in enumerate(self.questions, start=1):
            event = message(question, user=self.user, channel=self.channel, channel_type="im")
            event_id = f"Ev{self.user}{number:03d}"
            started = time.perf_counter()
            for retry in (None, 1):
                response = self.slack.event(event, event_id=event_id, retry_num=retry)
                self.ack_ms.append(response.elapsed * 1000)
                self.acks_failed += response.status != 200
            try:
                self.api.wait_for("chat.update", number, where=lambda c: c.params.get("channel") == self.channel,
                                  timeout=120)
            except AssertionError:
                self.unanswered += 1
                continue
            self.answer_ms.append((time.perf_counter() - started) * 1000)


def run(args) -> str:
    from sqlalchemy import select, text

    from bot.audit.tables import AuditEntry
    from kpi_tools.database import make_engine
    from slack_fake_api import FakeSlackApi, SlackSender, message

    questions = load_questions()
    api = FakeSlackApi().start()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    schema = None
    if url.startswith("postgresql"):
        schema = f"load_bench_{uuid.uuid4().hex[:10]}"
        with make_engine(url).begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    command = [sys.executable, __file__, "--serve", "--database-url", url, "--api-url", api.api_url,
               "--data-dir", tmp.name, "--workers", str(args.workers), "--rate-limit", str(args.rate_limit)]
    if schema:
        command += ["--schema", schema]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            raise SystemExit(f"the bot process did not start: {line!r}")
        port = int(line.split()[1])
        warm = SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET)
        warm_api_before = len(api.calls("chat.update"))
        warm.event(message(questions[0], user="UWARM", channel="DWARM", channel_type="im"), event_id="EvWARM")
        api.wait_for("chat.update", warm_api_before + 1, timeout=120)

        barrier = threading.Barrier(args.users)
        users = [User(n, [questions[(n * args.questions + k) % len(questions)] for k in range(args.questions)],
                     SlackSender(f"http://127.0.0.1:{port}", SIGNING_SECRET), api, barrier)
                 for n in range(1, args.users + 1)]
        started = time.perf_counter()
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=600)
        elapsed = time.perf_counter() - started
        time.sleep(1.0)  # a late duplicate would arrive now
        deadline = time.monotonic() + 60
        while warm.get("/healthz").json().get("in_flight") and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        process.stdin.close()
        process.wait(timeout=60)

    total = args.users * args.questions
    per_channel = {u.channel: (len([c for c in api.calls("chat.postMessage") if c.params.get("channel") == u.channel]),
                               [c for c in api.calls("chat.update") if c.params.get("channel") == u.channel])
                   for u in users}
    answered = sum(min(len(updates), args.questions) for _, updates in per_channel.values())
    lost = total - answered
    duplicated = sum(max(0, posts - args.questions) + max(0, len(updates) - args.questions)
                     for posts, updates in per_channel.values())
    errors = sum(1 for _, updates in per_channel.values() for call in updates
                 if any(sign in call.params.get("text", "") for sign in ERROR_SIGNS))
    errors += sum(u.acks_failed for u in users)
    abstained = sum(1 for _, updates in per_channel.values() for call in updates
                    if call.params.get("text", "").startswith("I couldn't find that"))
    db = make_engine(url, connect_args={"options": f"-csearch_path={schema}"} if schema else {})
    with db.connect() as conn:
        inside_ms = [row[0] for row in conn.execute(select(AuditEntry.latency_ms).where(
            AuditEntry.source == "slack", AuditEntry.user_id != "UWARM"))]
    audited = len(inside_ms)
    db.dispose()
    api.stop()
    if schema:
        with make_engine(url).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    tmp.cleanup()

    acks = [ms for u in users for ms in u.ack_ms]
    answers = [ms for u in users for ms in u.answer_ms]
    ok = lost == 0 and duplicated == 0 and errors == 0 and audited == total
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite (file)"
    lines = [
        "# Load benchmark: 20 concurrent users through the Slack HTTP endpoint",
        "",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC with `scripts/bench_load.py --users {args.users} "
        f"--questions {args.questions} --workers {args.workers}"
        f"{' --database-url postgresql+psycopg://…' if args.database_url else ''}`.",
        f"Machine: {os.cpu_count()} CPU cores (shared), Python {platform.python_version()}, {database}. "
        "The bot runs in its own process in HTTP mode on 127.0.0.1; the fake Slack Web API and the users share the "
        "benchmark process. Requests are signed as Slack signs them.",
        "The engine is the production path with one substitution: the guarded offline engine (router, kill switch, "
        "purdah) over the real corpus and the seeded KPI database, with every answer written to the audit log, "
        "but with the hash embedder instead of the ONNX model (add the model's few milliseconds per question; see "
        "docs/benchmarks-engine.md). Questions are the evaluation set's answerable ones, "
        f"{len(questions)} different, each user asking {args.questions} in turn; the rate limit is the default "
        f"{args.rate_limit} per user per minute.",
        "",
        f"Each question is delivered twice, the original and at once a Slack retry with the same event id: "
        f"{len(acks)} requests.",
        "",
        "| measurement | result | target | met |",
        "|---|---|---|---|",
        f"| questions answered | {answered} of {total} | all | {'yes' if lost == 0 else 'NO'} |",
        f"| lost | {lost} | 0 | {'yes' if lost == 0 else 'NO'} |",
        f"| duplicated (second placeholder or answer) | {duplicated} | 0 | {'yes' if duplicated == 0 else 'NO'} |",
        f"| errors (non-200 acknowledgements, apologies, 'not available') | {errors} (error rate "
        f"{errors / total:.1%}) | 0 | {'yes' if errors == 0 else 'NO'} |",
        f"| audit entries | {audited} of {total} | all | {'yes' if audited == total else 'NO'} |",
        f"| time to answer, ms | {summarise(answers)} | report p95 | – |",
        f"| acknowledgement, ms | {summarise(acks)} | < 3,000 (Slack) | {'yes' if max(acks) < 3000 else 'NO'} |",
        f"| inside the bot (placeholder → answer delivered, from the audit log), ms | {summarise(inside_ms)} "
        "| – | – |",
        "",
        "Time to answer runs from sending the question to the fake Slack receiving the answer; the difference from "
        f"the time inside the bot is the wait for one of the {args.workers} answering threads while the engine, which "
        f"needs the CPU, answers the others on {os.cpu_count()} cores.",
        "",
        f"{total} questions in {elapsed:.1f} s ({total / elapsed:.1f} questions/s); {abstained} answers were "
        "abstentions (the hash embedder is weaker than the model), which count as answers. "
        f"**{'Target met' if ok else 'TARGET MISSED'}: none lost, none duplicated, error rate "
        f"{errors / total:.1%}, p95 time to answer {percentile(answers, 95):.0f} ms.**",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per user")
    parser.add_argument("--workers", type=int, default=8, help="answering threads (as `slack --workers`)")
    parser.add_argument("--rate-limit", type=int, default=10, help="questions per user per minute")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-load.md")
    parser.add_argument("--append", action="store_true", help="add to --out instead of replacing it")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--schema", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args)
    report = run(args)
    print(report)
    if args.append and args.out.exists():
        report = args.out.read_text(encoding="utf-8") + "\n" + report.replace(
            "# Load benchmark: 20 concurrent users through the Slack HTTP endpoint", "## Another run", 1)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
