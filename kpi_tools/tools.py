"""The read-only KPI tools: plain typed methods over an injected SQLAlchemy engine.

`KpiTools(engine)` is what the answer engine calls (and what `langchain_tools` wraps for the
LLM mode). Every method validates its arguments, runs parameterised queries only (user text
reaches SQL as bound LIKE patterns, never as SQL), never writes, and returns frozen values
from `kpi_tools.results`. A caller's mistake raises a `KpiToolError` whose text says what to
change. By default the superseded 2016-21 draft is left out; its differences from the later
edition travel with the later edition's rows.
"""
from __future__ import annotations

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from kpi_tools import lookups, mapping
from kpi_tools.errors import Ambiguous, InvalidArgument, NotFound
from kpi_tools.measure_index import load_measure_index
from kpi_tools.models import (
    Commitment,
    CommitmentMeasure,
    Figure,
    Framework,
    Measure,
    MeasureOutcome,
    Observation,
    Outcome,
)
from kpi_tools.queries import (
    figure_result,
    measure_detail,
    measure_ref,
    outcome_ref,
    primary_outcome_titles,
)
from kpi_tools.results import (
    CommitmentResult,
    FigureResult,
    FrameworkSummary,
    LatestValue,
    MeasureDetail,
    MeasureSummary,
    OutcomeWithMeasures,
    RelatedOutcome,
    Trend,
)
from kpi_tools.series import latest_of, trend_of
from kpi_tools.text_search import any_term_matches, like_pattern, query_terms, rank, same_subject


class KpiTools:
    """Read-only questions about frameworks, measures, commitments, figures and values."""

    def __init__(self, engine: Engine):
        self._engine = engine

    # -- frameworks and outcomes ------------------------------------------------------------

    def list_frameworks(self) -> tuple[FrameworkSummary, ...]:
        """Every framework (document) with its period, status and how much it holds."""
        with Session(self._engine) as session:
            frameworks = session.scalars(select(Framework).order_by(Framework.period_start, Framework.doc_id)).all()

            def count(model, column, framework_id):
                return session.scalar(select(func.count()).select_from(model).where(column == framework_id)) or 0

            return tuple(
                FrameworkSummary(
                    doc_id=f.doc_id, title=f.title, status=f.status, period_start=f.period_start,
                    period_end=f.period_end, superseded_by=f.superseded_by,
                    outcome_kind=f.outcomes[0].kind if f.outcomes else None, outcomes=len(f.outcomes),
                    measures=count(Measure, Measure.framework_id, f.id),
                    commitments=count(Commitment, Commitment.framework_id, f.id),
                    figures=count(Figure, Figure.framework_id, f.id),
                )
                for f in frameworks
            )

    def list_outcomes(self, framework: str) -> tuple[OutcomeWithMeasures, ...]:
        """The outcomes (ambitions, objectives, priorities) of one framework, with their measures."""
        framework = lookups.clean_text("framework", framework, required=True)
        with Session(self._engine) as session:
            chosen = lookups.one_framework(session, framework)
            outcomes = session.scalars(
                select(Outcome).where(Outcome.framework_id == chosen.id).order_by(Outcome.position)).all()
            ids = [o.id for o in outcomes]
            links: dict[int, list] = {i: [] for i in ids}
            for outcome_id, role, measure in session.execute(
                    select(MeasureOutcome.outcome_id, MeasureOutcome.role, Measure)
                    .join(Measure, MeasureOutcome.measure_id == Measure.id)
                    .where(MeasureOutcome.outcome_id.in_(ids)).order_by(Measure.position)):
                links[outcome_id].append((role, measure_ref(measure)))
            defined: dict[int, list] = {i: [] for i in ids}
            for measure in session.scalars(
                    select(Measure).where(Measure.related_outcome_id.in_(ids)).order_by(Measure.code)):
                defined[measure.related_outcome_id].append(measure_ref(measure))
            promises: dict[int, list] = {i: [] for i in ids}
            for outcome_id, text in session.execute(
                    select(Commitment.outcome_id, Commitment.text)
                    .where(Commitment.outcome_id.in_(ids)).order_by(Commitment.position)):
                promises[outcome_id].append(text)
            return tuple(
                OutcomeWithMeasures(
                    outcome=outcome_ref(o), description=o.description, doc_title=chosen.title,
                    section=o.section, quote=o.quote,
                    measures=tuple(m for role, m in links[o.id] if role == "primary"),
                    secondary_measures=tuple(m for role, m in links[o.id] if role == "secondary"),
                    defined_measures=tuple(defined[o.id]), commitments=tuple(promises[o.id]),
                )
                for o in outcomes
            )

    def related_outcomes(self, outcome_or_measure: str) -> tuple[RelatedOutcome, ...]:
        """The matching outcomes or ambitions in the other frameworks (curated in `kpi_tools.mapping`).

        Accepts an outcome's title or code ("Ambition 7", "SO2") or a measure; for a measure,
        the links of each outcome it serves are returned with `via_measure` set.
        """
        query = lookups.clean_text("outcome_or_measure", outcome_or_measure, required=True)
        with Session(self._engine) as session:
            outcomes = lookups.find_outcomes(session, query, frameworks=None)
            if len(outcomes) > 1:
                raise Ambiguous(f"{query!r} matches several outcomes.", [_outcome_label(o) for o in outcomes[:8]])
            if outcomes:
                return tuple(_links(session, outcomes[0], None))
            measure = lookups.resolve_measure(session, query)
            sources = [link.outcome for link in measure.outcome_links if link.outcome is not None]
            if measure.related_outcome_id:
                sources.append(session.get(Outcome, measure.related_outcome_id))
            found = []
            for source in sources:
                found.extend(_links(session, source, measure))
            return tuple(found)

    # -- measures ---------------------------------------------------------------------------

    def find_measures(
        self, text: str | None = None, *, framework: str | None = None, outcome: str | None = None,
        committee: str | None = None, directorate: str | None = None, deprivation: bool | None = None,
        include_superseded: bool = False, kind: str | None = None, limit: int = 20,
    ) -> tuple[MeasureSummary, ...]:
        """Measures matching words in their name, code or definition, and the given filters
        (`kind`: "KPI", "tracking measure", "success measure" or "defined measure")."""
        clean = lookups.clean_text
        text, framework, outcome = clean("text", text), clean("framework", framework), clean("outcome", outcome)
        committee, directorate = clean("committee", committee), clean("directorate", directorate)
        limit = lookups.check_limit(limit)
        if deprivation is not None and not isinstance(deprivation, bool):
            raise InvalidArgument("deprivation must be true, false or left out.")
        with Session(self._engine) as session:
            conditions = [lookups.measure_scope(session, framework, include_superseded)]
            if outcome:
                ids = [o.id for o in lookups.find_outcomes(session, outcome, None, include_superseded)]
                if not ids:
                    raise NotFound(f"No outcome or ambition matches {outcome!r}.")
                conditions.append(or_(
                    Measure.id.in_(select(MeasureOutcome.measure_id).where(MeasureOutcome.outcome_id.in_(ids))),
                    Measure.related_outcome_id.in_(ids)))
            if committee:
                conditions.append(Measure.lead_committee.ilike(like_pattern(committee), escape="\\"))
            if directorate:
                conditions.append(Measure.directorate.ilike(like_pattern(directorate), escape="\\"))
            if deprivation is not None:
                conditions.append(Measure.deprivation_indicator.is_(deprivation))
            if kind is not None:
                conditions.append(Measure.kind == lookups.clean_text("kind", kind, required=True))
            base = (select(Measure).outerjoin(Framework, Measure.framework_id == Framework.id)
                    .where(and_(*conditions)).order_by(Measure.framework_id.is_(None), Framework.period_start,
                                                       Measure.position, Measure.code))
            if text:
                measures = _ranked_measures(session, base, conditions, text)
            else:
                measures = session.scalars(base).all()
            return _summaries(session, measures[:limit])

    def get_measure(self, measure: str | int) -> MeasureDetail:
        """One measure by id, code or printed name, with its outcomes, leads and related measures."""
        with Session(self._engine) as session:
            return measure_detail(session, lookups.resolve_measure(session, lookups.measure_argument(measure)))

    def latest_value(self, measure: str | int, *, area: str | None = None) -> LatestValue:
        """The newest imported value of a measure (for `area`, or its main area), with comparators."""
        area = lookups.clean_text("area", area)
        with Session(self._engine) as session:
            found = lookups.resolve_measure(session, lookups.measure_argument(measure))
            detail = measure_detail(session, found)
            return latest_of(session, detail, _observations(session, found.id), area)

    def trend(self, measure: str | int, *, area: str | None = None) -> Trend:
        """Every imported value of a measure for one area, oldest first, and its direction."""
        area = lookups.clean_text("area", area)
        with Session(self._engine) as session:
            found = lookups.resolve_measure(session, lookups.measure_argument(measure))
            detail = measure_detail(session, found)
            return trend_of(detail, _observations(session, found.id), area)

    # -- commitments and figures ------------------------------------------------------------

    def find_commitments(
        self, topic: str | None = None, *, framework: str | None = None, outcome: str | None = None,
        include_superseded: bool = False, limit: int = 10,
    ) -> tuple[CommitmentResult, ...]:
        """Promises the documents make about a topic ("flooding"), word for word, with source."""
        clean = lookups.clean_text
        topic, framework, outcome = clean("topic", topic), clean("framework", framework), clean("outcome", outcome)
        limit = lookups.check_limit(limit)
        if not (topic or framework or outcome):
            raise InvalidArgument("Give a topic, a framework or an outcome to look commitments up by.")
        with Session(self._engine) as session:
            frameworks = lookups.find_frameworks(session, framework, include_superseded)
            conditions = [Commitment.framework_id.in_([f.id for f in frameworks])]
            if outcome:
                ids = [o.id for o in lookups.find_outcomes(session, outcome, frameworks, include_superseded)]
                if not ids:
                    raise NotFound(f"No outcome or ambition matches {outcome!r}.")
                conditions.append(Commitment.outcome_id.in_(ids))
            statement = (select(Commitment).outerjoin(Outcome, Commitment.outcome_id == Outcome.id)
                         .join(Framework, Commitment.framework_id == Framework.id).where(and_(*conditions))
                         .options(selectinload(Commitment.outcome).selectinload(Outcome.framework))
                         .order_by(Framework.period_start, Commitment.position))
            if topic:
                terms = lookups.search_terms("topic", topic)
                rows = session.scalars(statement.where(
                    any_term_matches([Commitment.text, Commitment.theme, Commitment.detail, Outcome.title], terms)
                )).all()
                total = session.scalar(select(func.count()).select_from(Commitment).where(and_(*conditions)))
                commitments = [c for _, c in rank(rows, terms, lambda c: [
                    (c.text, 3.0), (c.theme, 1.5), (c.outcome.title if c.outcome else None, 1.0), (c.detail, 0.5)
                ], total or 1)]
            else:
                commitments = session.scalars(statement).all()
            chosen = commitments[:limit]
            by_framework = {f.id: f for f in session.scalars(select(Framework))}
            tracked = _tracking_measures(session, chosen)
            return tuple(
                CommitmentResult(
                    id=c.id, text=c.text, kind=c.kind, theme=c.theme, detail=c.detail, doc_id=c.doc_id,
                    doc_title=by_framework[c.framework_id].title, doc_status=by_framework[c.framework_id].status,
                    section=c.section, quote=c.quote, outcome=outcome_ref(c.outcome) if c.outcome else None,
                    tracked_by=tracked.get(c.id, ()),
                )
                for c in chosen
            )

    def get_figures(
        self, text: str | None = None, *, measure: str | int | None = None, period: str | None = None,
        area: str | None = None, framework: str | None = None, include_superseded: bool = False, limit: int = 20,
    ) -> tuple[FigureResult, ...]:
        """Headline figures printed in the documents, each with its document, section and quote."""
        clean = lookups.clean_text
        text, period, area = clean("text", text), clean("period", period), clean("area", area)
        framework = clean("framework", framework)
        limit = lookups.check_limit(limit)
        with Session(self._engine) as session:
            frameworks = lookups.find_frameworks(session, framework, include_superseded)
            conditions = [Figure.framework_id.in_([f.id for f in frameworks])]
            if measure is not None:
                found = lookups.resolve_measure(session, lookups.measure_argument(measure))
                conditions.append(Figure.measure_id == found.id)
            if period:
                conditions.append(Figure.period.ilike(like_pattern(period), escape="\\"))
            if area:
                conditions.append(Figure.area.ilike(like_pattern(area), escape="\\"))
            statement = (select(Figure).join(Framework, Figure.framework_id == Framework.id).where(and_(*conditions))
                         .options(selectinload(Figure.outcome).selectinload(Outcome.framework),
                                  selectinload(Figure.measure))
                         .order_by(Framework.period_start, Figure.position))
            if text:
                terms = lookups.search_terms("text", text)
                rows = session.scalars(statement.where(
                    any_term_matches([Figure.name, Figure.headline, Figure.quote, Figure.unit], terms))).all()
                total = session.scalar(select(func.count()).select_from(Figure).where(and_(*conditions)))
                figures = [f for _, f in rank(rows, terms, lambda f: [
                    (f.name, 3.0), (f.headline, 1.0), (f.quote, 1.0), (f.unit, 1.0), (f.area, 1.0)], total or 1)]
            else:
                figures = session.scalars(statement).all()
            by_doc = {f.doc_id: f for f in session.scalars(select(Framework))}
            return tuple(figure_result(session, figure, by_doc) for figure in figures[:limit])


def _ranked_measures(session: Session, base, conditions, text: str) -> list[Measure]:
    index = load_measure_index(session.connection())
    exact = set(index.match(text))
    terms = query_terms(text)
    rows = session.scalars(base.where(or_(
        Measure.id.in_(exact) if exact else Measure.id.is_(None),
        any_term_matches([Measure.name, Measure.code, Measure.definition], terms) if terms else Measure.id.is_(None),
    ))).all()
    total = session.scalar(select(func.count()).select_from(Measure).where(and_(*conditions))) or 1
    ranked = [m for _, m in rank(rows, terms, lambda m: [(m.name, 2.0), (m.code, 2.0), (m.definition, 1.0)], total)]
    first = [m for m in rows if m.id in exact]
    return first + [m for m in ranked if m.id not in exact]


def _summaries(session: Session, measures: list[Measure]) -> tuple[MeasureSummary, ...]:
    ids = [m.id for m in measures]
    outcomes = primary_outcome_titles(session, ids)
    with_values = set(session.scalars(select(Observation.measure_id).where(Observation.measure_id.in_(ids)).distinct()))
    related_ids = {m.related_measure_id for m in measures if m.related_measure_id}
    related = {m.id: measure_ref(m) for m in session.scalars(select(Measure).where(Measure.id.in_(related_ids)))}
    return tuple(
        MeasureSummary(
            id=m.id, code=m.code, name=m.name, kind=m.kind, doc_id=m.doc_id, directorate=m.directorate,
            lead_committee=m.lead_committee, deprivation_indicator=m.deprivation_indicator, unit=m.unit,
            primary_outcome=outcomes.get(m.id, (None, ()))[0], secondary_outcomes=outcomes.get(m.id, (None, ()))[1],
            related_kpi=related.get(m.related_measure_id), has_values=m.id in with_values,
        )
        for m in measures
    )


def _observations(session: Session, measure_id: int) -> list[Observation]:
    """Every value of the measure in time order; the series module picks the area."""
    statement = select(Observation).where(Observation.measure_id == measure_id)
    return list(session.scalars(statement.order_by(Observation.period_sort, Observation.area)))


def _tracking_measures(session: Session, commitments: list[Commitment]) -> dict[int, tuple]:
    """The measures of each commitment's outcome that are about the commitment's subject: the
    seed links a commitment to every measure of its outcome, but "Supporting Community Flood
    Groups" is not tracked by the county's carbon footprint."""
    texts = {c.id: c.text for c in commitments}
    rows = session.execute(
        select(CommitmentMeasure.commitment_id, Measure).join(Measure, CommitmentMeasure.measure_id == Measure.id)
        .where(CommitmentMeasure.commitment_id.in_(list(texts))).order_by(Measure.position)).all()
    tracked: dict[int, list] = {}
    for commitment_id, measure in rows:
        if same_subject(texts[commitment_id], measure.name):
            tracked.setdefault(commitment_id, []).append(measure_ref(measure))
    return {key: tuple(value) for key, value in tracked.items()}


def _outcome_label(outcome: Outcome) -> str:
    return f"{outcome.framework.doc_id}: {outcome.code + ' ' if outcome.code else ''}{outcome.title}"


def _links(session: Session, source: Outcome, via: Measure | None) -> list[RelatedOutcome]:
    framework = source.framework
    doc_id = framework.superseded_by or framework.doc_id  # a draft outcome stands for its later edition
    links = mapping.links_of(doc_id, source.code, source.title)
    if not links:
        return []
    others = session.execute(
        select(Framework.doc_id, Outcome).join(Framework, Outcome.framework_id == Framework.id)
        .where(Framework.doc_id.in_({other_doc for _, (other_doc, _) in links}))).all()
    by_name = {}
    for other_doc, other in others:
        by_name[(other_doc, other.title)] = other
        if other.code:
            by_name[(other_doc, other.code)] = other
    return [
        RelatedOutcome(outcome_ref(source), outcome_ref(by_name[target]), link.evidence,
                       measure_ref(via) if via else None)
        for link, target in links if target in by_name
    ]
