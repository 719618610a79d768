"""Recovering the structure of a PDF-converted document: headings, paragraphs, lists and tables.

Chunks must follow the documents' own sections so that a citation can name the section a
quote comes from. The five source documents use three conventions: markdown headings (the
2023 draft), numbered headings ("1: Our Vision and Ambition") and bare title lines; the parser
handles all three without per-document code.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from retrieval.text import clean_inline, is_bullet, strip_bullet, strip_heading_marks

_NUMBERED_HEADING = re.compile(r"^\d{1,2}\s*[:.]\s+\S")
_APPENDIX = re.compile(r"^(?:appendix|annex)\b", re.IGNORECASE)
_NUMBERED_LABEL = re.compile(r"^(ambition|strategic objective|objective|priority|outcome|section)\s+\d+\s*$", re.IGNORECASE)
_TERMINAL = (".", "!", "?", ":", ";", '"', "”", ")", "…")
_NOT_HEADING_START = ("source:", "©", "a handwritten", "cllr ", "dr ")
_SMALL_PARAGRAPH = 100


@dataclass(frozen=True)
class Block:
    """One structural unit of a document under its heading path.

    kind: "text" (a paragraph or merged infographic fragments), "list" (a lead-in line and its
    bullet items) or "table_row" (one table row, rendered as labelled sentences).
    """

    kind: str
    text: str
    heading_path: tuple[str, ...]
    items: tuple[str, ...] = field(default=())


def parse_document(raw: str) -> list[Block]:
    paragraphs = _paragraphs(raw)
    uses_markdown = sum(1 for p in paragraphs if p[0].lstrip().startswith("#")) >= 3
    line_counts = Counter(_normal(strip_bullet(line)) for p in paragraphs for line in p)
    blocks: list[Block] = []
    path: list[str] = []
    pending_text: list[str] = []
    table_header: list[str] | None = None

    def flush_text() -> None:
        if pending_text:
            blocks.append(Block("text", " · ".join(pending_text), tuple(path)))
            pending_text.clear()

    statements = _label_statements(paragraphs) if uses_markdown else {}
    contents: list[str] | None = None
    for lines in paragraphs:
        first = lines[0].strip()
        level = _heading_level(lines, uses_markdown, line_counts)
        if level and not uses_markdown and pending_text and pending_text[-1].endswith(":") \
                and len(pending_text[-1]) < 40:
            # "Strategic Objective 1:" then its title on the next line: a label, not a heading.
            pending_text[-1] = f"{pending_text[-1]} {strip_heading_marks(first)}"
            continue
        if contents is not None:
            entry = _normal(first)
            if level and len(lines) == 1 and not any(seen in entry for seen in contents if seen):
                contents.append(entry)
                blocks[-1] = Block("list", f"{blocks[-1].text}\n- {strip_heading_marks(first)}", blocks[-1].heading_path,
                                   blocks[-1].items + (strip_heading_marks(first),))
                continue
            contents = None
        if _normal(first) == "contents" and len(lines) == 1 and not uses_markdown:
            flush_text()
            blocks.append(Block("list", "Contents:", tuple(path)))
            contents = []
            continue
        if level:
            flush_text()
            title = strip_heading_marks(first)
            if level == 1 and path and _APPENDIX.match(path[0]) and not _APPENDIX.match(title) \
                    and not _NUMBERED_HEADING.match(title) and not uses_markdown:
                # "People live in a safe environment" under "Appendix: … Outcomes" is a part of the
                # appendix, though the same words head a section elsewhere.
                level = 2
            label = statements.get(_normal(title))
            if label and (not path or path[0] != label):
                # A section printed without its "Ambition 7" heading: its statement names it.
                flush_text()
                path[:] = [label, title]
                table_header = None
                continue
            if title:
                del path[level - 1 :]
                path.extend([""] * (level - 1 - len(path)))
                path.append(title)
                path[:] = [p for p in path if p]
            table_header = None
            continue
        if any("\t" in line for line in lines):
            flush_text()
            table_header = _table_rows(lines, table_header, tuple(path), blocks)
            continue
        if any(is_bullet(line) for line in lines):
            flush_text()
            _add_list(lines, tuple(path), blocks)
            continue
        text = clean_inline(" ".join(line.strip() for line in lines))
        if not text:
            continue
        if text.lower().startswith("source:"):
            # An infographic's source line closes the figure it belongs to.
            pending_text.append(text)
            flush_text()
        elif pending_text and _continues(pending_text[-1], text):
            pending_text[-1] = f"{pending_text[-1]} {text}"
        elif pending_text and len(" ".join(pending_text)) < _SMALL_PARAGRAPH:
            pending_text.append(text)
        else:
            flush_text()
            pending_text.append(text)
    flush_text()
    return [b for b in blocks if b.text.strip()]


def _label_statements(paragraphs: list[list[str]]) -> dict[str, str]:
    """Map the statement printed under each "Ambition N" heading to that label, so a later section
    headed only by the statement can be filed under its label."""
    found: dict[str, str] = {}
    for heading, following in zip(paragraphs, paragraphs[1:]):
        label = strip_heading_marks(heading[0])
        if len(heading) == 1 and heading[0].lstrip().startswith("#") and _NUMBERED_LABEL.match(label):
            statement = strip_heading_marks(" ".join(following)).rstrip(":").strip()
            if statement and not following[0].lstrip().startswith("#"):
                found.setdefault(_normal(statement), label.title())
    return found


def _paragraphs(raw: str) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in raw.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip(" \r"))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _normal(line: str) -> str:
    return re.sub(r"\W+", " ", strip_heading_marks(line).lower()).strip()


def _heading_level(lines: list[str], uses_markdown: bool, line_counts: Counter) -> int:
    first = lines[0].strip()
    if uses_markdown:
        match = re.match(r"^(#{1,6})\s", first)
        if not match or len(lines) != 1:
            return 0
        # "Ambition 4" is printed at a smaller heading size than "Ambition 3", but is its sibling.
        if _NUMBERED_LABEL.match(strip_heading_marks(first)):
            return 1
        return min(len(match.group(1)), 3)
    if len(lines) != 1 or "\t" in first or is_bullet(first):
        return 0
    title = strip_heading_marks(first)
    words = title.split()
    if not (3 <= len(title) <= 110 and 1 <= len(words) <= 16):
        return 0
    if not (title[0].isupper() or title[0].isdigit()) or title.lower().startswith(_NOT_HEADING_START):
        return 0
    if first.startswith(("*", '"', "“", "'", "(", "¹")) or title.endswith((".", ",", ";", ":")):
        return 0
    if _NUMBERED_HEADING.match(title) or _APPENDIX.match(title):
        return 1
    if title.endswith("?"):
        return 2
    if line_counts[_normal(first)] >= 2 and len(words) >= 3:
        return 1
    return 2


def _continues(previous: str, text: str) -> bool:
    """A paragraph broken by a page boundary: the first half lacks an ending, the second starts lower-case."""
    return not previous.endswith(_TERMINAL) and text[:1].islower()


def _add_list(lines: list[str], path: tuple[str, ...], blocks: list[Block]) -> None:
    lead: list[str] = []
    items: list[str] = []
    for line in lines:
        if is_bullet(line):
            items.append(clean_inline(strip_bullet(line)))
        elif items:
            items[-1] = f"{items[-1]} {clean_inline(line)}".strip()
        else:
            lead.append(clean_inline(line))
    # A list that follows a lead-in paragraph ("These are our enablers:") belongs with it.
    if not lead and blocks and blocks[-1].kind == "text" and blocks[-1].heading_path == path \
            and blocks[-1].text.endswith(":"):
        lead = [blocks.pop().text]
    elif not lead and blocks and blocks[-1].kind == "list" and blocks[-1].heading_path == path:
        previous = blocks.pop()
        lead = [previous.text.split("\n")[0]] if not previous.text.startswith("- ") else []
        items = list(previous.items) + items
    items = [item for item in items if item]
    text = "\n".join(lead + [f"- {item}" for item in items])
    blocks.append(Block("list", text, path, tuple(items)))


def _split_cell(cell: str) -> str:
    cell = re.sub(r"<li[^>]*>|</p>\s*<p>", " • ", cell)
    cell = cell.replace("✓", "yes")
    if re.search(r"<input[^>]*checkbox", cell):
        cell = "no"
    return clean_inline(cell).strip(" •")


def _table_rows(lines, header, path, blocks) -> list[str] | None:
    for line in lines:
        cells = [_split_cell(c) for c in line.split("\t")]
        if header is None or cells[:2] == header[:2]:
            if all(c and not c[0].isdigit() for c in cells[:2]) and len(cells) >= 2 and (
                header is None or cells[:2] == header[:2]
            ) and _looks_like_header(line):
                header = cells
                continue
        previous = blocks[-1] if blocks and blocks[-1].kind == "table_row" else None
        filled = [i for i, c in enumerate(cells) if c.strip("-| ")]
        # A row cut by a page break continues with only its first cell (or only later cells) filled.
        if previous and filled and (filled == [0] and len(cells) > 1 or filled[0] > 0):
            merged = list(previous.items)
            for i, cell in enumerate(cells):
                if cell and i < len(merged):
                    merged[i] = f"{merged[i]} {cell}".strip()
            blocks[-1] = _row_block(merged, header, previous.heading_path)
            continue
        if filled:
            blocks.append(_row_block(cells, header, path))
    return header


def _looks_like_header(line: str) -> bool:
    return "<" not in line and "✓" not in line and len(line) < 260 and not any(ch.isdigit() for ch in line.split("\t")[0][:3])


def _row_block(cells: list[str], header: list[str] | None, path: tuple[str, ...]) -> Block:
    labels = header or []
    parts = []
    for i, cell in enumerate(cells):
        label = re.sub(r"\s*\(.*?\)|\?$", "", labels[i]).strip() if i < len(labels) else ""
        if label.lower().startswith("deprivation"):
            cell = cell or "no"
        if cell:
            parts.append(f"{label}: {cell}" if label else cell)
    return Block("table_row", ". ".join(parts) + ".", path, tuple(cells))
