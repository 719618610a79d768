"""Run one bot process (scripted engine, real HTTP server) for the multi-process test and the benchmark.

    python tests/slack/serve_fake_bot.py --database-url URL --api-url URL [--schema S]
        [--engine-delay SECONDS] [--workers N]

Prints "PORT <n>" once serving on 127.0.0.1:<n>; exits when its stdin closes. GET /healthz
reports `in_flight`, so a parent can wait until the process has finished its work.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from slack_sdk import WebClient  # noqa: E402

from bot.slack.app import build_app  # noqa: E402
from bot.slack.executor import WorkerPool  # noqa: E402
from bot.slack.http_server import SlackHttpServer  # noqa: E402
from kpi_tools.database import make_engine  # noqa: E402
from slack_fakes import FakeEngine, make_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--schema", default=None, help="PostgreSQL schema to use (search_path)")
    parser.add_argument("--engine-delay", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate-limit", type=int, default=100)
    args = parser.parse_args()

    connect_args = {"options": f"-csearch_path={args.schema}"} if args.schema else {}
    db = make_engine(args.database_url, connect_args=connect_args)
    settings = make_settings(rate_limit_per_minute=args.rate_limit)
    pool = WorkerPool(args.workers)
    client = WebClient(token=settings.slack_bot_token, base_url=args.api_url)
    app = build_app(settings, FakeEngine(delay=args.engine_delay), client=client, db=db, executor=pool)
    server = SlackHttpServer(app, port=0, health=lambda: {"status": "ok", "in_flight": pool.in_flight},
                             signing_secret=settings.slack_signing_secret).start()
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.stop()
    pool.wait_idle(10)
    pool.shutdown()


if __name__ == "__main__":
    main()
