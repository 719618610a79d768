"""`CHROMA_URL` through the real wiring: `Services` builds its index on a Chroma server, keeps
no embedded store, and a second bot process with its own data directory shares that index."""
from __future__ import annotations

import pytest

from bot.engine import AbstainPolicy
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from bot.wiring import Services, build_offline_engine
from retrieval.vector_store import ChromaStore, open_chroma_client
from tests.engine.test_indexing import chroma_server  # noqa: F401  (the fixture: `chroma run` on loopback)
from tests.fakes import HashEmbedder

pytestmark = pytest.mark.chroma_server


def services_on(server_url: str, data_dir) -> Services:
    services = Services(Settings(data_dir=data_dir, corpus_dir=DEFAULT_CORPUS_DIR, chroma_url=server_url))
    services.embedder = HashEmbedder()  # instead of the real model (cached_property, set before first use)
    return services


def test_two_bot_processes_share_one_index_on_the_chroma_server(chroma_server, tmp_path):  # noqa: F811
    first = services_on(chroma_server, tmp_path / "first")
    first.ensure_index()
    chunks = len(first.index_files.chunks.read_text().splitlines())
    server = ChromaStore(open_chroma_client(url=chroma_server))
    assert server.count() == chunks > 0
    assert not first.index_files.chroma.exists()  # nothing went to an embedded store

    second = services_on(chroma_server, tmp_path / "second")
    second.ensure_index()  # its own data directory: builds its files, upserts the same ids
    assert server.count() == chunks
    assert second.vector_store.ids() == server.ids()

    engine = build_offline_engine(second.index_files, second.embedder, second.vector_store, second.documents(),
                                  policy=AbstainPolicy(min_similarity=0.05, weak_similarity=0.1))
    answer = engine.answer("By how much will the budget have reduced by 2020-21?")
    assert "£124 million" in answer.text
    assert answer.citations[0].doc_id == "strategic-framework-2016-21"


def test_an_added_documents_provenance_reaches_the_chroma_server(chroma_server, tmp_path):  # noqa: F811
    from bot.ingest import ingest_document

    services = services_on(chroma_server, tmp_path / "data")
    paper = tmp_path / "note.txt"
    paper.write_text("Budget note\n\nThe council will spend more on potholes in 2025.\n", encoding="utf-8")
    info = ingest_document(services.settings, paper, title="Budget note", period="2025", added_by="ann",
                           known_ids={d.id for d in services.documents()})
    services.ensure_index()
    server = ChromaStore(open_chroma_client(url=chroma_server))
    stored = server._collection.get(where={"doc_id": info.id}, include=["metadatas"])
    assert stored["ids"] and all((m["status"], m["added_by"], m["added_at"]) == ("added", "ann", info.added_at)
                                 for m in stored["metadatas"])
    official = server._collection.get(where={"doc_id": "strategic-framework-2021-25"}, include=["metadatas"], limit=3)
    assert official["ids"] and all("added_by" not in m for m in official["metadatas"])
