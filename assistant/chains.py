"""The ask pipeline as a LangChain ``Runnable``, and an example chain that puts the hybrid
retriever beside it.

``AskRunnable`` takes a question string or ``{"question", "session_id"?, "region"?}`` and returns
the contract's ``AskResponse``; as a proper Runnable it has ``invoke/batch/stream`` (and async
versions), callbacks/tracing through ``config``, and composes with ``|``.
"""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda, RunnableParallel
from pydantic import BaseModel

from assistant.contract import AskResponse


class AskRequest(BaseModel):
    question: str
    session_id: str | None = None
    region: str | None = None


AskInput = str | AskRequest | dict


def as_request(value: Any) -> AskRequest:
    """str / dict / AskRequest → AskRequest (a dict may also carry the question as ``input`` or ``query``)."""
    if isinstance(value, AskRequest):
        return value
    if isinstance(value, str):
        return AskRequest(question=value)
    if isinstance(value, dict):
        data = dict(value)
        if "question" not in data:
            for alt in ("input", "query"):
                if alt in data:
                    data["question"] = data.pop(alt)
                    break
        return AskRequest.model_validate({k: data.get(k) for k in ("question", "session_id", "region") if k in data})
    raise TypeError(
        f"AskRunnable input must be a question string or a dict with 'question', got {type(value).__name__}"
    )


class AskRunnable(Runnable[AskInput, AskResponse]):
    """``AskPipeline.ask`` as a Runnable. ``pipeline``: anything with ``ask(question, session_id=, region=)``
    returning an AskResponse — an AskPipeline, or by default the product's service (assistant.service: the
    process-wide pipeline with the configured model)."""

    name = "AskRunnable"

    def __init__(self, pipeline: Any = None) -> None:
        self._pipeline = pipeline

    @property
    def pipeline(self):
        if self._pipeline is None:
            from assistant import service  # the product's entry point, as any user chain would call it

            self._pipeline = service
        return self._pipeline

    @property
    def InputType(self) -> Any:  # LangChain API
        return AskInput

    @property
    def OutputType(self) -> Any:  # LangChain API
        return AskResponse

    def _ask(self, value: Any) -> AskResponse:
        req = as_request(value)
        return self.pipeline.ask(req.question, session_id=req.session_id, region=req.region)

    def invoke(self, input: AskInput, config: RunnableConfig | None = None, **kwargs: Any) -> AskResponse:
        return self._call_with_config(self._ask, input, config, run_type="chain")


def _question_text(value: Any) -> str:
    return as_request(value).question


def ask_with_sources(pipeline: Any = None, retriever: Any = None) -> Runnable:
    """Example user chain: the answer and the top clauses for the same question, side by side.

    ``retriever``: any LangChain retriever; default ``get_search_service().as_retriever()`` (the
    hybrid BM25 + dense clause search). Output: ``{"answer": AskResponse, "clauses": [Document]}``.
    """
    if retriever is None:
        from assistant.retrieval.service import get_search_service

        retriever = get_search_service().as_retriever()
    return RunnableParallel(answer=AskRunnable(pipeline), clauses=RunnableLambda(_question_text) | retriever)
