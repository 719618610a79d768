"""The postings-based BM25 index scores exactly as rank_bm25's BM25Okapi, which it replaced."""
from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.evaluation import load_questions
from bot.settings import REPO_ROOT
from retrieval.chunk import Chunk, chunk_document, mark_editions
from retrieval.keyword import KeywordIndex
from retrieval.terms import index_terms, query_terms


@pytest.fixture(scope="module")
def chunks(documents) -> list[Chunk]:
    return mark_editions([c for doc in documents for c in chunk_document(doc)], documents)


def questions() -> list[str]:
    return [q.question for q in load_questions(REPO_ROOT / "tests" / "eval" / "dev.yaml")]


def test_scores_equal_bm25okapi_bit_for_bit_on_the_corpus(chunks):
    index = KeywordIndex(chunks)
    reference = BM25Okapi([index_terms(c.search_text()) or ["∅"] for c in chunks])
    for question in questions() + ["LULUCF", "BCF 2A PART 2", "zzz-unknown-term"]:
        terms = query_terms(question)
        assert np.array_equal(index.scores(terms), reference.get_scores(terms)), question


def test_search_ranks_as_before_with_and_without_a_filter(chunks):
    index = KeywordIndex(chunks)
    reference = BM25Okapi([index_terms(c.search_text()) or ["∅"] for c in chunks])
    allowed = {c.id for c in chunks if not c.repeated_in_later_edition}
    for question in questions():
        terms = query_terms(question)
        scores = reference.get_scores(terms)
        ranked = [(chunks[i].id, float(scores[i])) for i in np.argsort(-scores) if scores[i] > 0]
        assert index.search(terms, 30) == ranked[:30]
        assert index.search(terms, 30, allowed) == [hit for hit in ranked if hit[0] in allowed][:30]


def test_empty_inputs(chunks):
    assert KeywordIndex([]).search(["carbon"], 5) == []
    assert KeywordIndex(chunks).search([], 5) == []
    assert KeywordIndex(chunks).search(["zzz-unknown-term"], 5) == []


def test_document_frequency_counts_chunks_not_occurrences():
    from retrieval.chunk import Chunk, Unit
    from retrieval.keyword import KeywordIndex

    def chunk(i, text):
        return Chunk(f"c{i}", "d", "T", "adopted", 2020, 2025, (), text, (Unit(text),))

    index = KeywordIndex([chunk(1, "flood flood flood"), chunk(2, "flood risk"), chunk(3, "buses")])
    assert [index.document_frequency(t) for t in ("flood", "risk", "buse", "pothole")] == [2, 1, 1, 0]
