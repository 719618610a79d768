"""Rendering an Answer for a terminal: the answer, then its sources."""
from __future__ import annotations

from bot.answer import Answer


def render_text(answer: Answer) -> str:
    lines = [answer.text]
    if answer.figures:
        lines.append("")
        lines.append("Figures:")
        for figure in answer.figures:
            unit = f" {figure.unit}" if figure.unit else ""
            where = ", ".join(p for p in (figure.period, figure.area, figure.doc_id or figure.source) if p)
            lines.append(f"  {figure.value}{unit} — {figure.name}" + (f" ({where})" if where else ""))
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for number, citation in enumerate(answer.citations, start=1):
            section = f" › {citation.section}" if citation.section else ""
            lines.append(f"  [{number}] {citation.title}{section} ({citation.doc_id})")
    return "\n".join(lines)
