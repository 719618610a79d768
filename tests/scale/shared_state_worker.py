"""One bot process's share of a multi-process test: prepares the database or stores feedback.

    python tests/scale/shared_state_worker.py prepare  --database-url URL [--schema S]
    python tests/scale/shared_state_worker.py feedback --database-url URL [--schema S]
        --answers ID,ID,... --user U --rating up|down [--shared-user U]

Prints "READY" once its imports are done, waits for one line on stdin (so the parent can start
several processes' work at the same moment), does the work and prints one JSON line: what it
did, the `kpi_tools` log lines it wrote (JSON) and any error.
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.observability.logs import configure_logging  # noqa: E402
from bot.settings import DEFAULT_CORPUS_DIR, Settings  # noqa: E402
from bot.slack.store import SlackStore  # noqa: E402
from bot.wiring import prepare_database  # noqa: E402
from kpi_tools.database import make_engine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=["prepare", "feedback"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--schema", default=None, help="PostgreSQL schema to use (search_path)")
    parser.add_argument("--answers", default="")
    parser.add_argument("--user", default="U1")
    parser.add_argument("--shared-user", default=None)
    parser.add_argument("--rating", default="up")
    args = parser.parse_args()

    log = io.StringIO()
    configure_logging("INFO", "json", stream=log, logger=logging.getLogger("kpi_tools"))
    connect_args = {"options": f"-csearch_path={args.schema}"} if args.schema else {}
    engine = make_engine(args.database_url, connect_args=connect_args)
    print("READY", flush=True)
    sys.stdin.readline()
    result: dict = {"task": args.task}
    try:
        if args.task == "prepare":
            prepare_database(engine, Settings(corpus_dir=DEFAULT_CORPUS_DIR))
        else:
            store = SlackStore(engine)
            stored = 0
            for answer_id in filter(None, args.answers.split(",")):
                for user in filter(None, (args.user, args.shared_user)):
                    stored += store.record_feedback(answer_id, user, args.rating) is not None
            result["stored"] = stored
    except Exception as error:  # reported to the parent, which fails the test with it
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        engine.dispose()
    result["log"] = [json.loads(line) for line in log.getvalue().splitlines()]
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
