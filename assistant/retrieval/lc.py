"""LangChain surfaces over the hybrid search, imported only by callers that use LangChain.

* :class:`HybridRetriever` — a ``BaseRetriever`` over :class:`~.service.HybridSearchService`.
* :func:`langchain_store` — langchain-chroma's ``Chroma`` over the index's collection.
* :class:`LangChainEmbeddings` — our embeddings as a LangChain ``Embeddings``.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class LangChainEmbeddings(Embeddings):
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)


def langchain_store(client, name: str, embeddings: Any):
    """The LangChain vector store over an existing collection (opened with its stored embedding function)."""
    from langchain_chroma import Chroma

    if not isinstance(embeddings, Embeddings):
        embeddings = LangChainEmbeddings(embeddings)
    return Chroma(
        client=client, collection_name=name, embedding_function=embeddings, create_collection_if_not_exists=False
    )


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the hybrid search; hit fields ride in ``metadata``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: Any
    top_k: int = 5
    policy: str | None = None
    region: str | None = None
    policy_ids: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.service.search(
            query, top_k=self.top_k, policy=self.policy, region=self.region, policy_ids=self.policy_ids
        )
        return [
            Document(page_content=h.text, metadata=h.model_dump(exclude={"text"}), id=f"{h.policy_id}::{h.clause_id}")
            for h in hits
        ]
