"""Faults in search: the Chroma server going away (and coming back), and damaged index files.

The Chroma server is a real `chroma run` on loopback, killed and restarted on the same port and
data folder. Damaged index files are written over a copy of an index built with the hash
embedder, and the user meets them through the CLI exactly as `council-assistant ask` does.
"""
from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.engine import AbstainPolicy
from bot.guarded_engine import GuardedEngine, RoutedAnswer
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from bot.wiring import Services, build_offline_engine
from retrieval.index import Indexer, IndexFiles
from retrieval.vector_store import ChromaStore, open_chroma_client
from tests.conftest import require_or_skip
from tests.fakes import HashEmbedder
from tests.security.conftest import StaticControls

QUESTION = "By how much will the budget have reduced by 2020-21?"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ChromaServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ChromaServer":
        chroma = Path(sys.executable).parent / "chroma"
        if not chroma.exists():
            require_or_skip("the `chroma` server command is not installed")
        log = open(self.folder / "chroma.log", "ab")
        self.process = subprocess.Popen([str(chroma), "run", "--path", str(self.folder / "server"), "--host",
                                         "127.0.0.1", "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        self.kill()
        require_or_skip(f"the Chroma server did not start: {(self.folder / 'chroma.log').read_text()[-500:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def chroma(tmp_path):
    server = ChromaServer(tmp_path).start()
    yield server
    server.kill()


@pytest.mark.chroma_server
def test_chroma_server_down_gives_a_clear_message_and_recovers(chroma, tmp_path, documents, caplog):
    embedder = HashEmbedder()
    files = IndexFiles(tmp_path / "index")
    store = ChromaStore(open_chroma_client(url=chroma.url))
    Indexer(files, embedder, store).build(documents)
    engine = GuardedEngine(build_offline_engine(files, embedder, store, documents, policy=AbstainPolicy(0.05, 0.1)),
                           StaticControls())
    before = engine.answer(QUESTION)
    assert "£124 million" in before.text

    chroma.kill()
    during = engine.answer(QUESTION)
    assert isinstance(during, RoutedAnswer) and (during.outcome, during.reason) == ("unavailable", "vector-store")
    assert during.text == ("Sorry, I can't answer that just now: the document search is not available. Please try "
                           "again in a few minutes. If it keeps happening, please quote reference "
                           f"`{during.reference}`.")
    assert "Traceback" not in during.text

    chroma.start()  # same port, same data folder: nothing to rebuild
    after = engine.answer(QUESTION)
    assert (after.text, after.citations) == (before.text, before.citations)


# -- damaged index files ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_index(tmp_path_factory, documents):
    """An index of the corpus (hash embedder, embedded Chroma), copied for each test."""
    folder = tmp_path_factory.mktemp("index-original")
    files = IndexFiles(folder / "index")
    Indexer(files, HashEmbedder(), ChromaStore(open_chroma_client(files.chroma))).build(documents)
    return folder / "index"


@pytest.fixture
def services(built_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(built_index, data_dir / "index")

    def fresh() -> Services:
        services = Services(Settings(data_dir=data_dir, corpus_dir=DEFAULT_CORPUS_DIR))
        services.__dict__["embedder"] = HashEmbedder()  # no model; everything else is the real path
        services.__dict__["kpi_answerer"] = lambda: None
        return services

    return fresh


def ask(services, *args):
    return CliRunner().invoke(cli, ["ask", QUESTION, "--json", *args], obj=services)


def damage_chunks(files: IndexFiles) -> None:
    text = files.chunks.read_text()
    files.chunks.write_text(text[: len(text) // 2])  # cut off mid-record


def damage_unit_vectors(files: IndexFiles) -> None:
    files.unit_vectors.write_bytes(b"\x93NUMPY garbage")


def remove_unit_vectors(files: IndexFiles) -> None:
    files.unit_vectors.unlink()


def damage_cache(files: IndexFiles) -> None:
    files.cache.write_bytes(b"PK\x03\x04 this is not a zip archive")


def damage_state(files: IndexFiles) -> None:
    files.state.write_text("{not json")


@pytest.mark.parametrize("damage, needs_rebuild", [
    (damage_chunks, True),
    (damage_unit_vectors, True),
    (remove_unit_vectors, True),
    (damage_cache, False),  # only building reads the embedding cache: answers are unaffected
    (damage_state, False),  # an unreadable state means "not current": rebuilt on the next question
])
def test_damaged_index_files_give_a_sentence_and_a_rebuild_restores_every_answer(services, damage, needs_rebuild):
    first = ask(services())
    assert first.exit_code == 0
    expected = json.loads(first.output)

    damage(services().index_files)
    result = ask(services())
    assert "Traceback" not in result.output
    if needs_rebuild:
        assert result.exit_code == 1
        assert result.output.startswith("Error: The search index in ")
        assert " is damaged (" in result.output
        assert result.output.endswith("; run `council-assistant index --rebuild`.\n")
        rebuilt = CliRunner().invoke(cli, ["index", "--rebuild"], obj=services())
        assert rebuilt.exit_code == 0, rebuilt.output
        result = ask(services())
    assert result.exit_code == 0, result.output
    recovered = json.loads(result.output)
    assert {k: v for k, v in recovered.items() if k != "latency_ms"} == {
        k: v for k, v in expected.items() if k != "latency_ms"}
