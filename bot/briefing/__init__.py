"""Committee briefings, the commitments look-up, and the lineage of themes across the 2010,
2016, 2021 and 2023 frameworks (issues 8 and 14).

Layers: `service.Briefings` reads through `kpi_tools.tools.KpiTools` only. A briefing on a named
outcome is built by `build`; on a topic, from what the records say about it (`evidence`, then
`topic`); either way its headline block fits one screen (`headline`) and the rest is its detail.
`commitments` groups a topic's commitments, current first. `lineage`, `resolve` and `related`
assemble timelines and earlier measures; `render_text`, `answers` and `charts` turn the plain
values of `model` into text, `Answer`s and PNGs. Nothing here imports Slack: the adapter renders
with `bot.slack.briefing_render` and `bot.slack.commitments_render`.
"""
from bot.briefing.commitments import CommitmentsLookup, parse_commitments_request
from bot.briefing.errors import UnknownTopic
from bot.briefing.model import Briefing, BriefingItem, BriefingSection, ChartSeries, Timeline, TimelineStep
from bot.briefing.service import Briefings

__all__ = ["Briefing", "BriefingItem", "BriefingSection", "Briefings", "ChartSeries", "CommitmentsLookup", "Timeline",
           "TimelineStep", "UnknownTopic", "parse_commitments_request"]
