"""The corpus manifest: which documents exist, what they are and which one supersedes which.

Every other stage names documents by the manifest's `id`, so this is the one place that maps
an id to its title, status and period.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from retrieval.yaml_files import read_yaml

STATUSES = ("draft", "adopted", "later-edition", "added")
ADDED = "added"  # a document added with `council-assistant ingest`: not an official council document


class CorpusError(ValueError):
    """The corpus directory or its manifest is missing or malformed."""


@dataclass(frozen=True)
class DocumentInfo:
    id: str
    title: str
    status: str
    period_start: int
    period_end: int
    supersedes: str | None
    path: Path
    signed_by: str | None = None
    # (name, role, what they sign) as the manifest lists them: who signs the document, as printed
    signatories: tuple[tuple[str, str, str], ...] = ()
    # An added document (status "added"): who added it and when (ISO 8601, UTC); None otherwise.
    added_by: str | None = None
    added_at: str | None = None

    @property
    def is_added(self) -> bool:
        """Added with `council-assistant ingest`, not one of the council's own documents."""
        return self.status == ADDED

    @property
    def period(self) -> str:
        return f"{self.period_start}-{self.period_end}"

    def covers(self, year: int) -> bool:
        return self.period_start <= year <= self.period_end

    def read_text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def content_hash(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def load_manifest(corpus_dir: Path) -> list[DocumentInfo]:
    """Read `manifest.yaml` and check every entry points at an existing document."""
    manifest_path = Path(corpus_dir) / "manifest.yaml"
    if not manifest_path.is_file():
        raise CorpusError(f"No corpus manifest at {manifest_path}")
    try:
        raw = read_yaml(manifest_path) or {}
    except yaml.YAMLError as exc:
        raise CorpusError(f"{manifest_path} is not valid YAML: {exc}") from exc
    documents = []
    seen: set[str] = set()
    for position, entry in enumerate(raw.get("documents") or [], start=1):
        try:
            doc_id = str(entry["id"])
            status = str(entry["status"])
            info = DocumentInfo(
                id=doc_id,
                title=str(entry["title"]),
                status=status,
                period_start=int(entry["period_start"]),
                period_end=int(entry["period_end"]),
                supersedes=entry.get("supersedes") or None,
                path=_document_path(Path(corpus_dir), doc_id, entry.get("file")),
                signed_by=entry.get("signed_by") or None,
                signatories=tuple((str(p["name"]), str(p.get("role") or ""), str(p.get("signs") or ""))
                                  for p in entry.get("signatories") or ()),
                added_by=_text_or_none(entry.get("added_by")),
                added_at=_text_or_none(entry.get("added_at")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorpusError(f"{manifest_path}: entry {position} is incomplete ({exc})") from exc
        if status not in STATUSES:
            raise CorpusError(f"{manifest_path}: {doc_id} has status {status!r}; use one of {STATUSES}")
        if doc_id in seen:
            raise CorpusError(f"{manifest_path}: id {doc_id} appears twice")
        if not info.path.is_file():
            raise CorpusError(f"{manifest_path}: {doc_id} has no file at {info.path}")
        seen.add(doc_id)
        documents.append(info)
    if not documents:
        raise CorpusError(f"{manifest_path} lists no documents")
    return documents


def _text_or_none(value) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _document_path(corpus_dir: Path, doc_id: str, file_name: str | None) -> Path:
    return corpus_dir / "documents" / (file_name or f"{doc_id}.txt")


def documents_by_id(documents: list[DocumentInfo]) -> dict[str, DocumentInfo]:
    return {doc.id: doc for doc in documents}
