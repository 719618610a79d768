"""Briefings on a topic, built from what the records say about it: exact headline blocks for a
handful of topics, the right ambition, KPIs and figures in the whole briefing, one screen."""
from __future__ import annotations

import pytest

from bot.briefing.headline import HEADLINE_LIMIT
from bot.briefing.render_text import headline_text, render_briefing_text

EXPECTED = {
    'broadband': (
        'Cambridgeshire: A well-connected, safe, clean, green environment [1]\n'
        'Strategic Framework 2021 – 2025\n'
        '(Briefing on “broadband” from what the frameworks say about it: 1 commitment, 4 measures. The '
        '2023-28 Strategic Framework (draft) makes no commitment on it; its nearest ambition is Ambition '
        '6: Places and communities prosper because they have a resilient and inclusive economy, access '
        'to good quality public services and social justice is prioritised.)\n'
        '\n'
        'Commitments\n'
        '  • 2021-25 Strategic Framework: All of our communities, urban and rural, wherever they are in '
        'the county, will enjoy reliable, fast broadband and mobile connectivity. [2]\n'
        '\n'
        'Latest figures\n'
        '  • Premises able to get superfast broadband (24Mbps+): over 97% (2019, Cambridgeshire) ↑ from '
        'more than 95% (Nov 2017) [3]\n'
        '  • Take-up of superfast broadband in the intervention area: over 62% (Apr 2019, Cambridgeshire '
        'intervention area) [3]\n'
        '\n'
        'More detail: council-assistant brief broadband --full\n'
        '\n'
        'Sources\n'
        '  [1] Strategic Framework 2021 – 2025 › Our Strategic Priorities\n'
        '  [2] Strategic Framework 2021 – 2025 › Our Five Strategic Priorities\n'
        '  [3] Imported data: https://www.connectingcambridgeshire.co.uk/about/'
    ),
    'flooding': (
        'Ambition 1: Net zero carbon emissions for Cambridgeshire by 2045, and our communities and '
        'natural environment are supported to adapt and thrive as the climate changes [1]\n'
        'Draft Strategic Framework 2023-2028\n'
        '(Briefing on “flooding” from what the frameworks say about it: 1 commitment, 1 statement.)\n'
        '\n'
        'Commitments\n'
        '  • Supporting Community Flood Groups to build resilience in areas at risk of flooding [1]\n'
        '\n'
        'Earlier frameworks\n'
        '  • 2016-21 Strategic Framework, People live in a safe environment: “We want the people of '
        'Cambridgeshire to live in places that are free from environmental harm (such as noxious '
        'industries and physical risks such as flooding and road accidents), and in communities where '
        'people look out for and protect each other.” [2]\n'
        '\n'
        'More detail: council-assistant brief flooding --full\n'
        '\n'
        'Note: The 2023-28 Strategic Framework is a draft, as published.\n'
        'Note: The 2016-21 Strategic Framework is quoted from its later edition, which replaced the '
        'draft.\n'
        '\n'
        'Sources\n'
        '  [1] Draft Strategic Framework 2023-2028 › Ambition 1\n'
        '  [2] Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21) › '
        "Appendix: Cambridgeshire County Council's Outcomes"
    ),
    'older people': (
        'Ambition 4: People enjoy healthy, safe, and independent lives through timely support that is '
        'most suited to their needs [1]\n'
        'Draft Strategic Framework 2023-2028\n'
        '(Briefing on “older people” from what the frameworks say about it: 1 commitment, 10 measures, 1 '
        'printed figure. The 2023-28 Strategic Framework (draft) makes no commitment on it.)\n'
        '\n'
        'Commitments under Ambition 4\n'
        '  • Promoting early intervention and prevention measures to improve physical and mental health '
        'and wellbeing [1]\n'
        '  • Involving local people in shaping services which focus on helping people early, fully '
        "coordinating with the Council's other services, with the NHS, and our other partners [1]\n"
        '  • Delivering care at a more local, neighbourhood level, personalising care around the '
        'individual in ways that maintain high quality services for people who need them, and which '
        'empower people and communities to stay healthy, connected, safe… [1]\n'
        '  • 2010 Integrated Plan (draft): Work with partners to pilot new ways of supporting older '
        'people in the community [2]\n'
        '\n'
        'Latest figures\n'
        '  • Outcome of short-term services: sequel to service: 85.3% (2022-23, Cambridgeshire) ↓ from '
        '87.7% (2021-22) [3]\n'
        '  • Adult social care workforce turnover rate: 38.71% (2022-23, Cambridgeshire) ↓ from 39.9% '
        '(2021-22) [3]\n'
        '\n'
        'More detail: council-assistant brief "older people" --full\n'
        '\n'
        'Note: The 2010 Integrated Plan and the 2023-28 Strategic Framework are drafts, as published.\n'
        '\n'
        'Sources\n'
        '  [1] Draft Strategic Framework 2023-2028 › Ambition 4\n'
        '  [2] Cambridgeshire County Council Draft Integrated Plan 2010 › Supporting and protecting '
        'vulnerable people\n'
        '  [3] Imported data: communitiesuk/oflog-automated-text, src/lib/ASC_data.csv (commit 8036fa8)'
    ),
    'road safety': (
        'Ambition 2: Travel across the county is safer and more environmentally sustainable [1]\n'
        'Draft Strategic Framework 2023-2028\n'
        '(Briefing on “road safety” from what the frameworks say about it: 1 commitment, 5 measures, 1 '
        'printed figure, 1 statement.)\n'
        '\n'
        'Commitments\n'
        '  • Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or '
        'serious injuries by 2040 [1]\n'
        '\n'
        'Latest figures\n'
        "  • People killed on Cambridgeshire's roads: 43 people (2021, Cambridgeshire) ↑ from 28 people "
        '(2020) [2]\n'
        "  • People killed or seriously injured on Cambridgeshire's roads: 290 people (Dec 2011 to Nov "
        '2012, Cambridgeshire) ↓ from 337 people (2011) [3]\n'
        '  • Year by which the Vision Zero Partnership aims for a consistent reduction in deaths or '
        'serious injuries: 2040 (Cambridgeshire) [1]\n'
        '\n'
        'Earlier frameworks\n'
        '  • 2016-21 Strategic Framework, People live in a safe environment: “We want the people of '
        'Cambridgeshire to live in places that are free from environmental harm (such as noxious '
        'industries and physical risks such as flooding and road accidents), and in communities where '
        'people look out for and protect each other.” [4]\n'
        '\n'
        'More detail: council-assistant brief "road safety" --full\n'
        '\n'
        'Note: The 2023-28 Strategic Framework is a draft, as published.\n'
        'Note: The 2016-21 Strategic Framework is quoted from its later edition, which replaced the '
        'draft.\n'
        '\n'
        'Sources\n'
        '  [1] Draft Strategic Framework 2023-2028 › Ambition 2\n'
        '  [2] Imported data: https://www.cambridgeindependent.co.uk (article 9279310 on road deaths in '
        '2021)\n'
        '  [3] Imported data: https://www.fenlandcitizen.co.uk/news/less-road-deaths-1-4717770\n'
        '  [4] Section 1 – Strategic Framework: our Vision and the Challenge (2016-17 to 2020-21) › '
        "Appendix: Cambridgeshire County Council's Outcomes"
    ),
    'bus services': (
        'Ambition 2: Travel across the county is safer and more environmentally sustainable [1]\n'
        'Draft Strategic Framework 2023-2028\n'
        '(Briefing on “bus services” from what the frameworks say about it: 6 commitments, 4 measures, 1 '
        'printed figure, 2 statements.)\n'
        '\n'
        'Commitments\n'
        '  • Working with the Cambridgeshire and Peterborough Combined Authority and the Greater '
        'Cambridge Partnership to enhance bus services and to create a sustainable long term local '
        'funding solution for bus services [1]\n'
        '  • Embedding net-zero by design and climate resilience into our transport delivery and '
        'maintenance programmes [2]\n'
        '  • Working with our partners to deliver a single vision for transport across Cambridgeshire '
        '[1]\n'
        '  • Managing our Park and Ride sites, and the Cambridgeshire Guided Busway, to contribute to '
        'sustainable and high-quality travel options [1]\n'
        '  • 2010 Integrated Plan (draft): Encourage the use of public and sustainable transport [3]\n'
        '\n'
        'Latest figures\n'
        '  • Bus passenger journeys in Cambridgeshire: 19.9 million journeys (2017-18, Cambridgeshire) '
        '[4]\n'
        '  • Increase in the number of local bus passengers during 2009: over 2 million passengers '
        '(Cambridgeshire) [5]\n'
        '\n'
        'More detail: council-assistant brief "bus services" --full\n'
        '\n'
        'Note: The 2010 Integrated Plan and the 2023-28 Strategic Framework are drafts, as published.\n'
        '\n'
        'Sources\n'
        '  [1] Draft Strategic Framework 2023-2028 › Ambition 2\n'
        '  [2] Draft Strategic Framework 2023-2028 › Ambition 1\n'
        '  [3] Cambridgeshire County Council Draft Integrated Plan 2010 › Managing and delivering the '
        'growth and development of sustainable communities\n'
        '  [4] Imported data: https://www.cambridgeindependent.co.uk (article 9069700 on bus journeys)\n'
        '  [5] Cambridgeshire County Council Draft Integrated Plan 2010 › Introduction from the Leader '
        'of the Council'
    ),
}


@pytest.mark.parametrize("topic", list(EXPECTED))
def test_the_headline_block_for_these_topics(briefings, topic):
    briefing = briefings.brief(topic)
    assert render_briefing_text(briefing) == EXPECTED[topic]
    assert len(headline_text(briefing)) <= HEADLINE_LIMIT


def full_lines(briefings, topic: str) -> list[str]:
    return render_briefing_text(briefings.brief(topic), full=True).splitlines()


def test_broadband_is_the_2021_priority_with_both_2016_kpis_and_the_coverage_figures(briefings):
    briefing = briefings.brief("broadband")
    assert (briefing.heading, briefing.doc_id) == (
        "Cambridgeshire: A well-connected, safe, clean, green environment", "strategic-framework-2021-25")
    text = "\n".join(full_lines(briefings, "broadband"))
    for expected in (
        "All of our communities, urban and rural, wherever they are in the county, will enjoy reliable, fast broadband "
        "and mobile connectivity",
        "% of premises in Cambridgeshire with access to at least superfast broadband: values are imported for its "
        "relative ‘Premises able to get superfast broadband (24Mbps+)’ (2016-21 Strategic Framework KPI, The "
        "Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents)",
        "Take-up in the intervention area as part of the superfast broadband rollout programme: values are imported "
        "for its relative",
        "Premises able to get superfast broadband (24Mbps+): over 97% (2019, Cambridgeshire) ↑ from more than 95% "
        "(Nov 2017)",
        "Take-up of superfast broadband in the intervention area: over 62% (Apr 2019, Cambridgeshire intervention area)",
    ):
        assert expected in text
    assert "Ambition 6" in briefing.matched and "makes no commitment on it" in briefing.matched


def test_flooding_is_ambition_1_with_its_flood_groups_and_no_carbon_measures(briefings):
    briefing = briefings.brief("flooding")
    assert briefing.heading.startswith("Ambition 1: ")
    text = "\n".join(full_lines(briefings, "flooding"))
    assert "Supporting Community Flood Groups to build resilience in areas at risk of flooding" in text
    assert "physical risks such as flooding and road accidents" in text
    assert "carbon footprint" not in text and "biodiversity" not in text


def test_older_people_has_ambition_4_the_reablement_figures_and_all_four_2016_kpis(briefings):
    briefing = briefings.brief("older people")
    assert briefing.heading.startswith("Ambition 4: ")
    text = "\n".join(full_lines(briefings, "older people"))
    for kpi in ("RBT-I - Total number of new users requiring no further service at end of re-ablement phase",
                "BCF 2A PART 2 - Admissions to residential and nursing care homes (aged 65+), per 100,000 population",
                "BCF Average number of bed-day delays, per 100,000 of population per month (aged 18+) - YTD",
                "Average number of ASC attributable bed-day delays per 100,000 population per month (aged 18+) - YTD",
                "Monitoring the number of permanent admissions to care homes"):
        assert kpi in text
    assert ("Outcome of short-term services: sequel to service: 85.3% (2022-23, Cambridgeshire) ↓ from 87.7% "
            "(2021-22); no target imported") in text
    assert "Older people cared for in their own homes during 2009: nearly 8,700 older people (Cambridgeshire)" in text


def test_road_safety_is_ambition_2_with_the_ksi_measures_and_vision_zero(briefings):
    briefing = briefings.brief("road safety")
    assert briefing.heading.startswith("Ambition 2: ")
    text = "\n".join(full_lines(briefings, "road safety"))
    for expected in ("Working through the Vision Zero Partnership to achieve a consistent reduction in deaths or serious "
                     "injuries by 2040",
                     "Monitoring the numbers of killed or seriously injured casualties",
                     "The number of people killed or seriously injured on the roads over the past 12 months",
                     "Fewer people are killed or seriously injured on our roads",
                     "People killed or seriously injured on Cambridgeshire's roads: 290 people"):
        assert expected in text


@pytest.mark.parametrize("topic", ["net zero", "road safety", "broadband", "Ambition 1", "older people"])
def test_a_measure_shown_with_a_value_is_never_also_without_values(briefings, topic):
    for full in (False, True):
        lines = render_briefing_text(briefings.brief(topic), full=full).splitlines()
        named = lambda ending: {line.split(":")[0] for line in lines if line.rstrip(" [0123456789,]").endswith(ending)}
        shown = {line.split(":")[0] for line in lines if " (20" in line or "as printed" in line}
        assert named("no values imported yet") & shown == set(), topic


def test_the_whole_briefing_holds_the_headline_and_more(briefings):
    briefing = briefings.brief("bus services")
    full = briefing.as_full()
    assert full.detail == () and full.sections == briefing.detail
    assert len(briefing.items(full=True)) > len(briefing.items())
    assert {item.citation for item in briefing.items() if item.citation} <= {
        item.citation for item in briefing.items(full=True) if item.citation} | {
        item.citation for section in briefing.sections for item in section.items if item.citation}
