"""Building and loading the search index under the data directory.

Re-indexing is incremental by content hash: every chunk and unit text is embedded once and
cached by its hash, so changing one document re-embeds only the text that changed, and the
Chroma collection receives only the difference. Files are written to a temporary name and
renamed, so an interrupted build never leaves a half-written index behind.

Vectors are stored as whole matrices, not one array per text, so loading 50,000 chunks takes
a fraction of a second: the embedding cache is one `.npz` with a `keys` and a `vectors` array,
and the unit (sentence) vectors that quoting needs are one `.npy` matrix in chunk order,
memory-mapped when loaded, so each chunk's entry is a view into it and pages are shared with
the operating system's file cache.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from retrieval.chunk import Chunk, chunk_document, mark_editions
from retrieval.corpus import DocumentInfo
from retrieval.embed import MODEL_NAME, Embedder
from retrieval.files import replaced_atomically, write_atomically

INDEX_VERSION = 2  # 2: vectors stored as matrices (unit-vectors.npy; cache with keys + vectors)
# Bumped when parsing or chunking changes what the same documents become (sections, units): an index
# built before is rebuilt on start, reusing every vector whose text is unchanged.
CHUNKING_VERSION = 2  # 2: headings under an appendix are its parts


class IndexMissing(RuntimeError):
    """No usable index: it was never built, or its files are damaged."""


def set_aside(path: Path) -> Path:
    """Rename a damaged file or folder to `<name>.damaged-<time>` beside it (kept for inspection,
    out of the way of the rebuild); returns the new path."""
    path = Path(path)
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{counter}")
        counter += 1
    path.rename(target)
    return target


@dataclass(frozen=True)
class IndexReport:
    documents: int
    chunks: int
    embedded: int
    reused: int
    removed: int
    seconds: float


@dataclass
class LoadedIndex:
    """The chunk records and unit vectors that search and quoting need in memory."""

    chunks: list[Chunk]
    unit_vectors: dict[str, np.ndarray]  # chunk id -> (units, 384), read-only views of one matrix
    state: dict


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class IndexFiles:
    """Where the index keeps its files (all under one folder of the data directory)."""

    def __init__(self, index_dir: Path):
        self.dir = Path(index_dir)
        self.chunks = self.dir / "chunks.jsonl"
        self.cache = self.dir / "embedding-cache.npz"
        self.unit_vectors = self.dir / "unit-vectors.npy"
        self.state = self.dir / "state.json"
        self.onnx_model = self.dir / "model.onnx"
        self.chroma = self.dir / "chroma"

    def exists(self) -> bool:
        return self.state.is_file() and self.chunks.is_file() and self.cache.is_file()


class Indexer:
    def __init__(self, files: IndexFiles, embedder: Embedder, store):
        self.files = files
        self.embedder = embedder
        self.store = store

    def build(self, documents: Sequence[DocumentInfo], rebuild: bool = False) -> IndexReport:
        started = time.perf_counter()
        self.files.dir.mkdir(parents=True, exist_ok=True)
        cache = {} if rebuild else self._read_cache()
        chunks = mark_editions([c for doc in documents for c in chunk_document(doc)], list(documents))
        texts = [c.search_text() for c in chunks] + [u.text for c in chunks for u in c.units]
        missing = list(dict.fromkeys(t for t in texts if _text_key(t) not in cache))
        if missing:
            vectors = self.embedder.embed(missing)
            cache.update({_text_key(t): v for t, v in zip(missing, vectors)})
        wanted = {_text_key(t) for t in texts}
        cache = {key: vec for key, vec in cache.items() if key in wanted}

        existing = set() if rebuild else self.store.ids()
        if rebuild and existing:
            self.store.delete(sorted(existing))
        new_ids = {c.id for c in chunks}
        removed = sorted(existing - new_ids)
        self.store.delete(removed)
        self.store.upsert(
            [c.id for c in chunks],
            np.vstack([cache[_text_key(c.search_text())] for c in chunks]) if chunks else np.zeros((0, 384)),
            [_metadata(c) for c in chunks],
        )
        _write_cache(self.files.cache, cache)
        units = [cache[_text_key(u.text)] for c in chunks for u in c.units]
        _write_matrix(self.files.unit_vectors, np.vstack(units) if units else np.zeros((0, 384), np.float32))
        write_atomically(self.files.chunks, "".join(json.dumps(c.to_dict()) + "\n" for c in chunks).encode())
        state = {
            "version": INDEX_VERSION,
            "chunking": CHUNKING_VERSION,
            "model": getattr(self.embedder, "name", MODEL_NAME),
            "documents": {doc.id: doc.content_hash() for doc in documents},
            "metadata": {doc.id: _metadata_key(doc) for doc in documents},
            "chunks": len(chunks),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        write_atomically(self.files.state, json.dumps(state, indent=2).encode())
        return IndexReport(len(documents), len(chunks), len(missing), len(set(texts)) - len(missing),
                           len(removed), time.perf_counter() - started)

    def is_current(self, documents: Sequence[DocumentInfo]) -> bool:
        try:
            state = json.loads(self.files.state.read_text())
        except (OSError, ValueError):
            return False
        metadata = {doc.id: _metadata_key(doc) for doc in documents}
        return state.get("version") == INDEX_VERSION and state.get("chunking", 1) == CHUNKING_VERSION and state.get("documents") == {
            doc.id: doc.content_hash() for doc in documents
        } and state.get("metadata", metadata) == metadata  # an index from before this key: assumed current

    def _read_cache(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.files.cache) as data:
                if set(data.files) == {"keys", "vectors"}:
                    return dict(zip(data["keys"].tolist(), data["vectors"]))
                return {key: data[key] for key in data.files}  # version 1: one array per text
        except (OSError, ValueError, KeyError):
            return {}


def _metadata_key(doc: DocumentInfo) -> str:
    """What the chunks copy from the manifest entry: a change (a new title, who added it) rebuilds them."""
    fields = (doc.title, doc.status, doc.period_start, doc.period_end, doc.supersedes,
              getattr(doc, "added_by", None), getattr(doc, "added_at", None))
    return hashlib.sha1(json.dumps(fields, default=str).encode()).hexdigest()[:16]


def _metadata(chunk: Chunk) -> dict:
    """What Chroma stores beside a chunk's vector (for filters); an added document's chunk also
    says who added it and when (Chroma takes no None values, so the keys are left out otherwise)."""
    metadata = {
        "doc_id": chunk.doc_id, "status": chunk.status, "period_start": chunk.period_start,
        "period_end": chunk.period_end, "section": chunk.section or "", "kind": chunk.kind,
        "repeated_in_later_edition": chunk.repeated_in_later_edition,
    }
    if chunk.added_by:
        metadata["added_by"] = chunk.added_by
    if chunk.added_at:
        metadata["added_at"] = chunk.added_at
    return metadata


def _write_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    keys = list(cache)
    vectors = np.vstack([cache[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)
    with replaced_atomically(path) as handle:
        np.savez(handle, keys=np.array(keys, dtype="U40"), vectors=vectors.astype(np.float32, copy=False))


def _write_matrix(path: Path, matrix: np.ndarray) -> None:
    with replaced_atomically(path) as handle:
        np.save(handle, matrix.astype(np.float32, copy=False))


def load_index(files: IndexFiles) -> LoadedIndex:
    """Read the chunk file and unit vectors; a damaged or missing index raises IndexMissing."""
    if not files.exists():
        raise IndexMissing(f"No search index in {files.dir}; run `council-assistant index --rebuild`.")
    try:
        state = json.loads(files.state.read_text())
        if state.get("version") != INDEX_VERSION:
            raise IndexMissing("The search index was built by another version; "
                               "run `council-assistant index --rebuild`.")
        chunks = [Chunk.from_dict(json.loads(line)) for line in files.chunks.read_text().splitlines() if line.strip()]
        matrix = np.asarray(np.load(files.unit_vectors, mmap_mode="r"))
        ends = np.cumsum([len(c.units) for c in chunks]).tolist()
        if matrix.ndim != 2 or matrix.shape[0] != (ends[-1] if ends else 0):
            raise ValueError(f"{matrix.shape[0]} unit vectors for {ends[-1] if ends else 0} units")
        unit_vectors = {c.id: matrix[end - len(c.units):end] for c, end in zip(chunks, ends)}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMissing(f"The search index in {files.dir} is damaged ({exc.__class__.__name__}); "
                           "run `council-assistant index --rebuild`.") from exc
    return LoadedIndex(chunks, unit_vectors, state)
