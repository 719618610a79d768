"""Deterministic stand-ins for the slow parts, shared by the tests."""
from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from retrieval.terms import index_terms


class HashEmbedder:
    """Bag-of-words vectors seeded by each term's hash: texts that share words are similar.

    Fast and deterministic, so retrieval and engine tests run without the real model."""

    name = "hash-embedder"

    def __init__(self, dimensions: int = 384):
        self.dimensions = dimensions
        self.calls = 0

    def _term_vector(self, term: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha1(term.encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(self.dimensions)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in index_terms(text) or ["∅"]:
                out[row] += self._term_vector(term)
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        return out
