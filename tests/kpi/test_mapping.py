"""The curated cross-framework mapping (data in corpus/): every link names real outcomes, the chains
hold, and a malformed file is refused with one line."""
from __future__ import annotations

import re

import pytest
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


def test_the_mapping_is_read_from_data_under_corpus():
    assert (mapping.LINKS_FILE.name, mapping.THEMES_FILE.name) == ("outcome_links.yaml", "themes.yaml")
    assert mapping.LINKS == mapping.load_links() and mapping.THEMES == mapping.load_themes()
    assert len(mapping.LINKS) == 40 and [t.key for t in mapping.THEMES][:2] == ["children", "older-people"]
    named = {name for link in mapping.LINKS for _, name in (link.first, link.second)}
    assert {mapping.OLDER, mapping.ECONOMY, mapping.SAFE_PLACE, mapping.CARING_2021, mapping.ENVIRONMENT_2021} <= named


@pytest.mark.parametrize(("text", "message"), [
    ("links: []\n", "outcome_links.yaml: needs a non-empty list 'links'."),
    ("links:\n- between: [{document: a, outcome: b}]\n  evidence: x\n",
     "outcome_links.yaml: link 1 needs 'between' with two outcomes."),
    ("links:\n- between: [{document: a, outcome: b}, {document: c}]\n  evidence: x\n",
     "outcome_links.yaml: link 1 needs 'outcome'."),
    ("links:\n- between: [{document: a, outcome: b}, {document: c, outcome: d}]\n",
     "outcome_links.yaml: link 1 needs 'evidence'."),
])
def test_a_malformed_links_file_is_refused_with_one_line(tmp_path, text, message):
    path = tmp_path / "outcome_links.yaml"
    path.write_text(text)
    with pytest.raises(mapping.MappingFileError, match=f"^{re.escape(message)}$"):
        mapping.load_links(path)


def test_a_malformed_themes_file_is_refused_with_one_line(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes:\n- key: k\n  name: n\n  keywords: [a]\n  steps: [{document: d, outcome: o}]\n")
    with pytest.raises(mapping.MappingFileError, match=r"^themes\.yaml: theme 1 step 1 needs 'quote'\.$"):
        mapping.load_themes(path)
