"""Committee briefings on one ambition or outcome, and the lineage of themes across the 2010,
2016, 2021 and 2023 frameworks (issue 8).

Layers: `service.Briefings` reads through `kpi_tools.tools.KpiTools` only; `build`, `lineage`,
`resolve` and `related` assemble plain values (`model`); `render_text`, `answers` and `charts`
turn them into text, `Answer`s and PNGs. Nothing here imports Slack: the adapter renders a
briefing with `bot.slack.briefing_render`.
"""
from bot.briefing.errors import UnknownTopic
from bot.briefing.model import Briefing, BriefingItem, BriefingSection, ChartSeries, Timeline, TimelineStep
from bot.briefing.service import Briefings

__all__ = ["Briefing", "BriefingItem", "BriefingSection", "Briefings", "ChartSeries", "Timeline", "TimelineStep",
           "UnknownTopic"]
