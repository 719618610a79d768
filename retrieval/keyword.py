"""BM25 keyword search over the same chunks as the vector store.

Embeddings miss exact identifiers ("BCF 2A PART 2", "LULUCF", "NEET") that staff type; BM25
finds them. It is rebuilt in memory from the chunk file at start-up, which takes milliseconds
for the council's corpus.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from rank_bm25 import BM25Okapi

from retrieval.chunk import Chunk
from retrieval.terms import index_terms


class KeywordIndex:
    def __init__(self, chunks: Sequence[Chunk]):
        self._ids = [c.id for c in chunks]
        corpus = [index_terms(c.search_text()) or ["∅"] for c in chunks]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def search(self, terms: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        if not self._bm25 or not terms:
            return []
        scores = self._bm25.get_scores(list(terms))
        order = np.argsort(-scores)
        hits = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= k:
                break
            if allowed is None or self._ids[i] in allowed:
                hits.append((self._ids[i], float(scores[i])))
        return hits
