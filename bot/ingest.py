"""Adding a council's own document to the corpus (`council-assistant ingest PATH`).

Added documents live under the data directory (`ingested/`), never in the shipped corpus, with
a manifest entry of the same shape. The file is copied and the manifest rewritten atomically,
so a failed ingest leaves both as they were.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import Settings
from retrieval.corpus import DocumentInfo, load_manifest
from retrieval.files import write_atomically

SUPPORTED = (".txt", ".md")
MAX_BYTES = 20 * 1024 * 1024


class IngestError(ValueError):
    """The file cannot be added; the message says why."""


def ingest_document(settings: Settings, path: Path, doc_id: str | None = None, title: str | None = None,
                    status: str = "adopted", period: str | None = None, supersedes: str | None = None,
                    known_ids: set[str] = frozenset()) -> DocumentInfo:
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
    doc_id = doc_id or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,80}", doc_id or ""):
        raise IngestError(f"{doc_id!r} is not a usable id: use lower-case letters, digits and hyphens.")
    start, end = _period(period, text)
    if supersedes and supersedes not in known_ids:
        raise IngestError(f"--supersedes {supersedes}: no document has that id.")
    folder = settings.data_dir / "ingested"
    manifest_path = folder / "manifest.yaml"
    manifest = yaml.safe_load(manifest_path.read_text()) if manifest_path.is_file() else {"documents": []}
    entries = [e for e in manifest.get("documents", []) if e.get("id") != doc_id]
    if doc_id in known_ids and len(entries) == len(manifest.get("documents", [])):
        raise IngestError(f"A document with id {doc_id} already exists in the shipped corpus; choose another --id.")
    entries.append({
        "id": doc_id, "title": title or _first_line(text) or doc_id, "status": status,
        "period_start": start, "period_end": end, "supersedes": supersedes, "file": f"{doc_id}{path.suffix.lower()}",
    })
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    target = folder / "documents" / f"{doc_id}{path.suffix.lower()}"
    write_atomically(target, text.encode("utf-8"))
    write_atomically(manifest_path, yaml.safe_dump({"documents": entries}, sort_keys=False, allow_unicode=True).encode())
    return next(d for d in load_manifest(folder) if d.id == doc_id)


def _period(period: str | None, text: str) -> tuple[int, int]:
    if period:
        match = re.fullmatch(r"\s*((?:19|20)\d\d)\s*(?:-|–|to)?\s*((?:19|20)?\d\d)?\s*", period)
        if not match:
            raise IngestError(f"--period {period!r}: write it as 2024-2029 or 2024.")
        start = int(match.group(1))
        end = match.group(2)
        end_year = start if not end else int(end) if len(end) == 4 else int(str(start)[:2] + end)
        if end_year < start:
            raise IngestError(f"--period {period!r} ends before it starts.")
        return start, end_year
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text[:2000])]
    if not years:
        raise IngestError("Could not tell which years the document covers; pass --period, e.g. --period 2024-2029.")
    return min(years), max(years)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        cleaned = line.strip().lstrip("#").strip()
        if cleaned:
            return cleaned[:200]
    return ""
