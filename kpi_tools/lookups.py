"""Argument checks and lookups shared by the KPI tools: which framework, outcome or measure a
caller means by the text they passed. Every failure is a `KpiToolError` whose sentence says
what to change (and, where possible, lists the closest names)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from kpi_tools.errors import Ambiguous, InvalidArgument, NotFound
from kpi_tools.measure_index import load_measure_index
from kpi_tools.models import Framework, Measure, MeasureOutcome, Outcome
from kpi_tools.normalise import name_key
from kpi_tools.text_search import QueryTerm, like_pattern, query_terms

MAX_TEXT = 300
MAX_LIMIT = 100


def clean_text(name: str, value, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidArgument(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be text.")
    value = " ".join(value.split())
    if len(value) > MAX_TEXT:
        raise InvalidArgument(f"{name} is longer than {MAX_TEXT} characters.")
    return value


def check_limit(limit) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return limit


def measure_argument(measure) -> str | int:
    if isinstance(measure, int) and not isinstance(measure, bool):
        return measure
    return clean_text("measure", measure, required=True)


def search_terms(name: str, text: str) -> list[QueryTerm]:
    terms = query_terms(text)
    if not terms:
        raise InvalidArgument(f"{name} {text!r} has no words to search for; use a subject such as 'flooding'.")
    return terms


def find_frameworks(session: Session, text: str | None, include_superseded: bool) -> list[Framework]:
    """Frameworks named by `text` (a document id, part of one such as "2023", or of a title)."""
    frameworks = session.scalars(select(Framework).order_by(Framework.period_start, Framework.doc_id)).all()
    if text is None:
        return [f for f in frameworks if include_superseded or not f.superseded_by]
    exact = [f for f in frameworks if f.doc_id == text]
    if exact:
        return exact
    lowered = text.lower()
    matches = [f for f in frameworks if lowered in f.doc_id.lower() or lowered in f.title.lower()]
    current = [f for f in matches if not f.superseded_by]
    if current and not include_superseded:
        matches = current
    if not matches:
        raise NotFound(f"No framework matches {text!r}.", [f.doc_id for f in frameworks])
    return matches


def one_framework(session: Session, text: str) -> Framework:
    matches = find_frameworks(session, text, include_superseded=False)
    if len(matches) > 1:
        raise Ambiguous(f"{text!r} matches several frameworks.", [f.doc_id for f in matches])
    return matches[0]


def measure_scope(session: Session, framework: str | None, include_superseded: bool):
    if framework:
        return Measure.framework_id.in_([f.id for f in find_frameworks(session, framework, include_superseded)])
    if include_superseded:
        return Measure.id.is_not(None)
    return or_(Measure.framework_id.is_(None), Measure.framework_id.in_(
        select(Framework.id).where(Framework.superseded_by.is_(None))))


def find_outcomes(session: Session, text: str, frameworks: list[Framework] | None,
                   include_superseded: bool = False) -> list[Outcome]:
    """Outcomes whose code or title is `text`, else whose title contains it."""
    if frameworks is None:
        frameworks = find_frameworks(session, None, include_superseded)
    ids = [f.id for f in frameworks]
    outcomes = session.scalars(select(Outcome).where(Outcome.framework_id.in_(ids))
                               .options(selectinload(Outcome.framework)).order_by(Outcome.id)).all()
    key = name_key(text)
    exact = [o for o in outcomes if (o.code and o.code.lower() == text.lower()) or name_key(o.title) == key]
    if exact:
        return exact
    return [o for o in outcomes if key and key in name_key(o.title)]


def resolve_measure(session: Session, measure: str | int) -> Measure:
    """The one measure meant by an id, a code, a printed name or a unique part of a name."""
    if isinstance(measure, int) or measure.isdigit():
        found = _load_measure(session, int(measure))
        if found is None:
            raise NotFound(f"No measure has the id {measure}.")
        return found
    index = load_measure_index(session.connection())
    ids = index.match(measure)
    if not ids:
        ids = tuple(
            session.scalars(select(Measure.id).where(
                Measure.id.in_(list(index.entries)), Measure.name.ilike(like_pattern(measure), escape="\\"))))
    if len(ids) > 1:
        raise Ambiguous(f"{measure!r} matches several measures; use a code or id.",
                        [f"{index.entries[i].label} [id {i}]" for i in ids[:8]])
    if not ids:
        raise NotFound(f"No measure has the code or name {measure!r}.", index.suggest(measure))
    return _load_measure(session, ids[0])


def _load_measure(session: Session, measure_id: int) -> Measure | None:
    """The measure with its framework and outcomes in one query (results need all of them)."""
    return session.scalar(
        select(Measure).where(Measure.id == measure_id).options(
            joinedload(Measure.framework),
            joinedload(Measure.outcome_links).joinedload(MeasureOutcome.outcome).joinedload(Outcome.framework)))
