"""The KPI tools as LangChain `StructuredTool`s for the LLM answer mode.

Each tool has a pydantic argument schema and a description written for the model. It returns
a short text summary for the model and the full frozen result as the artifact
(`response_format="content_and_artifact"`), so the answer engine can render exact figures and
citations from the artifact rather than from the model's paraphrase. A caller's mistake
(unknown measure, bad argument) comes back to the model as text via `ToolException`, so the
model can correct itself instead of the run failing.

Only the LLM mode imports this module; the offline engine calls `KpiTools` directly.
"""
from __future__ import annotations

from typing import Callable

from langchain_core.tools import StructuredTool, ToolException
from pydantic import BaseModel, Field

from kpi_tools import summaries
from kpi_tools.errors import KpiToolError
from kpi_tools.tools import KpiTools

FRAMEWORK = "Document id or year, e.g. 'strategic-framework-2016-21', '2023' or '2010'."
OUTCOME = "Outcome or ambition title or code, e.g. 'Ambition 2' or 'SO1'."
MEASURE = "Measure id, code (e.g. 'NEET-16-17', 'BCF 2A PART 2') or printed name."


class FindMeasuresArgs(BaseModel):
    text: str | None = Field(None, max_length=300, description="Words of the name or code, e.g. 'care homes'.")
    framework: str | None = Field(None, max_length=100, description=FRAMEWORK)
    outcome: str | None = Field(None, max_length=300, description=OUTCOME)
    committee: str | None = Field(None, max_length=100, description="Lead committee, e.g. 'Adults'.")
    directorate: str | None = Field(None, max_length=100, description="Directorate: 'CFA', 'ETE', 'Public Health'.")
    deprivation: bool | None = Field(None, description="True: deprivation indicators only.")
    limit: int = Field(20, ge=1, le=100)


class MeasureArgs(BaseModel):
    measure: str = Field(max_length=300, description=MEASURE)


class ValueArgs(MeasureArgs):
    area: str | None = Field(None, max_length=200, description="Area, e.g. 'Cambridgeshire'; default: main area.")


class FrameworkArgs(BaseModel):
    framework: str = Field(max_length=100, description=FRAMEWORK)


class CommitmentArgs(BaseModel):
    topic: str | None = Field(None, max_length=300, description="Subject in the caller's words, e.g. 'flooding'.")
    framework: str | None = Field(None, max_length=100, description=FRAMEWORK)
    outcome: str | None = Field(None, max_length=300, description=OUTCOME)
    limit: int = Field(10, ge=1, le=100)


class FigureArgs(BaseModel):
    text: str | None = Field(None, max_length=300, description="What the figure is about, e.g. 'carbon footprint'.")
    measure: str | None = Field(None, max_length=300, description=MEASURE)
    period: str | None = Field(None, max_length=60, description="Period as printed, e.g. '2021/22'.")
    area: str | None = Field(None, max_length=200, description="Area, e.g. 'Fenland'.")
    framework: str | None = Field(None, max_length=100, description=FRAMEWORK)
    include_superseded: bool = Field(False, description="Also return figures of superseded drafts.")
    limit: int = Field(20, ge=1, le=100)


class RelatedArgs(BaseModel):
    outcome_or_measure: str = Field(max_length=300, description="An outcome title or code, or a measure.")


def build_kpi_tools(kpi: KpiTools) -> list[StructuredTool]:
    """One StructuredTool per read-only KPI tool, bound to `kpi`."""
    return [
        _tool("find_measures", FindMeasuresArgs,
              "Find performance measures (KPIs, tracking measures, published statistics) by words or filters. "
              "Returns ids to pass to the other tools.",
              lambda **a: kpi.find_measures(a.pop("text", None), **a), summaries.measures_text),
        _tool("get_measure", MeasureArgs,
              "Everything about one measure: what it measures, who leads it, its outcomes, related measures "
              "and where the draft and later editions differ.",
              lambda measure: kpi.get_measure(measure), summaries.measure_text),
        _tool("list_outcomes", FrameworkArgs,
              "The outcomes, ambitions, strategic objectives or priorities of one framework, with their measures.",
              lambda framework: kpi.list_outcomes(framework), summaries.outcomes_text),
        _tool("find_commitments", CommitmentArgs,
              "What the council has promised on a topic, word for word, with document and section. "
              "Quote the returned text exactly.",
              lambda **a: kpi.find_commitments(a.pop("topic", None), **a), summaries.commitments_text),
        _tool("get_figures", FigureArgs,
              "Headline figures printed in the strategy documents (carbon footprints, life expectancy, budget "
              "reduction...). Quote value and unit exactly as returned and cite the document.",
              lambda **a: kpi.get_figures(a.pop("text", None), **a), summaries.figures_text),
        _tool("latest_value", ValueArgs,
              "The newest imported value of a measure with its period, area and source. Says when the values "
              "belong to a related published measure rather than the framework KPI itself.",
              lambda measure, area=None: kpi.latest_value(measure, area=area), summaries.latest_text),
        _tool("trend", ValueArgs,
              "All imported values of a measure for one area, oldest first, and whether it is rising or falling.",
              lambda measure, area=None: kpi.trend(measure, area=area), summaries.trend_text),
        _tool("related_outcomes", RelatedArgs,
              "The matching outcome or ambition in the other frameworks (2010, 2016-21, 2021-25, 2023-28), "
              "with the evidence for each link.",
              lambda outcome_or_measure: kpi.related_outcomes(outcome_or_measure), summaries.related_text),
    ]


def _tool(name: str, schema: type[BaseModel], description: str, call: Callable,
          render: Callable[..., str]) -> StructuredTool:
    def run(**arguments):
        try:
            result = call(**arguments)
        except KpiToolError as exc:
            raise ToolException(str(exc)) from exc
        return render(result), result

    return StructuredTool.from_function(
        func=run, name=name, description=description, args_schema=schema,
        response_format="content_and_artifact", handle_tool_error=True,
        handle_validation_error=_validation_message,
    )


def _validation_message(error: Exception) -> str:
    """Tell the model which argument was wrong, in a form it can act on."""
    return f"Invalid arguments: {error}"
