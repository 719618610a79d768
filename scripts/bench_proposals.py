"""Changes proposed for files outside issue 6, applied at run time so the benchmark can measure
them ("proposed" rows of docs/benchmarks-scale.md). Not used by the bot.

A. `retrieval.terms.stem` and `expansions` memoised (`functools.lru_cache`): tokenising 50,000
   chunks stems 4 million words, twice (BM25 and the engine's document frequencies), and
   `bot.quoting.coverage` re-derives each question term's synonyms for every candidate sentence.
B. `HybridSearcher.search` asks the vector store without filters and filters the neighbours
   with the `allowed` set it already computes: Chroma's filtered query costs time in proportion
   to how many records match (about 250 ms at 50,000 chunks for the default filter, "not
   repeated in a later edition", which keeps 40,000), an unfiltered one 2-5 ms for 120-480
   neighbours. It over-fetches 4 × then 16 × the candidates and only falls back to the filtered
   query when still too few pass, so the candidates are the same.
C. `HybridSearcher.allowed_ids` memoised per `SearchFilters` (it scans every chunk per question).
"""
from __future__ import annotations

import functools


def apply() -> None:
    """Patch A, B and C in place; call before importing bot.engine / bot.quoting."""
    import retrieval.terms as terms
    from retrieval.search import HybridSearcher

    terms.stem = functools.lru_cache(maxsize=None)(terms.stem)
    original_expansions = terms.expansions
    terms.expansions = functools.lru_cache(maxsize=None)(lambda term: frozenset(original_expansions(term)))
    original_allowed = HybridSearcher.allowed_ids

    def allowed_ids(self, filters):
        cache = self.__dict__.setdefault("_allowed_cache", {})
        if filters not in cache:
            cache[filters] = original_allowed(self, filters)
        return cache[filters]

    HybridSearcher.allowed_ids = allowed_ids
    HybridSearcher.search = search


def search(self, query_vector, query_terms, filters=None, k: int = 8):
    """Proposal B: the body of `HybridSearcher.search` with the vector query changed."""
    from retrieval.fusion import reciprocal_rank_fusion
    from retrieval.search import SearchFilters, SearchHit

    filters = filters or SearchFilters()
    allowed = self.allowed_ids(filters)
    vector_hits = None
    for factor in (4, 16):
        found = self._store.query(query_vector, self._candidates * factor, include_repeated=True)
        kept = [h for h in found if h.chunk_id in self._chunks and (allowed is None or h.chunk_id in allowed)]
        if len(kept) >= self._candidates or len(found) < self._candidates * factor:
            vector_hits = kept[:self._candidates]
            break
    if vector_hits is None:  # a narrow filter: let Chroma apply it
        doc_ids = None
        if filters.doc_ids is not None or filters.statuses is not None:
            doc_ids = sorted({self._chunks[i].doc_id for i in allowed or ()}) or ["∅"]
        vector_hits = self._store.query(query_vector, self._candidates, doc_ids=doc_ids,
                                        include_repeated=filters.include_repeated)
        vector_hits = [h for h in vector_hits if h.chunk_id in self._chunks and (allowed is None or h.chunk_id in allowed)]
    keyword_hits = self._keywords.search(query_terms, self._candidates, allowed)
    fused = reciprocal_rank_fusion([[h.chunk_id for h in vector_hits], [cid for cid, _ in keyword_hits]])
    similarity = {h.chunk_id: h.similarity for h in vector_hits}
    return [SearchHit(self._chunks[cid], score, similarity.get(cid, 0.0)) for cid, score in fused[:k]]
