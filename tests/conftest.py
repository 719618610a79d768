"""Shared fixtures: the shipped corpus, a fake-embedder index, and service switches.

Tests that need PostgreSQL or a Chroma server skip with a reason when the service is absent,
except under REQUIRE_SERVICES=1 (CI), where a missing service is a failure.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bot.settings import DEFAULT_CORPUS_DIR, Settings
from retrieval.corpus import load_manifest
from tests.fake_slack import api, slack_api  # noqa: F401  (the one fake-Slack fixture, for every folder)
from tests.fakes import HashEmbedder


def require_or_skip(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def documents():
    return load_manifest(DEFAULT_CORPUS_DIR)


@pytest.fixture(scope="session")
def fake_embedder():
    return HashEmbedder()


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory, documents, fake_embedder):
    """An index of the real corpus built with the hash embedder and an embedded Chroma."""
    from retrieval.index import Indexer, IndexFiles
    from retrieval.vector_store import ChromaStore, open_chroma_client

    folder = tmp_path_factory.mktemp("fake-index")
    files = IndexFiles(folder)
    store = ChromaStore(open_chroma_client(files.chroma))
    report = Indexer(files, fake_embedder, store).build(documents)
    return files, store, report


@pytest.fixture(scope="session")
def fake_engine(fake_index, fake_embedder, documents):
    from bot.engine import AbstainPolicy
    from bot.wiring import build_offline_engine

    files, store, _ = fake_index
    # Hashed bag-of-words vectors are far less similar than MiniLM's, so the similarity floors
    # are lower; the coverage rule, which does the real work, is the same.
    policy = AbstainPolicy(min_similarity=0.05, weak_similarity=0.1)
    return build_offline_engine(files, fake_embedder, store, documents, policy=policy)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=DEFAULT_CORPUS_DIR)


@pytest.fixture(scope="session")
def real_services(tmp_path_factory):
    """Services on the real model and a fresh data directory (built once per test run, ~30 s)."""
    from bot.wiring import Services

    data_dir = tmp_path_factory.mktemp("real-data")
    shared_model = Path(os.environ.get("COUNCIL_TEST_ONNX", "")) if os.environ.get("COUNCIL_TEST_ONNX") else None
    if shared_model and shared_model.is_file():
        (data_dir / "index").mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_model, data_dir / "index" / "model.onnx")
    services = Services(Settings(data_dir=data_dir, corpus_dir=DEFAULT_CORPUS_DIR))
    services.ensure_index()
    return services
