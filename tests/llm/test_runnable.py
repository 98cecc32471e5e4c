"""assistant.chains.AskRunnable: the ask pipeline as a LangChain Runnable, and the example chain with the retriever."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda

from assistant.chains import AskRequest, AskRunnable, ask_with_sources
from assistant.contract import AskResponse

Q = "淄博的电商企业实物商品网络零售额5000万元，流量补贴能拿多少？"


@pytest.fixture(scope="module")
def runnable(pipeline):
    return AskRunnable(pipeline)


def test_invoke_with_string_dict_and_model(runnable):
    for value in (Q, {"question": Q}, AskRequest(question=Q), {"input": Q}):
        out = runnable.invoke(value)
        assert isinstance(out, AskResponse) and out.best_total_yuan == 25000


def test_region_and_session_pass_through(runnable):
    first = runnable.invoke({"question": "电商企业实物商品网络零售额5000万元，流量补贴能拿多少？", "region": "淄博"})
    assert first.profile["region"] == "淄博市" and first.best_total_yuan == 25000
    follow = runnable.invoke({"question": "那6000万呢？", "session_id": first.session_id})
    assert follow.session_id == first.session_id and follow.best_total_yuan == 30000


def test_batch_stream_async_and_composition(runnable):
    assert [r.best_total_yuan for r in runnable.batch([Q, Q])] == [25000, 25000]
    chunks = list(runnable.stream(Q))
    assert len(chunks) == 1 and chunks[0].best_total_yuan == 25000
    assert asyncio.run(runnable.ainvoke(Q)).best_total_yuan == 25000
    chain = RunnableLambda(lambda s: s.strip()) | runnable | RunnableLambda(lambda r: r.awards[0].clause_id)
    assert chain.invoke("  " + Q + "  ") == "二"


def test_schemas(runnable):
    assert runnable.get_output_jsonschema()["title"] == "AskResponse"
    schema = runnable.get_input_jsonschema()
    assert {"type": "string"} in schema["anyOf"]


def test_bad_input_is_a_type_error(runnable):
    with pytest.raises(TypeError):
        runnable.invoke(42)


class ListRetriever(BaseRetriever):
    """A stand-in retriever for the composition test (the real one is exercised below)."""

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=f"clause for {query}")]


def test_example_chain_composes_answer_and_clauses(pipeline):
    out = ask_with_sources(pipeline, retriever=ListRetriever()).invoke({"question": Q})
    assert out["answer"].best_total_yuan == 25000
    assert out["clauses"][0].page_content == f"clause for {Q}"


@pytest.mark.slow
def test_example_chain_with_the_real_hybrid_retriever(pipeline, tmp_path_factory):
    from assistant.config import PROJECT_ROOT, Settings
    from assistant.retrieval.service import HybridSearchService

    service = HybridSearchService(
        Settings(index_dir=tmp_path_factory.mktemp("llm-index"), corpus_dir=PROJECT_ROOT / "corpus")
    )
    out = ask_with_sources(pipeline, retriever=service.as_retriever(top_k=3)).invoke(Q)
    assert out["answer"].awards[0].clause_id == "二"
    docs = out["clauses"]
    assert len(docs) == 3
    assert any(d.metadata["policy_id"] == "zibo-2022" and d.metadata["clause_id"] == "二" for d in docs)
