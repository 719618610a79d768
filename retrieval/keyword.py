"""BM25 keyword search over the same chunks as the vector store.

Embeddings miss exact identifiers ("BCF 2A PART 2", "LULUCF", "NEET") that staff type; BM25
finds them. It is rebuilt in memory from the chunk file at start-up.

The scoring is Okapi BM25 exactly as `rank_bm25.BM25Okapi` computes it (k1 1.5, b 0.75, a
negative idf replaced by 0.25 × the mean idf), so rankings are unchanged, but the index is
stored as postings (for each term, the chunks containing it and their precomputed term
weights) instead of one dictionary per chunk. A query then touches only the chunks that
contain its terms: about a millisecond at 50,000 chunks, where scanning every chunk's
dictionary for every term took over 100 ms.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from retrieval.chunk import Chunk
from retrieval.terms import index_terms

K1, B, EPSILON = 1.5, 0.75, 0.25


class KeywordIndex:
    def __init__(self, chunks: Sequence[Chunk]):
        self._ids = [c.id for c in chunks]
        vocabulary: dict[str, int] = {}  # term -> id, in order of first appearance
        term_ids: list[int] = []
        lengths: list[int] = []
        for chunk in chunks:
            terms = index_terms(chunk.search_text()) or ["∅"]
            lengths.append(len(terms))
            term_ids.extend(vocabulary.setdefault(term, len(vocabulary)) for term in terms)
        self._vocabulary = vocabulary
        count = len(self._ids)
        if not count:
            return
        # One entry per (term, chunk) pair, sorted by term then chunk, with its frequency.
        pairs, frequency = np.unique(np.asarray(term_ids, dtype=np.int64) * count
                                     + np.repeat(np.arange(count, dtype=np.int64), lengths), return_counts=True)
        self._chunk_of = (pairs % count).astype(np.int32)
        self._offsets = np.searchsorted(pairs // count, np.arange(len(vocabulary) + 1))
        self._idf = _idf(np.diff(self._offsets).tolist(), count)
        length = np.asarray(lengths, dtype=np.float64)[self._chunk_of]
        average_length = sum(lengths) / count
        tf = frequency.astype(np.float64)
        # The same floating-point operations, in the same order, as BM25Okapi.get_scores.
        self._weight = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average_length))

    def document_frequency(self, term: str) -> int:
        """How many chunks use `term` (0 for a word the documents never use)."""
        term_id = self._vocabulary.get(term)
        if term_id is None or not self._ids:
            return 0
        return int(self._offsets[term_id + 1] - self._offsets[term_id])

    def search(self, terms: Sequence[str], k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        if not self._ids or not terms:
            return []
        scores = self.scores(terms)
        order = np.argsort(-scores)
        hits = []
        for i in order:
            if scores[i] <= 0 or len(hits) >= k:
                break
            if allowed is None or self._ids[i] in allowed:
                hits.append((self._ids[i], float(scores[i])))
        return hits

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk (in the order given) for the query terms."""
        scores = np.zeros(len(self._ids))
        for term in terms:
            term_id = self._vocabulary.get(term)
            if term_id is None:
                continue
            start, end = self._offsets[term_id], self._offsets[term_id + 1]
            scores[self._chunk_of[start:end]] += self._idf[term_id] * self._weight[start:end]
        return scores


def _idf(document_frequencies: list[int], count: int) -> list[float]:
    idf = [math.log(count - df + 0.5) - math.log(df + 0.5) for df in document_frequencies]
    total = 0.0
    for value in idf:  # summed in order, as BM25Okapi does, so the mean is bit-for-bit the same
        total += value
    floor = EPSILON * (total / len(idf))
    return [floor if value < 0 else value for value in idf]
