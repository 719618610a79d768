"""Adding a council's own document to the corpus (`council-assistant ingest PATH`).

Added documents live under the data directory (`ingested/`), never in the shipped corpus, with
a manifest entry of the same shape. Every one has status `added`, who added it (`added_by`) and
when (`added_at`, ISO 8601 UTC): the index carries these into every chunk, so an answer can say
that a passage comes from an added document, never one of the council's own. Its period and
title are given, never guessed from its text (a guessed 2021-2029 let one displace the official
2021-25 framework). It may supersede only another added document.

The file is copied and the manifest rewritten atomically, so a failed ingest leaves both as they
were. Text is kept as written, except that lines longer than `MAX_LINE_CHARS` are broken at a
sentence end or a space (`split_long_lines`, linear time), so a 3 MB single line becomes
passages that search and quoting can use.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import yaml

from retrieval.yaml_files import read_yaml

from bot.settings import Settings
from retrieval.corpus import ADDED, DocumentInfo, load_manifest
from retrieval.files import write_atomically

SUPPORTED = (".txt", ".md")
MAX_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 2000
MAX_TITLE_CHARS = 200
_BREAK = re.compile(r"(?<=[.!?;:])\s+|\s+")


class IngestError(ValueError):
    """The file cannot be added; the message says why."""


def read_document(path: Path) -> str:
    """The file's text; IngestError (one sentence) for a file that cannot be added."""
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(f"{path.name}: only {', '.join(SUPPORTED)} files can be added (convert PDF or DOCX to text first).")
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise IngestError(f"{path.name} is {len(data) // 1_000_000} MB; the limit is {MAX_BYTES // 1_000_000} MB.")
    if b"\x00" in data:
        raise IngestError(f"{path.name} is not a text file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(f"{path.name} is not UTF-8 text; save it as UTF-8 and try again.") from None
    if not text.strip():
        raise IngestError(f"{path.name} is empty.")
    return text


def ingest_document(settings: Settings, path: Path, doc_id: str | None = None, title: str | None = None,
                    period: str | None = None, supersedes: str | None = None, added_by: str | None = None,
                    known_ids: set[str] = frozenset(), now: datetime | None = None) -> DocumentInfo:
    """Copy `path` into the ingested corpus as an added document; returns its manifest entry.
    `period` is required; `title` defaults to the first line (the CLI requires it)."""
    path = Path(path)
    text = split_long_lines(read_document(path))
    doc_id = doc_id or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,80}", doc_id or ""):
        raise IngestError(f"{doc_id!r} is not a usable id: use lower-case letters, digits and hyphens.")
    start, end = _period(period)
    title = " ".join((title or _first_line(text) or doc_id).split())
    if len(title) > MAX_TITLE_CHARS:
        raise IngestError(f"The title is {len(title):,} characters long; keep it under {MAX_TITLE_CHARS}.")
    folder = settings.data_dir / "ingested"
    manifest_path = folder / "manifest.yaml"
    manifest = read_yaml(manifest_path) if manifest_path.is_file() else {"documents": []}
    previous = manifest.get("documents") or []
    added_ids = {str(e.get("id")) for e in previous}
    if supersedes and supersedes not in added_ids:
        if supersedes in known_ids:
            raise IngestError(f"--supersedes {supersedes}: an added document cannot replace one of the council's "
                              "own documents.")
        raise IngestError(f"--supersedes {supersedes}: no added document has that id.")
    entries = [e for e in previous if e.get("id") != doc_id]
    if doc_id in known_ids and doc_id not in added_ids:
        raise IngestError(f"A document with id {doc_id} already exists in the shipped corpus; choose another --id.")
    added_at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    entries.append({
        "id": doc_id, "title": title, "status": ADDED, "period_start": start, "period_end": end,
        "supersedes": supersedes, "file": f"{doc_id}{path.suffix.lower()}",
        "added_by": (added_by or "unknown")[:64], "added_at": added_at.isoformat(),
    })
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    target = folder / "documents" / f"{doc_id}{path.suffix.lower()}"
    write_atomically(target, text.encode("utf-8"))
    write_atomically(manifest_path, yaml.safe_dump({"documents": entries}, sort_keys=False, allow_unicode=True).encode())
    return next(d for d in load_manifest(folder) if d.id == doc_id)


def split_long_lines(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """Break every line longer than `limit` at the last sentence end (else space) before the limit,
    or at the limit itself when there is neither. Each character is looked at a bounded number of
    times, so the cost is linear in the length of the text."""
    if all(len(line) <= limit for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        while len(line) - start > limit:
            cut = _cut_point(line, start, limit)
            out.append(line[start:cut].rstrip())
            start = cut
            while start < len(line) and line[start] == " ":
                start += 1
        out.append(line[start:])
    return "\n".join(out)


def _cut_point(line: str, start: int, limit: int) -> int:
    """Where to break `line[start:]`: after the last sentence end, else at the last space, in the
    second half of the next `limit` characters; else at the limit."""
    end = start + limit
    half = start + limit // 2
    for ending in (". ", "! ", "? ", "; "):
        position = line.rfind(ending, half, end)
        if position >= 0:
            return position + 1
    position = line.rfind(" ", half, end)
    return position if position >= 0 else end


def _period(period: str | None) -> tuple[int, int]:
    if not period or not period.strip():
        raise IngestError("Say which years the document covers with --period, e.g. --period 2024-2029; "
                          "an added document's period is never guessed from its text.")
    match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*(?:(?:-|–|/|to)\s*((?:19|20)?\d\d))?\s*", period)
    if not match:
        raise IngestError(f"--period {period!r}: write it as 2024-2029 or 2024.")
    start = int(match.group(1))
    end = match.group(2)
    end_year = start if not end else int(end) if len(end) == 4 else int(str(start)[:2] + end)
    if end_year < start:
        raise IngestError(f"--period {period!r} ends before it starts.")
    return start, end_year


def _first_line(text: str) -> str:
    for line in text.splitlines():
        cleaned = line.strip().lstrip("#").strip()
        if cleaned:
            return cleaned[:MAX_TITLE_CHARS]
    return ""
