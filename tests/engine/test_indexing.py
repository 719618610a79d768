"""Incremental indexing, ingest, and the embedded vs server Chroma."""
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.ingest import ingest_document
from bot.wiring import all_documents
from retrieval.index import Indexer, IndexFiles
from retrieval.vector_store import ChromaStore, open_chroma_client
from tests.conftest import require_or_skip
from tests.fakes import HashEmbedder


def test_reindexing_unchanged_corpus_embeds_nothing(tmp_path, documents):
    embedder = HashEmbedder()
    files = IndexFiles(tmp_path)
    store = ChromaStore(open_chroma_client(files.chroma))
    first = Indexer(files, embedder, store).build(documents)
    second = Indexer(files, embedder, store).build(documents)
    assert first.embedded > 0 and second.embedded == 0
    assert second.chunks == first.chunks == store.count()
    assert Indexer(files, embedder, store).is_current(documents)


def test_an_index_chunked_by_an_earlier_parser_is_not_current(tmp_path, documents):
    """A parser change turns the same documents into other sections: the index is rebuilt on start."""
    import json

    files = IndexFiles(tmp_path)
    indexer = Indexer(files, HashEmbedder(), ChromaStore(open_chroma_client(files.chroma)))
    indexer.build(documents)
    state = json.loads(files.state.read_text())
    del state["chunking"]  # as an index written before the chunking version was recorded
    files.state.write_text(json.dumps(state))
    assert not indexer.is_current(documents)


def test_ingest_adds_a_document_that_search_then_cites(tmp_path, settings, documents):
    paper = tmp_path / "libraries-2025.md"
    paper.write_text("# Library Strategy 2025-2030\n\n## Opening hours\n\n"
                     "We will keep every library open at least 40 hours a week.\n")
    info = ingest_document(settings, paper, period="2025-2030", known_ids={d.id for d in documents})
    assert (info.id, info.period_start, info.period_end, info.title) == (
        "libraries-2025", 2025, 2030, "Library Strategy 2025-2030")
    docs = all_documents(settings)
    assert [d.id for d in docs][-1] == "libraries-2025"

    embedder = HashEmbedder()
    files = IndexFiles(settings.index_dir)
    store = ChromaStore(open_chroma_client(files.chroma))
    before = Indexer(files, embedder, store).build(documents)
    after = Indexer(files, embedder, store).build(docs)
    assert after.chunks == before.chunks + 1 and after.embedded == 2  # the new chunk (with its section) and its one sentence

    from bot.engine import AbstainPolicy
    from bot.wiring import build_offline_engine

    engine = build_offline_engine(files, embedder, store, docs, policy=AbstainPolicy(0.05, 0.1))
    answer = engine.answer("How many hours a week will libraries open?")
    assert answer.citations[0].doc_id == "libraries-2025"
    assert "40 hours" in answer.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        require_or_skip("the `chroma` server command is not installed")
    port = _free_port()
    log = open(tmp_path / "chroma.log", "wb")
    process = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        require_or_skip(f"the Chroma server did not start: {(tmp_path / 'chroma.log').read_text()[-500:]}")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.chroma_server
def test_retrieval_against_a_real_chroma_server(chroma_server, tmp_path, documents):
    from bot.engine import AbstainPolicy
    from bot.wiring import build_offline_engine

    embedder = HashEmbedder()
    files = IndexFiles(tmp_path / "index")
    store = ChromaStore(open_chroma_client(url=chroma_server))
    report = Indexer(files, embedder, store).build(documents)
    assert store.count() == report.chunks
    engine = build_offline_engine(files, embedder, store, documents, policy=AbstainPolicy(0.05, 0.1))
    answer = engine.answer("By how much will the budget have reduced by 2020-21?")
    assert "£124 million" in answer.text
    assert answer.citations[0].doc_id == "strategic-framework-2016-21"


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    from retrieval.files import replaced_atomically, write_atomically

    target = tmp_path / "state.json"
    write_atomically(target, b"old")
    with pytest.raises(OSError, match="disk full"):
        with replaced_atomically(target) as handle:
            handle.write(b"half of the new")
            raise OSError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
