"""The curated themes of `kpi_tools.mapping`: real outcomes, real quotes, built on the links."""
from __future__ import annotations

from kpi_tools import mapping
from kpi_tools.normalise import normalise_text


def test_the_nine_themes_the_issue_asks_for():
    assert [theme.key for theme in mapping.THEMES] == [
        "children", "older-people", "economy", "health", "climate", "transport", "communities", "poverty", "safety",
    ]


def test_every_quote_occurs_in_its_document(manifest):
    missing = [(theme.key, step.outcome, step.quote) for theme in mapping.THEMES for step in theme.steps
               if normalise_text(step.quote) not in manifest[step.outcome[0]][1]]
    assert missing == []


def test_every_step_names_an_outcome_of_the_database(briefings):
    catalogue = briefings.catalogue
    assert [(t.key, s.outcome) for t in mapping.THEMES for s in t.steps if catalogue.find(s.outcome) is None] == []


def test_each_theme_is_one_connected_group_of_the_curated_links():
    for theme in mapping.THEMES:
        nodes = {step.outcome for step in theme.steps}
        neighbours = {node: set() for node in nodes}
        for link in mapping.LINKS:
            if link.first in nodes and link.second in nodes:
                neighbours[link.first].add(link.second)
                neighbours[link.second].add(link.first)
        reached, frontier = set(), [theme.steps[0].outcome]
        while frontier:
            node = frontier.pop()
            if node not in reached:
                reached.add(node)
                frontier.extend(neighbours[node])
        assert reached == nodes, theme.key


def test_each_theme_runs_from_2010_to_the_2023_draft():
    for theme in mapping.THEMES:
        documents = [step.outcome[0] for step in theme.steps]
        assert documents == sorted(documents, key=[mapping.P2010, mapping.F2016, mapping.F2021, mapping.F2023].index)
        assert {documents[0], documents[-1]} == {mapping.P2010, mapping.F2023}, theme.key


def test_every_outcome_of_every_current_framework_is_in_a_theme(briefings):
    untracked = [o.outcome.label for o in briefings.catalogue.all_outcomes()
                 if not mapping.themes_of(o.outcome.doc_id, o.outcome.code, o.outcome.title)]
    assert untracked == []


def test_the_childrens_chain_of_the_issue():
    (children,) = [theme for theme in mapping.THEMES if theme.key == "children"]
    assert [step.outcome for step in children.steps] == [
        (mapping.P2010, "SO1"), (mapping.P2010, "SO2"), (mapping.F2016, mapping.CHILDREN),
        (mapping.F2021, mapping.CHILDREN_2021), (mapping.F2023, "Ambition 7"),
    ]
    assert mapping.CHILDREN == "Places that work with children help them to reach their full potential"
    assert mapping.CHILDREN_2021 == "Helping our children learn, develop and live life to the full"


def test_themes_of_finds_an_outcome_by_code_or_title():
    assert [t.key for t in mapping.themes_of(mapping.F2023, "Ambition 4", "ignored")] == ["older-people", "safety"]
    assert [t.key for t in mapping.themes_of(mapping.F2016, None, mapping.SAFE_PLACE)] == [
        "climate", "transport", "communities"]
    assert mapping.themes_of(mapping.F2023, "Ambition 9", "nothing") == []
