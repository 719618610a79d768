"""Larger corpora for the scale benchmark, made from the five real documents.

* `write_variant_corpus`: numbered variants of the real documents. Variant k is each document
  with " v000kk" inserted before every sentence end (".", "!", "?" after a word) of every line
  that ends a sentence, and at the end of every bullet line; headings and other lines are left
  alone, so parsing and chunk boundaries are the same in every variant (the marker has a fixed
  width). Ids get "-v000kk", titles " (variant k)", and `supersedes` points at the same variant
  of the superseded draft, so edition marking behaves as it does on the real corpus.
* `DerivedEmbedder`: embedding 50,000 chunks (and their ~120,000 sentences) with the real model
  on two cores would take about half an hour, so only variant 1's texts are embedded with the
  real all-MiniLM-L6-v2; a text of variant k is mapped to its variant-1 twin (same text, marker
  "v00001") and gets that real vector plus Gaussian noise of norm ~`noise` (seeded by the text's
  SHA-1, so builds are reproducible), renormalised. Texts with no marker (headings-only chunks
  repeated in every variant) get their real vector unchanged.
"""
from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import yaml

from retrieval.corpus import DocumentInfo
from retrieval.text import is_bullet

_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9%)])([.!?])(?=[\"'”’)]*(?:\s|$))")
_MARKER = re.compile(r" v\d{5}\b")
_ENDS_SENTENCE = (".", "!", "?")


def variant_text(text: str, k: int) -> str:
    marker = f" v{k:05d}"
    lines = []
    for line in text.splitlines():
        if line.rstrip().rstrip("\"'”’)").endswith(_ENDS_SENTENCE):
            line = _SENTENCE_END.sub(lambda m: marker + m.group(1), line)
        elif is_bullet(line) and line.strip():
            line = line.rstrip() + marker
        lines.append(line)
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")


def variant_id(doc_id: str, k: int) -> str:
    return f"{doc_id}-v{k:05d}"


def write_variant_corpus(documents: Sequence[DocumentInfo], variants: int, folder: Path) -> Path:
    """Write variants 1..`variants` of `documents` with a manifest; returns the corpus folder."""
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    entries = []
    for k in range(1, variants + 1):
        for doc in documents:
            new_id = variant_id(doc.id, k)
            (folder / "documents" / f"{new_id}.txt").write_text(variant_text(doc.read_text(), k), encoding="utf-8")
            entries.append({"id": new_id, "title": f"{doc.title} (variant {k})", "status": doc.status,
                            "period_start": doc.period_start, "period_end": doc.period_end,
                            "supersedes": variant_id(doc.supersedes, k) if doc.supersedes else None,
                            "signed_by": doc.signed_by})
    (folder / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, sort_keys=False), encoding="utf-8")
    return folder


def canonical(text: str) -> str:
    return _MARKER.sub(" v00001", text)


class DerivedEmbedder:
    """Real vectors for variant 1's texts (cached in `table_path`), perturbed copies for the rest."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, real_embedder, table_path: Path, noise: float = 0.15):
        self.real = real_embedder
        self.table_path = Path(table_path)
        self.noise = noise
        self.table: dict[str, np.ndarray] = {}
        self.real_embedded = 0
        self.real_seconds = 0.0
        if self.table_path.is_file():
            with np.load(self.table_path) as data:
                self.table = dict(zip(data["keys"].tolist(), data["vectors"]))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import time

        canon = [canonical(t) for t in texts]
        missing = sorted({c for c in canon if c not in self.table})
        if missing:
            started = time.perf_counter()
            self.table.update(zip(missing, self.real.embed(missing)))
            self.real_seconds += time.perf_counter() - started
            self.real_embedded += len(missing)
            self.save()
        out = np.empty((len(texts), len(next(iter(self.table.values())))), dtype=np.float32)
        for row, (text, base) in enumerate(zip(texts, canon)):
            vector = self.table[base]
            if text != base:
                seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little")
                noise = np.random.default_rng(seed).standard_normal(vector.shape[0])
                vector = vector + noise * (self.noise / math.sqrt(vector.shape[0]))
                vector = vector / np.linalg.norm(vector)
            out[row] = vector
        return out

    def save(self) -> None:
        keys = list(self.table)
        np.savez(self.table_path, keys=np.array(keys), vectors=np.vstack([self.table[k] for k in keys]))
