"""Passage vectors kept between builds, so a rebuild after a small corpus edit embeds only what changed.

Keyed by sha1(model name + text); stored next to the builds as one .npz. Saved (atomically) during a
long build so an interrupted build resumes where it stopped, and at the end pruned to exactly the
texts of the latest build so it never grows stale. Only written while the build lock is held.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


class CachedEmbeddings:
    def __init__(self, inner, path: Path, model_name: str) -> None:
        self.inner = inner
        self.path = Path(path)
        self.model_name = model_name
        self.dim = inner.dim
        self._vectors: dict[str, np.ndarray] = self._load()
        self._lock = threading.Lock()
        self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_name}\x00{text}".encode()).hexdigest()

    def _load(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError, EOFError):
            return {}
        if vectors.ndim != 2 or vectors.shape[1] != self.dim or len(vectors) != len(keys):
            return {}  # damaged: pairing keys with vectors by position would be wrong
        return {str(k): v for k, v in zip(keys, vectors, strict=True)}

    def missing(self, texts: Iterable[str]) -> list[str]:
        """Distinct texts with no cached vector, in first-seen order."""
        out: dict[str, None] = {}
        for t in texts:
            if self._key(t) not in self._vectors:
                out.setdefault(t, None)
        return list(out)

    def put_many(self, texts: Sequence[str], vectors) -> None:
        with self._lock:
            for t, v in zip(texts, vectors, strict=True):
                self._vectors[self._key(t)] = np.asarray(v, dtype=np.float32)
            self.misses += len(texts)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vectors[self._key(t)] for t in texts]).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = self.missing(texts)
        if todo:
            self.put_many(todo, self.inner.passage_vectors(todo))
        return self.vectors(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def save(self, keep: Iterable[str] | None = None) -> None:
        """Write the cache; with ``keep``, only the vectors of those texts (the latest build's)."""
        with self._lock:
            if keep is not None:
                wanted = {self._key(t) for t in keep}
                items = [(k, v) for k, v in self._vectors.items() if k in wanted]
            else:
                items = list(self._vectors.items())
        if not items:
            return
        keys = np.array([k for k, _ in items], dtype="U40")
        vectors = np.stack([v for _, v in items]).astype(np.float32)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        os.replace(tmp, self.path)
