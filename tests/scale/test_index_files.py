"""The index's vector files: one matrix each, loaded as views, and older indexes upgraded
without re-embedding anything."""
from __future__ import annotations

import json

import numpy as np
import pytest

from retrieval.index import INDEX_VERSION, Indexer, IndexFiles, IndexMissing, _text_key, load_index
from retrieval.vector_store import ChromaStore, open_chroma_client
from tests.fakes import HashEmbedder


@pytest.fixture
def built(tmp_path, documents):
    files = IndexFiles(tmp_path / "index")
    store = ChromaStore(open_chroma_client(files.chroma))
    report = Indexer(files, HashEmbedder(), store).build(documents)
    return files, store, report


def test_each_chunk_gets_exactly_its_units_vectors(built):
    files, _, _ = built
    loaded = load_index(files)
    embedder = HashEmbedder()
    for chunk in loaded.chunks:
        expected = embedder.embed([u.text for u in chunk.units])
        assert np.array_equal(loaded.unit_vectors[chunk.id], expected), chunk.id
    first = loaded.unit_vectors[loaded.chunks[0].id]
    assert first.dtype == np.float32 and not first.flags.writeable  # a view of the mapped file


def test_a_version_1_index_is_rebuilt_from_its_cache_without_embedding(built, documents):
    files, store, report = built
    # Rewrite the cache in the version-1 layout (one array per text) and mark the index version 1.
    with np.load(files.cache) as data:
        cache = dict(zip(data["keys"].tolist(), data["vectors"]))
    np.savez(files.cache, **cache)
    state = json.loads(files.state.read_text())
    files.state.write_text(json.dumps({**state, "version": 1}))
    files.unit_vectors.unlink()
    with pytest.raises(IndexMissing, match="built by another version"):
        load_index(files)

    indexer = Indexer(files, HashEmbedder(), store)
    assert not indexer.is_current(documents)
    again = indexer.build(documents)
    assert (again.embedded, again.reused, again.chunks) == (0, report.embedded + report.reused, report.chunks)
    assert json.loads(files.state.read_text())["version"] == INDEX_VERSION
    assert len(load_index(files).unit_vectors) == report.chunks


def test_a_unit_vector_file_that_does_not_match_the_chunks_is_damaged(built):
    files, _, _ = built
    np.save(files.unit_vectors, np.zeros((3, 384), np.float32))
    with pytest.raises(IndexMissing, match=r"damaged \(ValueError\)"):
        load_index(files)


def test_the_cache_holds_one_row_per_distinct_text(built):
    files, _, report = built
    loaded = load_index(files)
    texts = {c.search_text() for c in loaded.chunks} | {u.text for c in loaded.chunks for u in c.units}
    with np.load(files.cache) as data:
        assert sorted(data["keys"].tolist()) == sorted(_text_key(t) for t in texts)
        assert data["vectors"].shape == (len(texts), 384) == (report.embedded, 384)
