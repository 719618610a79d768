"""The current frameworks and their outcomes, read once from the KPI tools.

Briefings and timelines look outcomes up by the (document id, code or title) pairs of
`kpi_tools.mapping`, and name frameworks briefly ("2016-21 Strategic Framework"). Superseded
editions are left out: the later edition stands for its draft, as in the mapping.
"""
from __future__ import annotations

from dataclasses import dataclass

from kpi_tools.lookups import MAX_LIMIT
from kpi_tools.results import CommitmentResult, OutcomeWithMeasures


@dataclass(frozen=True)
class FrameworkInfo:
    doc_id: str
    title: str
    status: str
    period_start: int
    period_end: int

    @property
    def short_name(self) -> str:
        """"2016-21 Strategic Framework", "2023-28 Strategic Framework (draft)", "2010 Integrated
        Plan (draft)" (the plan is named by its year, as its title does)."""
        draft = " (draft)" if self.status == "draft" else ""
        if "integrated plan" in self.title.lower():
            return f"{self.period_start} Integrated Plan{draft}"
        return f"{self.period_start}-{str(self.period_end)[2:]} Strategic Framework{draft}"


@dataclass(frozen=True)
class Catalogue:
    frameworks: tuple[FrameworkInfo, ...]  # oldest first
    outcomes: dict[str, tuple[OutcomeWithMeasures, ...]]
    commitments: dict[int, tuple[CommitmentResult, ...]]  # by outcome id, in printed order

    @property
    def newest(self) -> FrameworkInfo:
        return self.frameworks[-1]

    def framework(self, doc_id: str) -> FrameworkInfo:
        return next(f for f in self.frameworks if f.doc_id == doc_id)

    def all_outcomes(self) -> list[OutcomeWithMeasures]:
        """Every outcome, oldest framework first, in printed order."""
        return [o for f in self.frameworks for o in self.outcomes.get(f.doc_id, ())]

    def find(self, name: tuple[str, str]) -> OutcomeWithMeasures | None:
        """The outcome named (document id, code or title) as in `kpi_tools.mapping`."""
        doc_id, code_or_title = name
        return next((o for o in self.outcomes.get(doc_id, ())
                     if code_or_title in (o.outcome.code, o.outcome.title)), None)


def load_catalogue(tools) -> Catalogue:
    """Frameworks that set outcomes and are not superseded, with their outcomes and the
    commitments made under each outcome (with quote and section)."""
    frameworks = tuple(
        FrameworkInfo(f.doc_id, f.title, f.status, f.period_start, f.period_end)
        for f in sorted(tools.list_frameworks(), key=lambda f: (f.period_start, f.doc_id))
        if not f.superseded_by and f.outcomes
    )
    commitments: dict[int, list[CommitmentResult]] = {}
    for framework in frameworks:
        for commitment in tools.find_commitments(framework=framework.doc_id, limit=MAX_LIMIT):
            if commitment.outcome is not None:
                commitments.setdefault(commitment.outcome.id, []).append(commitment)
    return Catalogue(frameworks, {f.doc_id: tools.list_outcomes(f.doc_id) for f in frameworks},
                     {key: tuple(value) for key, value in commitments.items()})
