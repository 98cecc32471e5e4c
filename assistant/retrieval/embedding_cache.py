"""Passage vectors kept between builds, so a rebuild after a small corpus edit embeds only what changed.

Keyed by sha1(model name + text); stored next to the builds as one .npz, rewritten
(atomically) with exactly the vectors of the latest build so it never grows stale.
Only written while the build lock is held.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    def __init__(self, inner, path: Path, model_name: str) -> None:
        self.inner = inner
        self.path = Path(path)
        self.model_name = model_name
        self.dim = inner.dim
        self._old: dict[str, np.ndarray] = self._load()
        self._used: dict[str, np.ndarray] = {}
        self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_name}\x00{text}".encode("utf-8")).hexdigest()

    def _load(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError):
            return {}
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            return {}
        return {str(k): v for k, v in zip(keys, vectors)}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in self._old and k not in self._used]
        if todo:
            fresh = self.inner.passage_vectors([texts[i] for i in todo])
            for i, vec in zip(todo, fresh):
                self._used[keys[i]] = vec
            self.misses += len(todo)
        out = []
        for k in keys:
            vec = self._used.get(k)
            if vec is None:
                vec = self._used[k] = self._old[k]
            out.append(vec.tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def save(self) -> None:
        if not self._used:
            return
        keys = np.array(list(self._used), dtype="U40")
        vectors = np.stack(list(self._used.values())).astype(np.float32)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        os.replace(tmp, self.path)
