"""The seeded database: exact rows, provenance of every stored quote, idempotent re-seeding."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR
from kpi_tools.models import (
    Commitment,
    CommitmentMeasure,
    EditionDifference,
    Figure,
    Framework,
    Measure,
    MeasureOutcome,
    Observation,
    Outcome,
    SeedState,
)
from kpi_tools.normalise import normalise_text
from kpi_tools.seed import seed_database

LATER, DRAFT = "strategic-framework-2016-21", "strategic-framework-2016-21-draft"
NEET = "% of 16-19 year olds not in Education, Employment or training (NEET)"
ECONOMY = "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"
CHILDREN = "Places that work with children help them to reach their full potential"


def _neet(session: Session, doc_id: str) -> Measure:
    return session.scalar(select(Measure).join(Framework).where(Framework.doc_id == doc_id, Measure.name == NEET))


def test_frameworks_one_per_document(seeded_engine):
    with Session(seeded_engine) as session:
        rows = session.execute(select(Framework.doc_id, Framework.status, Framework.period_start, Framework.period_end,
                                      Framework.superseded_by).order_by(Framework.doc_id)).all()
    assert [tuple(row) for row in rows] == [
        ("integrated-plan-2010", "draft", 2010, 2021, None),
        (LATER, "later-edition", 2016, 2021, None),
        (DRAFT, "draft", 2016, 2021, LATER),
        ("strategic-framework-2021-25", "adopted", 2021, 2025, None),
        ("strategic-framework-2023-28-draft", "draft", 2023, 2028, None),
    ]


def test_neet_measure_in_each_edition_with_its_difference(seeded_engine):
    with Session(seeded_engine) as session:
        later, draft = _neet(session, LATER), _neet(session, DRAFT)
        assert (later.kind, later.code, later.directorate, later.lead_committee, later.deprivation_indicator,
                later.doc_id, later.section, later.quote) == (
            "KPI", None, "CFA", "Children & Young People", True, LATER, "Key Performance Indicators", NEET)
        assert draft.deprivation_indicator is False
        links = [(link.role, link.outcome_text, link.matches_known_outcome, link.outcome.title)
                 for link in later.outcome_links]
        assert links == [("primary", ECONOMY, True, ECONOMY), ("secondary", CHILDREN, True, CHILDREN)]
        difference = session.scalar(select(EditionDifference).where(EditionDifference.measure_id == later.id))
        assert (difference.field, difference.doc_id, difference.value, difference.other_doc_id,
                difference.other_value) == ("Deprivation Indicator?", LATER, "ticked (✓)", DRAFT,
                                            "not ticked (empty checkbox)")


def test_only_the_known_disagreements_are_recorded(seeded_engine):
    with Session(seeded_engine) as session:
        rows = session.execute(
            select(EditionDifference.doc_id, EditionDifference.field, EditionDifference.value,
                   EditionDifference.other_value, Measure.name, Figure.name)
            .outerjoin(Measure, EditionDifference.measure_id == Measure.id)
            .outerjoin(Figure, EditionDifference.figure_id == Figure.id)
            .where(EditionDifference.doc_id == LATER).order_by(EditionDifference.field, Measure.name)).all()
    assert [tuple(row) for row in rows] == [
        (LATER, "Deprivation Indicator?", "ticked (✓)", "not ticked (empty checkbox)", NEET, None),
        (LATER, "Deprivation Indicator?", "ticked (✓)", "not ticked (empty checkbox)",
         "Childhood obesity – percentage of children weighed and recorded as obese at reception and year 6 "
         "according to national childhood measurement programme (NCMP)", None),
        (LATER, "value", "£124 million", "£119 million", None, "Reduction in the County Council's budget by 2020-21"),
    ]


def test_unknown_secondary_outcome_is_stored_unlinked(seeded_engine):
    with Session(seeded_engine) as session:
        rows = session.execute(
            select(Measure.name, MeasureOutcome.outcome_id, MeasureOutcome.matches_known_outcome)
            .join(MeasureOutcome).join(Framework)
            .where(Framework.doc_id == LATER, MeasureOutcome.outcome_text == "Developing our economy")
            .order_by(Measure.position)).all()
    assert [tuple(row) for row in rows] == [
        ("Attainment gap at KS2 between those eligible for FSM and their peers", None, False),
        ("Attainment gap at KS4 between those eligible for FSM and their peers", None, False),
        ("% Clients with SEND who are EET", None, False),
    ]


def test_ambition_1_commitments_are_tracked_by_its_two_measures(seeded_engine):
    with Session(seeded_engine) as session:
        ambition = session.scalar(select(Outcome).where(Outcome.code == "Ambition 1"))
        commitments = session.scalars(select(Commitment).where(Commitment.outcome_id == ambition.id)).all()
        assert len(commitments) == 8
        assert {c.kind for c in commitments} == {"delivering the ambition"}
        tracked = session.scalars(
            select(Measure.name).join(CommitmentMeasure, CommitmentMeasure.measure_id == Measure.id)
            .where(CommitmentMeasure.commitment_id == commitments[-1].id).order_by(Measure.position)).all()
    assert tracked == ["Monitoring our annual county-wide carbon footprint data",
                       "Measuring biodiversity to establish where and how we can bring the biggest benefits to nature"]


def test_row_counts(seeded_engine):
    with Session(seeded_engine) as session:
        def count(model, *where):
            return session.scalar(select(func.count()).select_from(model).where(*where))

        assert count(Outcome) == 31
        assert count(Measure, Measure.framework_id.is_not(None)) == 133
        assert count(Measure, Measure.framework_id.is_(None)) == 14
        assert count(Commitment) == 130
        assert count(Figure) == 38
        assert count(Observation) == 74


def test_every_stored_quote_and_printed_value_occurs_in_its_document(seeded_engine, documents):
    texts = {d.id: normalise_text(d.read_text()) for d in documents}
    with Session(seeded_engine) as session:
        for figure in session.scalars(select(Figure)):
            assert figure.quote in texts[figure.doc_id], figure.name
            assert figure.value_text in figure.quote, figure.name
            assert figure.section in texts[figure.doc_id], figure.name
            assert "XX" not in figure.value_text
        for commitment in session.scalars(select(Commitment)):
            assert commitment.quote in texts[commitment.doc_id]
        for measure in session.scalars(select(Measure).where(Measure.framework_id.is_not(None))):
            assert measure.quote in texts[measure.doc_id]
        for outcome in session.scalars(select(Outcome)):
            assert outcome.quote in texts[outcome.framework.doc_id]


def test_imported_seed_data_keeps_qualifiers(seeded_engine):
    with Session(seeded_engine) as session:
        rows = session.execute(
            select(Measure.code, Observation.period, Observation.value_text, Observation.value, Observation.qualifier,
                   Observation.area)
            .join(Measure).where(Observation.qualifier.is_not(None)).order_by(Measure.code, Observation.period)).all()
    assert [tuple(row) for row in rows] == [
        ("BROADBAND-SUPERFAST", "2019", "over 97", 97.0, "over", "Cambridgeshire"),
        ("BROADBAND-SUPERFAST", "Nov 2017", "more than 95", 95.0, "more than", "Cambridgeshire"),
        ("BROADBAND-TAKEUP", "Apr 2019", "over 62", 62.0, "over", "Cambridgeshire intervention area"),
    ]


def test_seeding_again_does_nothing(fresh_engine, documents):
    first = seed_database(fresh_engine, documents, DEFAULT_SEED_DATA_DIR)
    assert first.changed is False
    with Session(fresh_engine) as session:
        assert session.scalar(select(SeedState.content_hash)) == first.fingerprint


def test_reseeding_keeps_ids_and_imported_values(fresh_engine, documents):
    with Session(fresh_engine) as session:
        before = session.execute(select(Measure.id, Measure.name_key, Measure.framework_id).order_by(Measure.id)).all()
        observations = session.execute(select(Observation.id, Observation.measure_id).order_by(Observation.id)).all()
    with fresh_engine.begin() as connection:  # as if a parser changed: the fingerprint no longer matches
        connection.execute(update(SeedState).values(content_hash="stale"))
    report = seed_database(fresh_engine, documents, DEFAULT_SEED_DATA_DIR)
    assert (report.changed, report.measures, report.figures, report.edition_differences) == (True, 133, 38, 6)
    assert (report.observations.inserted, report.observations.unchanged) == (0, 74)
    assert (report.definitions.inserted, report.definitions.unchanged) == (0, 14)
    with Session(fresh_engine) as session:
        after = session.execute(select(Measure.id, Measure.name_key, Measure.framework_id).order_by(Measure.id)).all()
        assert after == before
        assert session.execute(select(Observation.id, Observation.measure_id).order_by(Observation.id)).all() == observations
        assert session.scalar(select(func.count()).select_from(EditionDifference)) == 6


def test_a_measure_dropped_from_a_document_is_kept_only_if_it_has_values(fresh_engine, tmp_path):
    import shutil

    from kpi_tools.importer import import_observations
    from retrieval.corpus import load_manifest

    corpus = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus)
    later = corpus / "documents" / f"{LATER}.txt"
    text = later.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True)
             if not line.startswith(("Additional jobs created per year\t", "The number of people starting as apprentices\t"))]
    assert len(lines) == len(text.splitlines()) - 2
    later.write_text("".join(lines), encoding="utf-8")
    values = tmp_path / "jobs.csv"
    values.write_text("measure,period,value,unit,area,target,source\n"
                      "Additional jobs created per year,2019,1200,jobs,Cambridgeshire,,Economy report\n")
    import_observations(fresh_engine, values)
    report = seed_database(fresh_engine, load_manifest(corpus), DEFAULT_SEED_DATA_DIR)
    assert report.kept_measures == ("Additional jobs created per year",)
    with Session(fresh_engine) as session:
        names = set(session.scalars(select(Measure.name).join(Framework).where(Framework.doc_id == LATER)))
    assert "Additional jobs created per year" in names
    assert "The number of people starting as apprentices" not in names
