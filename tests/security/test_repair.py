"""Repair: `index --rebuild` re-exports an ONNX model that cannot be loaded and rebuilds a local
Chroma store that cannot be opened; without --rebuild, each says which file and the fix."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import retrieval.embed
from bot.cli import cli
from bot.settings import DEFAULT_CORPUS_DIR, Settings
from bot.wiring import Services
from retrieval.embed import EmbeddingModelDamaged, OnnxEmbedder
from retrieval.vector_store import VectorStoreUnavailable
from tests.fakes import HashEmbedder

GARBAGE = b"\x00 not a model " * 500


def damage(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(b"garbage!" * 1000 + data[8000:])


def test_a_damaged_onnx_model_names_the_file_and_the_fix(tmp_path):
    model = tmp_path / "model.onnx"
    model.write_bytes(GARBAGE)
    with pytest.raises(EmbeddingModelDamaged, match=f"^The ONNX model {model} cannot be loaded \\(.*\\); run "
                                                    "`council-assistant index --rebuild` to export it again.$"):
        OnnxEmbedder(model)


@pytest.fixture
def services(tmp_path, monkeypatch):
    """Real wiring on a data directory whose index was built (hash embedder), then both the model
    file and the Chroma database were damaged. Exporting and loading the model are stood in for
    (a real export takes tens of seconds): a file that says "exported" loads as the hash embedder."""
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=DEFAULT_CORPUS_DIR)
    first = Services(settings)
    first.__dict__["embedder"] = HashEmbedder()
    first.build_index()
    exports = []

    def export(target):
        exports.append(Path(target))
        Path(target).write_bytes(b"exported")
        return target

    class StandIn:
        def __new__(cls, path, *args, **kwargs):
            if Path(path).read_bytes() != b"exported":
                raise EmbeddingModelDamaged(f"The ONNX model {path} cannot be loaded (bad file); run "
                                            "`council-assistant index --rebuild` to export it again.")
            return HashEmbedder()

    monkeypatch.setattr(retrieval.embed, "export_onnx", export)
    monkeypatch.setattr(retrieval.embed, "OnnxEmbedder", StandIn)
    first.index_files.onnx_model.write_bytes(GARBAGE)
    _forget(first)
    damage(first.index_files.chroma / "chroma.sqlite3")
    services = Services(settings)
    services.exports = exports
    return services


def _forget(services) -> None:
    from chromadb.api.client import SharedSystemClient

    services.__dict__.pop("vector_store", None)
    SharedSystemClient.clear_system_cache()


def test_without_rebuild_a_damaged_store_names_the_folder_and_the_fix(services):
    with pytest.raises(VectorStoreUnavailable, match="looks damaged; run `council-assistant index --rebuild` to "
                                                     "rebuild it.$"):
        services.vector_store
    result = CliRunner().invoke(cli, ["index"], obj=services)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: The ONNX model ") or "looks damaged" in result.output


def test_index_rebuild_repairs_both(services):
    result = CliRunner().invoke(cli, ["index", "--rebuild"], obj=services)
    assert result.exit_code == 0, result.output
    index = services.index_files
    lines = result.output.splitlines()
    assert lines[0] == f"Repaired: re-exported the embedding model {index.onnx_model}."
    assert lines[1].startswith(f"Repaired: rebuilt the Chroma store {index.chroma} (the damaged one is in "
                               f"{index.chroma}.damaged-")
    assert lines[2].startswith("Indexed ")
    assert services.exports == [index.onnx_model]
    assert services.vector_store.count() > 100
    damaged = [p for p in index.dir.iterdir() if p.name.startswith("chroma.damaged-")]
    assert len(damaged) == 1 and (damaged[0] / "chroma.sqlite3").is_file()
    # The repaired index answers searches: a second, ordinary build reuses every vector.
    _forget(services)
    again = Services(services.settings)
    assert again.vector_store.count() == services.vector_store.count()


@pytest.mark.slow
def test_rebuild_exports_a_real_model_again(tmp_path):
    """The real thing: a damaged model.onnx is exported again by `index --rebuild` (tens of seconds)."""
    shared = os.environ.get("COUNCIL_TEST_ONNX")
    settings = Settings(data_dir=tmp_path, corpus_dir=DEFAULT_CORPUS_DIR)
    services = Services(settings)
    services.index_files.dir.mkdir(parents=True)
    if shared and Path(shared).is_file():
        shutil.copy(shared, services.index_files.onnx_model)
    services.index_files.onnx_model.write_bytes(GARBAGE)
    assert services.repair_index_parts() == [f"re-exported the embedding model {services.index_files.onnx_model}"]
    assert services.embedder.embed(["broadband"]).shape == (1, 384)
