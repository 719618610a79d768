"""Hybrid search: vector similarity and BM25, fused by reciprocal rank.

Search takes a query vector (embedding happens before it), so tests drive it with any vectors
they like and the answer engine embeds a question once for both search and quoting.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from retrieval.chunk import Chunk
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.keyword import KeywordIndex


@dataclass(frozen=True)
class SearchFilters:
    """Which chunks may be returned. `doc_ids=None` means every document.

    Draft chunks repeated word for word in the later edition are hidden unless
    `include_repeated` is set, so the later edition is cited once.
    """

    doc_ids: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    include_repeated: bool = False


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float
    similarity: float


class HybridSearcher:
    def __init__(self, chunks: Sequence[Chunk], vector_store, keyword_index: KeywordIndex | None = None,
                 candidates: int = 30):
        self._chunks = {c.id: c for c in chunks}
        self._store = vector_store
        self._keywords = keyword_index or KeywordIndex(chunks)
        self._candidates = candidates
        self._allowed_cache: dict[SearchFilters, set[str] | None] = {}

    @property
    def keywords(self) -> KeywordIndex:
        """The keyword index, whose term statistics the engine reuses to weigh question words."""
        return self._keywords

    @property
    def chunks(self) -> dict[str, Chunk]:
        return self._chunks

    def allowed_ids(self, filters: SearchFilters) -> set[str] | None:
        """Chunk ids the filters let through (None: all); cached, as questions reuse a few filters."""
        if filters not in self._allowed_cache:
            self._allowed_cache[filters] = self._compute_allowed(filters)
        return self._allowed_cache[filters]

    def _compute_allowed(self, filters: SearchFilters) -> set[str] | None:
        if filters.doc_ids is None and filters.statuses is None and filters.include_repeated:
            return None
        return {
            c.id for c in self._chunks.values()
            if (filters.doc_ids is None or c.doc_id in filters.doc_ids)
            and (filters.statuses is None or c.status in filters.statuses)
            and (filters.include_repeated or not c.repeated_in_later_edition)
        }

    def _vector_hits(self, query_vector: np.ndarray, filters: SearchFilters, allowed: set[str] | None):
        """Nearest chunks that pass the filters. Chroma's filtered query is slow when the filter
        keeps most of a large collection (about 250 ms at 50k chunks, against 2-5 ms unfiltered),
        so over-fetch without a filter and filter here; ask Chroma to filter only if too few pass."""
        def usable(hits):
            return [h for h in hits if h.chunk_id in self._chunks and (allowed is None or h.chunk_id in allowed)]

        for factor in (4, 16):
            hits = usable(self._store.query(query_vector, self._candidates * factor, doc_ids=None,
                                            include_repeated=True))
            if len(hits) >= self._candidates or len(hits) == len(allowed if allowed is not None else self._chunks):
                return hits[: self._candidates]
        doc_ids = None
        if filters.doc_ids is not None or filters.statuses is not None:
            doc_ids = sorted({self._chunks[i].doc_id for i in allowed or ()}) or ["∅"]
        return usable(self._store.query(query_vector, self._candidates, doc_ids=doc_ids,
                                        include_repeated=filters.include_repeated))

    def search(self, query_vector: np.ndarray, query_terms: Sequence[str], filters: SearchFilters = SearchFilters(),
               k: int = 8) -> list[SearchHit]:
        allowed = self.allowed_ids(filters)
        vector_hits = self._vector_hits(query_vector, filters, allowed)
        keyword_hits = self._keywords.search(query_terms, self._candidates, allowed)
        fused = reciprocal_rank_fusion([[h.chunk_id for h in vector_hits], [cid for cid, _ in keyword_hits]])
        similarity = {h.chunk_id: h.similarity for h in vector_hits}
        return [
            SearchHit(self._chunks[cid], score, similarity.get(cid, 0.0))
            for cid, score in fused[:k]
        ]
