"""What "<ambition, outcome or topic>" resolves to, and the message when it resolves to nothing."""
from __future__ import annotations

import pytest

from bot.briefing import UnknownTopic
from bot.briefing.resolve import resolve_topic
from kpi_tools import mapping

A1 = ("Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and natural environment "
      "are supported to adapt and thrive as the climate changes")
A2 = "Ambition 2: Travel across the county is safer and more environmentally sustainable"
A3 = "Ambition 3: Health inequalities are reduced"
A4 = ("Ambition 4: People enjoy healthy, safe, and independent lives through timely support that is most suited to "
      "their needs")
A5 = "Ambition 5: People are helped out of poverty and income inequality"
A6 = ("Ambition 6: Places and communities prosper because they have a resilient and inclusive economy, access to good "
      "quality public services and social justice is prioritised")
A7 = "Ambition 7: Children and young people have opportunities to thrive"


@pytest.mark.parametrize(("topic", "label", "matched"), [
    ("Ambition 3", A3, None),
    ("ambition three", A3, None),
    ("AMBITION 7", A7, None),
    ("the seventh ambition", A7, None),
    ("SO2", "SO2: Supporting and protecting vulnerable people", None),
    ("so 4", "SO4: Promoting improved skill levels and economic prosperity across the county, helping people into jobs "
             "and encouraging enterprise", None),
    ("strategic objective 5", "SO5: Meeting the challenges of climate change and enhancing the natural environment",
     None),
    (mapping.OLDER, mapping.OLDER, None),
    (mapping.CHILDREN_2021.upper(), mapping.CHILDREN_2021, None),
    ("older people", A4, f"“older people” matches the 2016-21 Strategic Framework outcome “{mapping.OLDER}”, carried "
                         f"forward as {A4}."),
    ("children", A7, f"“children” matches {A7}."),
    ("poverty?", A5, f"“poverty” matches {A5}."),
    ("flooding", A1, f"“flooding” belongs to the theme “climate change and the environment”: {A1}."),
    ("road safety", A2, f"“road safety” belongs to the theme “transport and roads”: {A2}."),
    ("child protection", A7, f"“child protection” belongs to the theme “keeping vulnerable people safe”: {A7}."),
    ("broadband", A6, f"“broadband” belongs to the theme “the economy and skills”: {A6}."),
    ("Park and Ride", A2, "“Park and Ride” matches the commitment “Managing our Park and Ride sites, and the "
                          "Cambridgeshire Guided Busway, to contribute to sustainable and high-quality travel "
                          f"options” of {A2}."),
])
def test_topics_resolve_to_an_outcome(briefings, tools, topic, label, matched):
    resolution = resolve_topic(briefings.catalogue, tools, topic)
    assert (resolution.outcome.outcome.label, resolution.matched) == (label, matched)


UNKNOWN = "\n".join([
    "I couldn't match “{topic}” to an ambition, outcome or topic of the council's strategy. Try one of the 7 "
    "ambitions of the Draft Strategic Framework 2023-2028, a 2016 outcome or 2010 objective, or a topic such as "
    "flooding:",
    f"• {A1}", f"• {A2}", f"• {A3}", f"• {A4}", f"• {A5}", f"• {A6}", f"• {A7}",
])


@pytest.mark.parametrize(("topic", "shown"), [("potato wedges", "potato wedges"), ("Ambition 9", "Ambition 9"),
                                              ("SO6", "SO6")])
def test_an_unknown_topic_lists_the_seven_ambitions(briefings, topic, shown):
    with pytest.raises(UnknownTopic) as raised:
        briefings.brief(topic)
    assert str(raised.value) == UNKNOWN.format(topic=shown)


def test_an_empty_topic_asks_for_one(briefings):
    with pytest.raises(UnknownTopic, match=r"^Tell me which ambition, outcome or topic to brief on\. Try one of the 7"):
        briefings.brief("  ?")


def test_without_search_only_codes_titles_and_themes_match(briefings, tools):
    assert resolve_topic(briefings.catalogue, tools, "Park and Ride").outcome.outcome.code == "Ambition 2"
    with pytest.raises(UnknownTopic, match="I couldn't match “Park and Ride”"):
        resolve_topic(briefings.catalogue, tools, "Park and Ride", search=False)
    assert resolve_topic(briefings.catalogue, tools, "buses", search=False).outcome.outcome.code == "Ambition 2"


def test_an_older_outcome_found_by_search_is_carried_forward_to_the_closest_ambition(briefings, tools):
    resolution = resolve_topic(briefings.catalogue, tools, "regulation services")
    assert resolution.outcome.outcome.code == "Ambition 6"
    assert resolution.matched.startswith("“regulation services” matches the measure “More businesses are satisfied "
                                         "with our regulation services” of the 2010 Integrated Plan (draft) "
                                         "strategic objective “SO4: ")
