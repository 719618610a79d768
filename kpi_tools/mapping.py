"""How the outcomes of the four frameworks correspond: a curated, documented mapping.

The council renamed and regrouped its goals with each framework: five strategic objectives
(2010), seven outcomes (2016-21), five strategic priorities (2021-25), seven ambitions
(2023-28). No document states the correspondence, so it is curated here, one link at a time,
each with the evidence read in the documents: usually the same measure tracked in both (a
2016-21 KPI and a 2023-28 "We will track progress by" measure), or the same promise.
Links are undirected; the 2016-21 later edition stands for both of its editions.

Main chains:
- Children: 2010 SO1 and SO2 -> 2016 "Places that work with children help them to reach
  their full potential" -> 2021 "Helping our children learn, develop and live life to the
  full" -> 2023 Ambition 7 (educational attainment at key stages tracked in both).
- Safeguarding: 2016 "People at risk of harm are kept safe" -> 2023 Ambition 7 (the number of
  children with a child protection plan is a 2016 KPI and a 2023 tracking measure) and
  Ambition 4 (adults at risk safeguarded from harm).
- Independence in later life: 2016 "Older people live well independently" -> 2023 Ambition 4
  (admissions to care homes are a 2016 KPI and a 2023 tracking measure).
- Safe travel: 2016 "People live in a safe environment" -> 2023 Ambition 2 (people killed or
  seriously injured on the roads tracked in both).
- Climate: 2010 SO5 -> 2023 Ambition 1 (carbon emissions of the county).
A test checks that every outcome named here exists in the seeded database.

`THEMES` (at the end) follows nine subjects through all four generations, one quoted step per
outcome, for briefings and "how has X changed since 2010?" timelines (`bot.briefing`).
"""
from __future__ import annotations

from dataclasses import dataclass

P2010 = "integrated-plan-2010"
F2016 = "strategic-framework-2016-21"
F2021 = "strategic-framework-2021-25"
F2023 = "strategic-framework-2023-28-draft"

# 2016-21 outcomes
OLDER = "Older people live well independently"
DISABILITIES = "People with disabilities live well independently"
CHILDREN = "Places that work with children help them to reach their full potential"
ECONOMY = "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"
HEALTHY = "People lead a healthy lifestyle and stay healthy for longer"
SAFE_PLACE = "People live in a safe environment"
AT_RISK = "People at risk of harm are kept safe"
# 2021-25 strategic priorities
COMMUNITIES = "Communities at the heart of everything we do"
QUALITY_OF_LIFE = "A good quality of life for everyone"
CHILDREN_2021 = "Helping our children learn, develop and live life to the full"
ENVIRONMENT_2021 = "Cambridgeshire: A well-connected, safe, clean, green environment"
CARING_2021 = "Protecting and caring for those who need us"


@dataclass(frozen=True)
class OutcomeLink:
    """Two outcomes, each named by (document id, code or title), and why they correspond."""

    first: tuple[str, str]
    second: tuple[str, str]
    evidence: str


LINKS: tuple[OutcomeLink, ...] = (
    # Children
    OutcomeLink((P2010, "SO1"), (F2016, CHILDREN),
                "SO1 promises 'We want children to be happy so we will help them to succeed, develop and to feel "
                "safe in their communities'; the 2016-21 outcome asks for 'every child in Cambridgeshire to achieve "
                "the best they can'."),
    OutcomeLink((P2010, "SO2"), (F2016, CHILDREN),
                "SO2: 'For children in our care, we will make sure that their lives are enjoyable and that they meet "
                "their potential'."),
    OutcomeLink((F2016, CHILDREN), (F2021, CHILDREN_2021),
                "Both are about children reaching their potential in good local schools and settings."),
    OutcomeLink((F2021, CHILDREN_2021), (F2023, "Ambition 7"),
                "The 2021-25 priority's best start in life and local schools continue as Ambition 7's early years "
                "support and access to education from early years to post 16."),
    OutcomeLink((F2016, CHILDREN), (F2023, "Ambition 7"),
                "2016-21 KPIs on attainment gaps at Early Years, KS2 and KS4; Ambition 7 tracks 'the educational "
                "attainments as key stages of learning'."),
    # Safeguarding
    OutcomeLink((F2016, AT_RISK), (F2023, "Ambition 7"),
                "'The number of children with a Child Protection Plan per 10,000 children' is a 2016-21 KPI; "
                "Ambition 7 tracks 'the number of children with a child protection plan'."),
    OutcomeLink((F2016, AT_RISK), (F2023, "Ambition 4"),
                "Ambition 4 commits to 'Ensuring adults at risk are safeguarded from harm'."),
    OutcomeLink((F2016, AT_RISK), (F2021, CARING_2021),
                "2016-21 KPI on looked after children; the 2021-25 priority promises the best care for 'The children "
                "in care we look after'."),
    OutcomeLink((F2016, AT_RISK), (F2021, CHILDREN_2021),
                "The 2021-25 priority promises support 'to keep them safe' for children vulnerable to risk or harm."),
    OutcomeLink((P2010, "SO2"), (F2016, AT_RISK),
                "SO2: 'It is our responsibility to protect people in our county from neglect or abuse'."),
    # Older people and people with disabilities
    OutcomeLink((F2016, OLDER), (F2023, "Ambition 4"),
                "'BCF 2A PART 2 - Admissions to residential and nursing care homes (aged 65+)' is a 2016-21 KPI; "
                "Ambition 4 tracks 'the number of permanent admissions to care homes'."),
    OutcomeLink((F2016, OLDER), (F2021, CARING_2021),
                "The 2021-25 priority promises care that helps people 'live at home and in their own community for "
                "as long as possible'."),
    OutcomeLink((P2010, "SO2"), (F2016, OLDER),
                "SO2 success measure: 'More adults and older people are supported to live independently in their "
                "own homes'."),
    OutcomeLink((F2016, DISABILITIES), (F2023, "Ambition 4"),
                "2016-21 KPI on self-directed support; Ambition 4 commits to 'expanding opportunities for use of "
                "direct payments, individual budgets, and personal assistants'."),
    OutcomeLink((F2016, DISABILITIES), (F2021, CARING_2021),
                "Both promise care built around people's own choices and independence."),
    OutcomeLink((P2010, "SO2"), (F2016, DISABILITIES),
                "SO2 success measure: 'More people directly manage the money they are allocated for social care'; "
                "2016-21 KPI on self-directed support."),
    OutcomeLink((F2021, CARING_2021), (F2023, "Ambition 4"),
                "Care 'as locally as possible' (2021-25) and care 'at a more local, neighbourhood level' (Ambition 4)."),
    OutcomeLink((F2021, CARING_2021), (F2023, "Ambition 7"),
                "Children in care prepared for adulthood (2021-25); young people who experience care supported "
                "'to move into adult life' (Ambition 7)."),
    # Health
    OutcomeLink((F2016, HEALTHY), (F2023, "Ambition 3"),
                "'stay healthy for longer' (2016-21); Ambition 3 tracks 'healthy life expectancy'."),
    OutcomeLink((F2016, HEALTHY), (F2021, QUALITY_OF_LIFE),
                "The 2021-25 priority promises opportunities 'to live a healthy life'."),
    OutcomeLink((P2010, "SO1"), (F2016, HEALTHY),
                "SO1 success measure 'More adults take part in regular physical activity'; 2016-21 KPIs on "
                "participation in sport and on cycling and walking."),
    OutcomeLink((F2021, QUALITY_OF_LIFE), (F2023, "Ambition 3"),
                "The 2021-25 priority will 'level up the differences' so people become healthier; Ambition 3: "
                "'Health inequalities are reduced'."),
    # Safe environment, travel and climate
    OutcomeLink((F2016, SAFE_PLACE), (F2023, "Ambition 2"),
                "'The number of people killed or seriously injured on the roads' is a 2016-21 KPI; Ambition 2 tracks "
                "'the numbers of killed or seriously injured casualties'."),
    OutcomeLink((F2016, SAFE_PLACE), (F2023, "Ambition 1"),
                "The 2016-21 outcome names 'physical risks such as flooding'; Ambition 1 supports 'Community Flood "
                "Groups to build resilience in areas at risk of flooding'."),
    OutcomeLink((F2016, SAFE_PLACE), (F2021, ENVIRONMENT_2021),
                "Both aim for communities that are safe places to live and travel."),
    OutcomeLink((P2010, "SO3"), (F2016, SAFE_PLACE),
                "SO3 success measure: 'Fewer people are killed or seriously injured on our roads'."),
    OutcomeLink((P2010, "SO3"), (F2023, "Ambition 2"),
                "SO3 will 'Encourage the use of public and sustainable transport'; Ambition 2: travel that is safer "
                "and more environmentally sustainable."),
    OutcomeLink((P2010, "SO5"), (F2023, "Ambition 1"),
                "SO5 success measure: 'a reduction in carbon dioxide emissions from Cambridgeshire'; Ambition 1 "
                "tracks 'our annual county-wide carbon footprint data'."),
    OutcomeLink((P2010, "SO5"), (F2021, ENVIRONMENT_2021),
                "Enhancing the natural environment (SO5); green and open spaces well cared for (2021-25)."),
    OutcomeLink((F2021, ENVIRONMENT_2021), (F2023, "Ambition 1"),
                "Green and open spaces for everyone (2021-25); 'giving more people access to green space' "
                "(Ambition 1)."),
    OutcomeLink((F2021, ENVIRONMENT_2021), (F2023, "Ambition 2"),
                "Getting around 'by road, by cycle, or on foot – safely' (2021-25); safer, sustainable travel and "
                "active travel (Ambition 2)."),
    # Economy, poverty and communities
    OutcomeLink((F2016, ECONOMY), (F2023, "Ambition 6"),
                "A prosperous economy 'to the benefit of all' (2016-21); 'a resilient and inclusive economy' "
                "(Ambition 6)."),
    OutcomeLink((F2016, ECONOMY), (F2023, "Ambition 5"),
                "2016-21 KPI on 'Out of work' benefits claimants' in the most deprived areas; Ambition 5 tracks "
                "'the number of universal credit claimants'."),
    OutcomeLink((F2016, ECONOMY), (F2021, QUALITY_OF_LIFE),
                "The 2021-25 priority promises opportunities 'to be economically strong and independent'."),
    OutcomeLink((F2016, ECONOMY), (F2021, ENVIRONMENT_2021),
                "2016-21 KPI on access to superfast broadband; the 2021-25 priority promises 'reliable, fast broadband "
                "and mobile connectivity'."),
    OutcomeLink((P2010, "SO4"), (F2016, ECONOMY),
                "SO4 success measure 'a reduction in the number of people on out-of-work benefits'; 2016-21 KPI on "
                "'Out of work' benefits claimants'."),
    OutcomeLink((P2010, "SO1"), (F2023, "Ambition 5"),
                "SO1 will help people 'weather the effects of the economic downturn' and reduce deprivation; "
                "Ambition 5: 'People are helped out of poverty and income inequality'."),
    OutcomeLink((F2021, QUALITY_OF_LIFE), (F2023, "Ambition 5"),
                "Opportunities 'to be economically strong and independent' (2021-25); help out of poverty "
                "(Ambition 5)."),
    OutcomeLink((F2021, COMMUNITIES), (F2023, "Ambition 6"),
                "Working alongside voluntary and faith sector partners (2021-25); 'better access to locally-based "
                "community groups to be able to work as our partners' (Ambition 6)."),
    OutcomeLink((P2010, "SO3"), (F2021, COMMUNITIES),
                "SO3 success measure 'People feel that they get on well with others in their community'."),
)


def links_of(doc_id: str, code: str | None, title: str) -> list[tuple[OutcomeLink, tuple[str, str]]]:
    """Every link touching the outcome (doc_id, code or title), with the outcome at the other end."""
    names = {(doc_id, title)} | ({(doc_id, code)} if code else set())
    found = []
    for link in LINKS:
        if link.first in names:
            found.append((link, link.second))
        elif link.second in names:
            found.append((link, link.first))
    return found


# -- Themes: the lineage of one subject across the four generations -----------------------------
#
# A theme follows one subject (children, older people, climate...) through the frameworks, one
# outcome per step, oldest first. Each step quotes the words of that framework which carry the
# subject, so an answer to "how has X changed since 2010?" can show the change in the council's
# own words. Steps are chosen among outcomes that the links above already connect: a test checks
# that each theme's outcomes form one connected group of LINKS, that every quote occurs in its
# (normalised) document, and that every outcome of every current framework is in some theme.
# Where a framework set no outcome for the subject (the 2016-21 framework has none on climate),
# the nearest outcome that names it is used and its quote says how (flooding).


@dataclass(frozen=True)
class ThemeStep:
    """One outcome of a theme, named by (document id, code or title), and the words quoted for it."""

    outcome: tuple[str, str]
    quote: str


@dataclass(frozen=True)
class Theme:
    """A subject followed across frameworks. `keywords` are the words a question uses for it."""

    key: str
    name: str
    keywords: tuple[str, ...]
    steps: tuple[ThemeStep, ...]


_SAFE_PLACE_QUOTE = ("We want the people of Cambridgeshire to live in places that are free from environmental harm "
                     "(such as noxious industries and physical risks such as flooding and road accidents)")

THEMES: tuple[Theme, ...] = (
    Theme("children", "children and young people",
          ("child", "children", "childrens", "young people", "youth", "school", "schools", "education", "pupils",
           "early years", "send", "attainment"),
          (ThemeStep((P2010, "SO1"), "We want children to be happy so we will help them to succeed, develop and to "
                                     "feel safe in their communities."),
           ThemeStep((P2010, "SO2"), "For children in our care, we will make sure that their lives are enjoyable and "
                                     "that they meet their potential."),
           ThemeStep((F2016, CHILDREN), "Our aspiration is for every child in Cambridgeshire to achieve the best they "
                                        "can."),
           ThemeStep((F2021, CHILDREN_2021), "Our children will have the best start in life, with a positive focus on "
                                             "their early years, kickstarting their abilities for future learning and "
                                             "they will learn in local schools that strive to be the best they can "
                                             "be."),
           ThemeStep((F2023, "Ambition 7"), "Children and young people have opportunities to thrive"))),
    Theme("older-people", "older people and independent living",
          ("older", "older people", "elderly", "ageing", "independence", "independent", "independently",
           "disability", "disabilities", "disabled", "social care", "adult social care", "care homes", "care home"),
          (ThemeStep((P2010, "SO2"), "We want vulnerable people of all ages to lead independent and enjoyable lives."),
           ThemeStep((F2016, OLDER), "Ensuring that older people can maintain their independence for as long as "
                                     "possible will result in a better quality of life for themselves, their families "
                                     "and their carers."),
           ThemeStep((F2016, DISABILITIES), "Our role is to support people to live with choice and control in their "
                                            "lives, to enjoy a strong sense of well-being and to be able to live "
                                            "independently."),
           ThemeStep((F2021, CARING_2021), "Our care will focus on the choices people want to make about their own "
                                           "lives, and will strive to help people to live at home and in their own "
                                           "community for as long as possible, where it is safe for them to do so."),
           ThemeStep((F2023, "Ambition 4"), "People enjoy healthy, safe, and independent lives through timely support "
                                            "that is most suited to their needs"))),
    Theme("economy", "the economy and skills",
          ("economy", "economic", "jobs", "job", "employment", "skills", "skill", "business", "businesses",
           "prosperity", "prosperous", "enterprise", "apprenticeships", "apprentices", "broadband"),
          (ThemeStep((P2010, "SO4"), "Our economy is a priority for us and we want to encourage economic growth here "
                                     "in Cambridgeshire, to help us do this we will support people to get the skills "
                                     "they need so that they can find and keep the jobs they want."),
           ThemeStep((F2016, ECONOMY), "We will work with our partners to ensure prosperity is strengthened across the "
                                       "county."),
           ThemeStep((F2021, QUALITY_OF_LIFE), "opportunities to be economically strong and independent"),
           ThemeStep((F2023, "Ambition 6"), "Places and communities prosper because they have a resilient and "
                                            "inclusive economy, access to good quality public services and social "
                                            "justice is prioritised"))),
    Theme("health", "health",
          ("health", "healthy", "healthier", "wellbeing", "well-being", "life expectancy", "obesity",
           "public health", "physical activity"),
          (ThemeStep((P2010, "SO1"), "We want to support people of all ages in Cambridgeshire to live active, healthy "
                                     "and fulfilled lives."),
           ThemeStep((F2016, HEALTHY), "A healthy lifestyle is fundamental to preventing ill health, achieving a strong "
                                       "sense of well-being, and reducing pressures on health and care services."),
           ThemeStep((F2021, QUALITY_OF_LIFE), "We will work hard to level up the differences that exist in some parts "
                                               "of our county, creating opportunity for people to become healthier, "
                                               "more prosperous and more independent."),
           ThemeStep((F2023, "Ambition 3"), "Health inequalities are reduced"))),
    Theme("climate", "climate change and the environment",
          ("climate", "climate change", "carbon", "net zero", "emissions", "environment", "environmental", "green",
           "nature", "biodiversity", "flooding", "flood", "floods", "waste", "recycling"),
          (ThemeStep((P2010, "SO5"), "We will carry out our duty to help people and businesses to live and work in "
                                     "environmentally friendly ways, supporting them to meet the challenges of a "
                                     "changing climate."),
           ThemeStep((F2016, SAFE_PLACE), _SAFE_PLACE_QUOTE),
           ThemeStep((F2021, ENVIRONMENT_2021), "Our green and open spaces will be well cared for, and available for "
                                                "everyone to enjoy, creating opportunities for sports, leisure, "
                                                "relaxation and learning."),
           ThemeStep((F2023, "Ambition 1"), "Net zero carbon emissions for Cambridgeshire by 2045, and our communities "
                                            "and natural environment are supported to adapt and thrive as the climate "
                                            "changes"))),
    Theme("transport", "transport and roads",
          ("transport", "travel", "roads", "road", "road safety", "bus", "buses", "cycling", "walking", "highways",
           "highway", "potholes", "congestion"),
          (ThemeStep((P2010, "SO3"), "We want to ensure that we maintain and develop transport in Cambridgeshire so "
                                     "that it is reliable and effective."),
           ThemeStep((F2016, SAFE_PLACE), _SAFE_PLACE_QUOTE),
           ThemeStep((F2021, ENVIRONMENT_2021), "We will provide choice for our residents so they can decide for "
                                                "themselves how best they want to get around our county – by road, by "
                                                "cycle, or on foot – safely and efficiently."),
           ThemeStep((F2023, "Ambition 2"), "Travel across the county is safer and more environmentally sustainable"))),
    Theme("communities", "communities",
          ("community", "communities", "neighbourhood", "neighbourhoods", "voluntary", "local groups",
           "anti-social behaviour"),
          (ThemeStep((P2010, "SO3"), "It is important to us that people are happy in their communities."),
           ThemeStep((F2016, SAFE_PLACE), "in communities where people look out for and protect each other"),
           ThemeStep((F2021, COMMUNITIES), "We will listen to and work alongside our residents, our colleagues across "
                                           "parish, town and district councils, our public sector partners, and our "
                                           "voluntary and faith sector partners."),
           ThemeStep((F2023, "Ambition 6"), "offering better access to locally-based community groups to be able to "
                                            "work as our partners"))),
    Theme("poverty", "poverty and inequality",
          ("poverty", "poor", "inequality", "inequalities", "deprivation", "deprived", "income", "low income",
           "level up", "levelling up", "cost of living", "benefits"),
          (ThemeStep((P2010, "SO1"), "Deprivation and inequality is an issue for many people in Cambridgeshire, we want "
                                     "to address deprivation and tackle inequalities wherever we can."),
           ThemeStep((F2016, ECONOMY), "not everyone across the county shares in this prosperity"),
           ThemeStep((F2021, QUALITY_OF_LIFE), "We will work hard to level up the differences that exist in some parts "
                                               "of our county, creating opportunity for people to become healthier, "
                                               "more prosperous and more independent."),
           ThemeStep((F2023, "Ambition 5"), "People are helped out of poverty and income inequality"))),
    Theme("safety", "keeping vulnerable people safe",
          ("safeguarding", "safeguarded", "vulnerable", "vulnerable people", "abuse", "neglect", "harm", "at risk",
           "protection", "child protection", "domestic abuse", "children in care", "looked after children"),
          (ThemeStep((P2010, "SO2"), "It is our responsibility to protect people in our county from neglect or abuse"),
           ThemeStep((F2016, AT_RISK), "Ensuring safety for the most vulnerable is a vital contribution to our society "
                                       "and to some extent a role that we are uniquely placed to deliver."),
           ThemeStep((F2021, CARING_2021), "The children in care we look after will receive the best care we can "
                                           "provide, in our role as their corporate parent"),
           ThemeStep((F2023, "Ambition 4"), "Ensuring adults at risk are safeguarded from harm in ways that meet their "
                                            "desired outcomes"),
           ThemeStep((F2023, "Ambition 7"), "Protecting children and young people from harm using safeguarding "
                                            "approaches"))),
)


def themes_of(doc_id: str, code: str | None, title: str) -> list[Theme]:
    """The themes that have the outcome (doc_id, code or title) as one of their steps."""
    names = {(doc_id, title)} | ({(doc_id, code)} if code else set())
    return [theme for theme in THEMES if any(step.outcome in names for step in theme.steps)]
