"""The curated cross-framework mapping: every link names real outcomes, and the chains hold."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kpi_tools import mapping
from kpi_tools.models import Framework, Outcome


def test_every_link_names_an_outcome_that_exists(seeded_engine):
    with Session(seeded_engine) as session:
        for link in mapping.LINKS:
            for doc_id, name in (link.first, link.second):
                found = session.scalars(
                    select(Outcome.id).join(Framework)
                    .where(Framework.doc_id == doc_id, or_(Outcome.code == name, Outcome.title == name))).all()
                assert len(found) == 1, (doc_id, name)
            assert link.first[0] != link.second[0]
            assert link.evidence.strip()


def test_links_are_not_repeated():
    pairs = [frozenset((link.first, link.second)) for link in mapping.LINKS]
    assert len(pairs) == len(set(pairs))


def test_children_chain_runs_from_2010_to_2023():
    def neighbours(doc_id, name):
        return {other for _, other in mapping.links_of(doc_id, name if name.startswith(("SO", "Ambition")) else None,
                                                       name)}

    assert (mapping.F2016, mapping.CHILDREN) in neighbours(mapping.P2010, "SO1")
    assert (mapping.F2016, mapping.CHILDREN) in neighbours(mapping.P2010, "SO2")
    assert (mapping.F2021, mapping.CHILDREN_2021) in neighbours(mapping.F2016, mapping.CHILDREN)
    assert (mapping.F2023, "Ambition 7") in neighbours(mapping.F2021, mapping.CHILDREN_2021)
    assert (mapping.F2023, "Ambition 7") in neighbours(mapping.F2016, mapping.AT_RISK)


def test_every_outcome_of_every_framework_has_a_link(seeded_engine):
    with Session(seeded_engine) as session:
        outcomes = session.execute(
            select(Framework.doc_id, Outcome.code, Outcome.title).join(Framework)
            .where(Framework.superseded_by.is_(None))).all()
    unlinked = [(doc_id, code or title) for doc_id, code, title in outcomes
                if not mapping.links_of(doc_id, code, title)]
    assert unlinked == []
