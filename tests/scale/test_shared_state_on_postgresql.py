"""Several bot processes against one PostgreSQL: start-up migration and seeding, and feedback.

Each test runs separate OS processes (tests/scale/shared_state_worker.py) on a fresh, uniquely
named schema, releases them at the same moment and checks the database afterwards. (Event
dedupe across processes is tested in tests/slack/test_slack_dedupe.py.) Skipped with the
reason when PostgreSQL is unreachable; a failure under REQUIRE_SERVICES=1.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bot.slack.store import AnswerRecord, SlackFeedback, SlackStore
from kpi_tools.models import Commitment, Framework, Measure, SeedState
from kpi_tools.schema import upgrade_to_head
from tests.kpi.conftest import postgres_schema_engine

WORKER = Path(__file__).with_name("shared_state_worker.py")
pytestmark = pytest.mark.postgres


def current_schema(engine) -> str:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT current_schema()"))


def run_together(engine, *argument_lists: list[str], timeout: float = 180) -> list[dict]:
    """Start one worker per argument list, release them all at once, return their results."""
    url = engine.url.render_as_string(hide_password=False)
    processes = [
        subprocess.Popen([sys.executable, str(WORKER), *arguments, "--database-url", url,
                          "--schema", current_schema(engine)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for arguments in argument_lists
    ]
    try:
        for process in processes:
            line = process.stdout.readline()
            assert line == "READY\n", f"worker failed to start: {line!r} {process.stderr.read()}"
        for process in processes:  # every worker is waiting on stdin: this starts them together
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=timeout)
            assert process.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_two_processes_preparing_a_fresh_database_both_succeed_and_seed_once():
    with postgres_schema_engine() as engine:
        results = run_together(engine, ["prepare"], ["prepare"])
        assert [r.get("error") for r in results] == [None, None]
        seeded = [line for r in results for line in r["log"]
                  if line["message"].startswith("Seeded the KPI database")]
        assert len(seeded) == 1, [r["log"] for r in results]
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(SeedState)) == 1
            assert connection.scalar(select(func.count()).select_from(Framework)) == 5
            assert connection.scalar(select(func.count()).select_from(Measure)) == 147
            assert connection.scalar(select(func.count()).select_from(Commitment)) == 130
            assert connection.scalar(text("SELECT count(*) FROM alembic_version")) == 1


def test_two_processes_storing_feedback_at_once_keep_one_vote_per_user_and_answer():
    answers = [f"answer{n:02d}" for n in range(20)]
    with postgres_schema_engine() as engine:
        upgrade_to_head(engine)
        store = SlackStore(engine)
        for answer_id in answers:
            store.save_answer(AnswerRecord(answer_id, "T1", "C1", None, None, "U0", f"question {answer_id}",
                                           f"answer {answer_id}"))
        common = ["feedback", "--answers", ",".join(answers), "--shared-user", "USHARED"]
        results = run_together(engine, [*common, "--user", "UA", "--rating", "up"],
                               [*common, "--user", "UB", "--rating", "down"])
        assert [(r.get("error"), r["stored"]) for r in results] == [(None, 40), (None, 40)]
        rows = store.feedback_rows()
        assert len(rows) == 60
        votes = {(row["answer_id"], row["user_id"]): row["rating"] for row in rows}
        assert len(votes) == 60  # one row per user and answer, however the two processes raced
        assert {votes[(a, "UA")] for a in answers} == {"up"}
        assert {votes[(a, "UB")] for a in answers} == {"down"}
        assert {votes[(a, "USHARED")] for a in answers} <= {"up", "down"}
        with engine.connect() as connection:
            questions = dict(connection.execute(select(SlackFeedback.answer_id, SlackFeedback.question)
                                                .where(SlackFeedback.user_id == "UA")).all())
        assert questions == {a: f"question {a}" for a in answers}
