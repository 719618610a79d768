"""The tools the model may call: document search over the offline engine's index, and the
read-only KPI tools (`kpi_tools.langchain_tools`).

Search returns the passages as the artifact and a rendering for the model as content; within a
turn, `SourceLedger` relabels the passages so that labels are unique across calls. A failure
(the index or the vector store unavailable) goes back to the model as text.
"""
from __future__ import annotations

import logging
from typing import Callable

from langchain_core.tools import BaseTool, StructuredTool, ToolException
from pydantic import BaseModel, Field

from bot.engine import Passage
from bot.llm.sources import SEARCH_TOOL, render_passages

log = logging.getLogger(__name__)


class SearchArgs(BaseModel):
    query: str = Field(min_length=2, max_length=300,
                       description="What to look for, in the document's words, e.g. 'flooding' or "
                                   "'budget reduction by 2020-21'. Name a framework year to search only it.")
    limit: int = Field(default=5, ge=1, le=8, description="How many passages to return.")


SEARCH_DESCRIPTION = (
    "Search the council's strategy documents (the Integrated Plan 2010, the strategic frameworks for "
    "2016-21, 2021-25 and 2023-28, and any documents added since). Returns labelled passages quoted word "
    "for word, with document, "
    "section, status (draft, adopted, later-edition) and period. Later editions are preferred; say "
    "'draft' to include superseded drafts."
)


def build_search_tool(passages: Callable[[str, int], list[Passage]]) -> StructuredTool:
    """`passages(query, limit)` is `OfflineEngine.passages`, injected so tests can pass a stub."""

    def search_documents(query: str, limit: int = 5):
        try:
            found = passages(query, limit)
        except Exception as exc:  # the index or vector store is unavailable: tell the model, not the user
            log.warning("Document search failed: %s: %s", type(exc).__name__, exc)
            raise ToolException("Document search is unavailable at the moment; use the KPI tools or "
                                "answer that you could not search the documents.") from exc
        return render_passages(found), found

    return StructuredTool.from_function(
        func=search_documents, name=SEARCH_TOOL, description=SEARCH_DESCRIPTION, args_schema=SearchArgs,
        response_format="content_and_artifact", handle_tool_error=True,
        handle_validation_error=lambda error: f"Invalid arguments: {error}",
    )


def assemble_tools(offline_engine, kpi_tools=None) -> list[BaseTool]:
    """Search first, then one tool per KPI query when a `KpiTools` is given."""
    tools: list[BaseTool] = [build_search_tool(offline_engine.passages)]
    if kpi_tools is not None:
        from kpi_tools.langchain_tools import build_kpi_tools

        tools.extend(build_kpi_tools(kpi_tools))
    return tools
