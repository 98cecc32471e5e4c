"""The dense side: a Chroma collection of clause chunks, queried with vectors we embed ourselves.

The collection is created with our :class:`PolicyEmbeddingFunction` in its configuration,
so a plain ``client.get_collection(name)`` rebuilds our function (never Chroma's
downloading default). Queries go straight to ``collection.query`` (the LangChain store over
the same collection is in :mod:`.lc`, for chains); each build writes a collection with its own
versioned name, so a rebuild on a shared Chroma server switches atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import chromadb
import chromadb.config
from chromadb.api.collection_configuration import CreateHNSWConfiguration

from .embeddings import PolicyEmbeddingFunction

WRITE_BATCH = 4096  # chunks per Chroma add: one sqlite transaction and HNSW insert per batch
# Chroma applies its write-ahead log to the HNSW files every ``batch_size`` records and persists them
# every ``sync_threshold``; with the defaults (100/1000) the tail of a build stays in the log, and every
# reader replays it and rewrites the HNSW files on open — so their checksums could never be pinned,
# and each start-up paid the replay. At 2/2 a build leaves nothing in the log (measured: no slower).
HNSW_CONFIG: CreateHNSWConfiguration = {"space": "cosine", "batch_size": 2, "sync_threshold": 2}


def _chroma_settings() -> chromadb.config.Settings:
    return chromadb.config.Settings(anonymized_telemetry=False, allow_reset=False)


def open_client(path: Path, url: str | None = None) -> chromadb.ClientAPI:
    """A Chroma client with telemetry off: the server at ``url`` (POLICY_QA_CHROMA_URL) when given,
    else the embedded persistent store at ``path`` (offline by construction)."""
    if url:
        return http_client(url)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def http_client(url: str) -> chromadb.ClientAPI:
    from urllib.parse import urlparse

    u = urlparse(url if "://" in url else f"http://{url}")
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ValueError(f"POLICY_QA_CHROMA_URL 应为 http(s)://主机:端口，收到：{url}")
    return chromadb.HttpClient(
        host=u.hostname,
        port=u.port or (443 if u.scheme == "https" else 8000),
        ssl=u.scheme == "https",
        settings=_chroma_settings(),
    )


def drop_old_collections(client: chromadb.ClientAPI, base: str, keep: set[str]) -> None:
    """Delete this index's collections other than ``keep`` (the new one and the one readers may still use)."""
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name  # chromadb 0.6 listed names, not collections
        if name.startswith(f"{base}_") and name not in keep:
            try:
                client.delete_collection(name)
            except Exception:  # another builder removed it first
                pass


def create_collection(client: chromadb.ClientAPI, name: str, backend: str, model_path: str | None):
    """A new cosine-space collection whose stored config names our embedding function."""
    return client.create_collection(
        name=name,
        # chromadb types this EmbeddingFunction[Documents | Images] (its TypeVar is contravariant), so a text-only
        # function, the kind its own docs define, never matches the stub.
        embedding_function=PolicyEmbeddingFunction(backend=backend, model_path=model_path),  # type: ignore[arg-type]
        configuration={"hnsw": HNSW_CONFIG.copy()},
        metadata={"description": "policy clauses (policy-qa)"},
    )


def get_collection(client: chromadb.ClientAPI, name: str):
    return client.get_collection(name)


def add_chunks(collection, ids: Sequence[str], vectors, documents: Sequence[str], metadatas: Sequence[dict]) -> None:
    """Write chunks in large batches (Chroma's own limit per call is respected)."""
    limit = WRITE_BATCH
    try:
        limit = min(limit, int(collection._client.get_max_batch_size()))
    except Exception:  # older clients have no limit query
        pass
    for start in range(0, len(ids), limit):
        end = start + limit
        collection.add(
            ids=list(ids[start:end]),
            embeddings=vectors[start:end],
            documents=list(documents[start:end]),
            metadatas=list(metadatas[start:end]),
        )


def where_policies(policy_ids: Sequence[str] | None) -> dict | None:
    if policy_ids is None:
        return None
    if len(policy_ids) == 1:
        return {"policy_id": policy_ids[0]}
    return {"policy_id": {"$in": list(policy_ids)}}


def dense_top(
    collection, vector: list[float], k: int, policy_ids: Sequence[str] | None = None, count: int | None = None
) -> list[tuple[str, float]]:
    """Nearest chunks (clause key, cosine similarity), best first; ``count`` caps k without asking Chroma.

    Only ids and distances are fetched — a chunk id is ``<clause key>#<n>`` — because reading the
    metadata back from sqlite tripled the query time (90 chunks: 6.0 → 1.8 ms)."""
    if k <= 0 or policy_ids == [] or count == 0:
        return []
    res = collection.query(
        query_embeddings=[vector],
        n_results=min(k, count) if count else k,
        where=where_policies(policy_ids),
        include=["distances"],
    )
    ids = (res.get("ids") or [[]])[0] or []
    dists = (res.get("distances") or [[]])[0] or []
    return [(i.rsplit("#", 1)[0], 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]
