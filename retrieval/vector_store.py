"""Chroma as the vector store: the embedded persistent client by default, a Chroma server when
`CHROMA_URL` is set. Only this module imports chromadb.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import urlparse

import numpy as np

COLLECTION = "council-documents"


class VectorStoreUnavailable(RuntimeError):
    """The Chroma server cannot be reached or the local store cannot be opened."""


@dataclass(frozen=True)
class VectorHit:
    chunk_id: str
    similarity: float


def open_chroma_client(persist_dir: Path | None = None, url: str | None = None):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            return chromadb.HttpClient(
                host=parsed.hostname or "localhost", port=parsed.port or 8000,
                ssl=parsed.scheme == "https", settings=settings,
            )
        Path(persist_dir).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(persist_dir), settings=settings)
    except Exception as exc:  # chromadb raises several unrelated types for "cannot connect"
        where = url or persist_dir
        raise VectorStoreUnavailable(f"Cannot open the Chroma vector store at {where}: {exc}") from exc


# Candidates HNSW explores per query. At the corpus sizes this serves (hundreds to tens of thousands
# of chunks) 512 keeps recall at about 100% for the 40-80 candidates search asks for, at a few ms.
SEARCH_EF = 512


class ChromaStore:
    """Chunk vectors with the metadata search filters on (document id, status, edition flag)."""

    def __init__(self, client, collection: str = COLLECTION):
        try:
            self._collection = client.get_or_create_collection(
                collection, configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}}, embedding_function=None
            )
            # A collection made before ef_search was set keeps its own value: raise it, so the same
            # question finds the same passages in every process (a small ef makes HNSW's answer
            # depend on how the graph was loaded).
            if (self._collection.configuration.get("hnsw") or {}).get("ef_search", SEARCH_EF) < SEARCH_EF:
                self._collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
        except Exception as exc:
            raise VectorStoreUnavailable(f"Cannot open the Chroma collection {collection!r}: {exc}") from exc

    def ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def count(self) -> int:
        return self._collection.count()

    def upsert(self, ids: Sequence[str], vectors: np.ndarray, metadatas: Sequence[dict], batch: int = 2000) -> None:
        for start in range(0, len(ids), batch):
            end = start + batch
            self._collection.upsert(
                ids=list(ids[start:end]), embeddings=vectors[start:end], metadatas=list(metadatas[start:end])
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self._collection.delete(ids=list(ids))

    def query(self, vector: np.ndarray, k: int, doc_ids: Sequence[str] | None = None,
              include_repeated: bool = False) -> list[VectorHit]:
        conditions = []
        if doc_ids is not None:
            conditions.append({"doc_id": {"$in": list(doc_ids)}})
        if not include_repeated:
            conditions.append({"repeated_in_later_edition": False})
        where = conditions[0] if len(conditions) == 1 else ({"$and": conditions} if conditions else None)
        try:
            result = self._collection.query(
                query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
                n_results=max(1, k), where=where, include=["distances"],
            )
        except Exception as exc:
            raise VectorStoreUnavailable(f"Vector search failed: {exc}") from exc
        return [VectorHit(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]
