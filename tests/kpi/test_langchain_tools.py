"""The LangChain wrappers: names, schemas, text for the model, full results as artifacts,
and mistakes returned to the model as text."""
from __future__ import annotations

import pytest
from langchain_core.messages import ToolMessage

from kpi_tools.langchain_tools import build_kpi_tools
from kpi_tools.results import FigureResult, LatestValue


@pytest.fixture(scope="module")
def tools(seeded_engine):
    from kpi_tools.tools import KpiTools

    return {tool.name: tool for tool in build_kpi_tools(KpiTools(seeded_engine))}


def call(tool, **args) -> ToolMessage:
    return tool.invoke({"type": "tool_call", "id": "call-1", "name": tool.name, "args": args})


def test_tool_names_and_required_arguments(tools):
    assert list(tools) == ["find_measures", "get_measure", "list_outcomes", "find_commitments", "get_figures",
                           "latest_value", "trend", "related_outcomes"]
    assert tools["latest_value"].tool_call_schema.model_json_schema()["required"] == ["measure"]
    assert tools["find_commitments"].tool_call_schema.model_json_schema().get("required") is None
    assert all(tool.description for tool in tools.values())


def test_commitments_text_for_the_model(tools):
    message = call(tools["find_commitments"], topic="flooding")
    assert message.content == (
        "1 commitment:\n- \"Supporting Community Flood Groups to build resilience in areas at risk of flooding\" "
        "(strategic-framework-2023-28-draft, section 'Ambition 1'; serves Ambition 1: Net zero carbon emissions for "
        "Cambridgeshire by 2045, and our communities and natural environment are supported to adapt and thrive as the "
        "climate changes)")  # no "tracked by": Ambition 1's carbon and biodiversity measures are not about flooding
    assert message.status == "success"


def test_figures_carry_the_full_result_as_artifact(tools):
    message = call(tools["get_figures"], text="budget reduction")
    assert message.content == (
        "1 figure:\n- Reduction in the County Council's budget by 2020-21: £124 million (Cambridgeshire "
        "County Council, by 2020-21) — strategic-framework-2016-21, section 'Our Vision and Ambition': \"our budget "
        "will have reduced by £124 million\" Note: The draft edition (strategic-framework-2016-21-draft) printed "
        "£119 million.")
    assert isinstance(message.artifact[0], FigureResult)


def test_latest_value_artifact_and_text(tools):
    message = call(tools["latest_value"], measure="BROADBAND-TAKEUP")
    assert isinstance(message.artifact, LatestValue)
    assert message.content.startswith(
        "Take-up of superfast broadband in the intervention area: over 62% in Cambridgeshire intervention area for "
        "Apr 2019 (source: https://www.connectingcambridgeshire.co.uk/about/).")


def test_mistakes_come_back_as_text(tools):
    unknown = call(tools["get_measure"], measure="zebra crossings")
    assert unknown.content == "No measure has the code or name 'zebra crossings'."
    assert unknown.status == "error"
    invalid = call(tools["find_measures"], limit=1000)
    assert invalid.content.startswith("Invalid arguments: 1 validation error for FindMeasuresArgs\nlimit\n  "
                                      "Input should be less than or equal to 100")
