"""The dense side: a persisted Chroma collection of clause chunks, used through langchain-chroma.

The collection is created with our :class:`PolicyEmbeddingFunction` in its configuration,
so a plain ``client.get_collection(name)`` rebuilds our function (never Chroma's
downloading default). Queries are embedded once by the service and passed as vectors.
"""
from __future__ import annotations

from pathlib import Path

import chromadb
import chromadb.config
from langchain_chroma import Chroma
from langchain_core.documents import Document

from .embeddings import PolicyEmbeddingFunction, PolicyEmbeddings


def open_client(path: Path) -> chromadb.ClientAPI:
    """A local persistent Chroma client with telemetry off (offline by construction)."""
    return chromadb.PersistentClient(
        path=str(path), settings=chromadb.config.Settings(anonymized_telemetry=False, allow_reset=False)
    )


def create_collection(client: chromadb.ClientAPI, name: str, backend: str, model_path: str | None):
    """A new cosine-space collection whose stored config names our embedding function."""
    return client.create_collection(
        name=name,
        embedding_function=PolicyEmbeddingFunction(backend=backend, model_path=model_path),
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"description": "policy clauses (policy-qa)"},
    )


def langchain_store(client: chromadb.ClientAPI, name: str, embeddings: PolicyEmbeddings) -> Chroma:
    """The LangChain vector store over an existing collection (opened with its stored embedding function)."""
    return Chroma(
        client=client, collection_name=name, embedding_function=embeddings, create_collection_if_not_exists=False
    )


def where_policies(policy_ids: list[str] | None) -> dict | None:
    if policy_ids is None:
        return None
    if len(policy_ids) == 1:
        return {"policy_id": policy_ids[0]}
    return {"policy_id": {"$in": list(policy_ids)}}


def dense_top(store: Chroma, vector: list[float], k: int, policy_ids: list[str] | None = None) -> list[tuple[Document, float]]:
    """Nearest chunks by cosine similarity (1 - distance), best first."""
    count = store._collection.count()
    if count == 0 or k <= 0 or policy_ids == []:
        return []
    pairs = store.similarity_search_by_vector_with_relevance_scores(
        vector, k=min(k, count), filter=where_policies(policy_ids)
    )
    return [(doc, 1.0 - float(dist)) for doc, dist in pairs]
