"""Scoring the engine against a YAML set of questions, the way the issue defines a pass.

A question passes when every `expect` string appears in the answer (case-insensitive,
thousands separators ignored), one of `docs` is cited and the answer did not abstain; an
`abstain` question passes when the answer abstained and states no £ amount.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

from retrieval.yaml_files import read_yaml

from bot.answer import Turn

KINDS = ("document", "figure", "kpi", "version", "abstain")
_POUND_AMOUNT = re.compile(r"£\s?\d")


class EvaluationError(ValueError):
    """The evaluation file is missing or malformed."""


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    kind: str
    question: str
    docs: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()
    history: tuple[str, ...] = ()  # earlier questions of the same thread, asked first (follow-ups)


@dataclass(frozen=True)
class EvalResult:
    id: str
    kind: str
    question: str
    passed: bool
    reason: str
    response: dict


@dataclass
class EvalReport:
    results: list[EvalResult] = field(default_factory=list)

    def summary(self) -> dict:
        total = len(self.results)
        passed = sum(r.passed for r in self.results)
        by_kind = {}
        for kind in KINDS:
            subset = [r for r in self.results if r.kind == kind]
            if subset:
                by_kind[kind] = {"total": len(subset), "passed": sum(r.passed for r in subset)}
        latencies = sorted(r.response.get("latency_ms", 0.0) for r in self.results)
        return {
            "total": total, "passed": passed, "pass_rate": passed / total if total else 0.0,
            "by_kind": by_kind,
            "latency_p50_ms": _percentile(latencies, 50), "latency_p95_ms": _percentile(latencies, 95),
        }

    def to_dict(self) -> dict:
        return {
            "results": [{"id": r.id, "kind": r.kind, "question": r.question, "passed": r.passed,
                         "reason": r.reason, "response": r.response} for r in self.results],
            "summary": self.summary(),
        }


def _percentile(values: Sequence[float], percent: float) -> float:
    if not values:
        return 0.0
    position = min(len(values) - 1, max(0, round(percent / 100 * (len(values) - 1))))
    return float(values[position])


def load_questions(path: Path) -> list[EvalQuestion]:
    try:
        raw = read_yaml(path)
    except FileNotFoundError:
        raise EvaluationError(f"No evaluation file at {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path} is not a readable YAML file: {exc}") from None
    if not isinstance(raw, list) or not raw:
        raise EvaluationError(f"{path} must be a YAML list of questions (id, kind, question, docs, expect)")
    questions, seen = [], set()
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("question"):
            raise EvaluationError(f"{path}: entry {position} needs at least an id and a question")
        kind = entry.get("kind", "document")
        if kind not in KINDS:
            raise EvaluationError(f"{path}: {entry['id']} has kind {kind!r}; use one of {', '.join(KINDS)}")
        if entry["id"] in seen:
            raise EvaluationError(f"{path}: id {entry['id']} appears twice")
        seen.add(entry["id"])
        history = entry.get("history") or ()
        if isinstance(history, str):
            history = (history,)
        questions.append(EvalQuestion(str(entry["id"]), kind, str(entry["question"]),
                                      tuple(entry.get("docs") or ()), tuple(str(e) for e in entry.get("expect") or ()),
                                      tuple(str(h) for h in history)))
    return questions


def _normal(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", text).lower()


def score(question: EvalQuestion, response: dict) -> tuple[bool, str]:
    answer = response.get("answer", "")
    if question.kind == "abstain":
        if not response.get("abstained"):
            return False, "expected an abstention"
        if _POUND_AMOUNT.search(answer):
            return False, "abstained but stated a £ amount"
        return True, "abstained"
    if response.get("abstained"):
        return False, "abstained"
    missing = [e for e in question.expect if _normal(e) not in _normal(answer)]
    if missing:
        return False, f"answer lacks {missing}"
    cited = {c.get("doc_id") for c in response.get("citations", [])}
    if question.docs and not cited & set(question.docs):
        return False, f"cited {sorted(cited)}, expected one of {list(question.docs)}"
    return True, "ok"


def run_evaluation(engine, questions: Sequence[EvalQuestion]) -> EvalReport:
    report = EvalReport()
    for question in questions:
        response = _ask_in_thread(engine, question).to_dict()
        passed, reason = score(question, response)
        report.results.append(EvalResult(question.id, question.kind, question.question, passed, reason, response))
    return report


def _ask_in_thread(engine, question: EvalQuestion):
    """Ask the earlier questions first, keeping what a Slack thread keeps (the resolved question and
    the answer), so a follow-up is judged the way a user meets it."""
    turns: list[Turn] = []
    for earlier in question.history:
        answer = engine.answer(earlier, history=tuple(turns))
        turns.append(Turn(answer.resolved_question or answer.question, answer.text))
    return engine.answer(question.question, history=tuple(turns))
