"""The hybrid clause search: one object that loads everything once and answers queries.

Haystack-style component: settings validated at construction, one ``run()`` with a
typed output (:class:`SearchOutcome`), ``search()`` for the plain hit list, and a
LangChain ``BaseRetriever`` (:class:`HybridRetriever`) for chains.

Fusion settings and the figures behind them: assistant/retrieval/hybrid.py (fusion_params).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import BaseModel, ConfigDict, Field

from ..config import Settings, get_settings
from ..contract import SearchResponse
from ..models import Hit, PolicyMeta
from ..textnorm import InputError, check_query
from .bm25_index import BM25Index
from .embeddings import embeddings_for_settings
from .highlight import citation, find_highlights, terms_for
from .hybrid import fusion_params, rrf_fuse
from .index_builder import Progress, current_path, ensure_index, read_manifest, staleness
from .records import ClauseRecord, load_snapshot
from .regions import RegionMatch, resolve_region
from .tokenizer import query_tokens, tokenize
from .vector_store import dense_top, langchain_store, open_client

# Dense retrieval returns chunks; several chunks can belong to one clause.
_CHUNK_OVERFETCH = 3


class SearchOutcome(BaseModel):
    """Result of one search: hits best first, plus notes for the caller to show (region caveats)."""

    query: str
    hits: list[Hit] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    region: RegionMatch | None = None
    policy_ids: list[str] | None = None  # the filter actually applied (None = all policies)


class Rankings(BaseModel):
    """Raw per-retriever rankings of clause keys (used by fusion and the evaluation)."""

    bm25: list[str]
    dense: list[str]


class HybridSearchService:
    """BM25 (jieba) + dense (e5 via Chroma) over policy clauses, fused by weighted RRF."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        auto_build: bool = True,
        progress: Progress | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._validate_settings()
        self.expand_synonyms = True
        self.fusion = fusion_params(self.settings)  # (rrf_k, bm25_weight, dense_weight)
        self._lock = threading.RLock()
        if auto_build:
            build_dir = ensure_index(self.settings, progress=progress, log=log)
        else:
            link = current_path(self.settings)
            if not link.exists():
                raise FileNotFoundError(f"检索索引不存在：{link}（请先运行 policy-qa index）")
            build_dir = link.resolve()
        self._load(build_dir)

    def _validate_settings(self) -> None:
        _k, wb, wd = fusion_params(self.settings)
        if wb < 0 or wd < 0 or (wb == 0 and wd == 0):
            raise ValueError("bm25_weight 与 dense_weight 不能为负，且不能同时为 0")
        if self.settings.candidates < self.settings.default_top_k:
            raise ValueError("candidates 不能小于 default_top_k")

    def _load(self, build_dir: Path) -> None:
        manifest = read_manifest(build_dir)
        if manifest is None:
            raise RuntimeError(f"索引清单缺失：{build_dir}")
        records, policies = load_snapshot(build_dir / "clauses.json")
        self.build_dir = build_dir
        self.manifest = manifest
        self.records: dict[str, ClauseRecord] = {r.key: r for r in records}
        self.policies: dict[str, PolicyMeta] = {p.id: p for p in policies}
        self.bm25 = BM25Index.load(build_dir / "bm25.json")
        self._bm25_policy = [self.records[k].policy_id for k in self.bm25.doc_ids]
        self.embeddings = embeddings_for_settings(self.settings)
        self.client = open_client(build_dir / "chroma")
        self.store = langchain_store(self.client, manifest.collection_name, self.embeddings)
        self.chunk_count = self.store._collection.count()
        # Warm-up: the first embedding and the first jieba cut pay one-off costs.
        self.embeddings.query_vector("预热")
        tokenize("预热 网络零售额")

    # --- maintenance --------------------------------------------------------------------------

    def refresh_if_stale(self, log: Callable[[str], None] | None = None) -> bool:
        """Rebuild and reload when the corpus or recipe changed since load; True if reloaded."""
        with self._lock:
            if staleness(self.settings) is None and current_path(self.settings).resolve() == self.build_dir:
                return False
            self._load(ensure_index(self.settings, log=log))
            return True

    # --- searching ----------------------------------------------------------------------------

    def resolve_filter(self, policy: str | None, region: str | None) -> tuple[list[str] | None, RegionMatch | None, list[str]]:
        """(policy ids to search or None for all, region match, notes)."""
        notes: list[str] = []
        ids: list[str] | None = None
        match = None
        if policy:
            policy = policy.strip()
            if policy not in self.policies:
                raise InputError(
                    f"未知的政策编号「{policy}」，可选：{'、'.join(sorted(self.policies))}。", "unknown_policy"
                )
            ids = [policy]
        if region and region.strip():
            match = resolve_region(region, list(self.policies.values()))
            if match.message:
                notes.append(match.message)
            region_ids = match.policy_ids
            ids = region_ids if ids is None else [i for i in ids if i in region_ids]
            if policy and not ids:
                notes.append(f"政策「{policy}」不适用于「{region}」。")
        return ids, match, notes

    def rankings(self, query: str, policy_ids: list[str] | None = None, k: int | None = None) -> Rankings:
        """Per-retriever clause rankings for an already normalised query."""
        k = k or self.settings.candidates
        if policy_ids == []:
            return Rankings(bm25=[], dense=[])
        mask = None
        if policy_ids is not None:
            import numpy as np

            allowed = set(policy_ids)
            mask = np.fromiter((p in allowed for p in self._bm25_policy), dtype=bool, count=len(self._bm25_policy))
        bm25 = [self.bm25.doc_ids[i] for i, _ in self.bm25.top(query_tokens(query, self.expand_synonyms), k, mask)]
        vector = self.embeddings.query_vector(query).tolist()
        with self._lock:
            pairs = dense_top(self.store, vector, k * _CHUNK_OVERFETCH, policy_ids)
        dense: list[str] = []
        for doc, _sim in pairs:  # chunks come best first: a clause ranks by its best chunk
            key = doc.metadata.get("key")
            if key in self.records and key not in dense:
                dense.append(key)
        return Rankings(bm25=bm25, dense=dense[:k])

    def fuse(self, r: Rankings, *, rrf_k: int | None = None, bm25_weight: float | None = None,
             dense_weight: float | None = None) -> list[tuple[str, float]]:
        k0, wb0, wd0 = self.fusion
        return rrf_fuse(
            [r.bm25, r.dense],
            [wb0 if bm25_weight is None else bm25_weight, wd0 if dense_weight is None else dense_weight],
            k0 if rrf_k is None else rrf_k,
        )

    def run(self, query: str, top_k: int | None = None, policy: str | None = None, region: str | None = None) -> SearchOutcome:
        """Search; raises InputError for an empty/oversized query or an unknown policy id."""
        text = check_query(query, self.settings.max_search_chars, "查询")
        top_k = self.settings.default_top_k if top_k is None else top_k
        if top_k <= 0:
            raise InputError("返回条数必须为正整数。", "bad_top_k")
        ids, match, notes = self.resolve_filter(policy, region)
        if ids == []:
            return SearchOutcome(query=text, notes=notes, region=match, policy_ids=ids)
        r = self.rankings(text, ids, max(self.settings.candidates, top_k))
        fused = self.fuse(r)[:top_k]
        bm25_rank = {k: i for i, k in enumerate(r.bm25, start=1)}
        dense_rank = {k: i for i, k in enumerate(r.dense, start=1)}
        terms = terms_for(text)
        hits = []
        for key, score in fused:
            rec = self.records[key]
            hits.append(
                Hit(
                    policy_id=rec.policy_id,
                    clause_id=rec.clause_id,
                    text=rec.text,
                    score=round(score, 6),
                    heading=rec.heading,
                    policy_title=rec.policy_title,
                    citation=citation(rec.policy_title, rec.clause_id),
                    bm25_rank=bm25_rank.get(key),
                    dense_rank=dense_rank.get(key),
                    highlights=find_highlights(terms, rec.text),
                )
            )
        return SearchOutcome(query=text, hits=hits, notes=notes, region=match, policy_ids=ids)

    def search(self, query: str, top_k: int = 5, policy: str | None = None, region: str | None = None) -> list[Hit]:
        return self.run(query, top_k=top_k, policy=policy, region=region).hits

    def search_response(self, query: str, top_k: int = 5, policy: str | None = None,
                        region: str | None = None) -> SearchResponse:
        """The contract form: input problems and unknown places come back in ``error``, not as exceptions."""
        try:
            outcome = self.run(query, top_k=top_k, policy=policy, region=region)
        except InputError as exc:
            return SearchResponse(hits=[], error=str(exc))
        if outcome.region is not None and not outcome.region.known:
            return SearchResponse(hits=[], error=outcome.region.message)
        return SearchResponse(hits=outcome.hits, notes=outcome.notes)

    def as_retriever(self, **kwargs) -> "HybridRetriever":
        return HybridRetriever(service=self, **kwargs)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over :class:`HybridSearchService`; hit fields ride in ``metadata``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: HybridSearchService
    top_k: int = 5
    policy: str | None = None
    region: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.service.search(query, top_k=self.top_k, policy=self.policy, region=self.region)
        return [
            Document(page_content=h.text, metadata=h.model_dump(exclude={"text"}), id=f"{h.policy_id}::{h.clause_id}")
            for h in hits
        ]


_services: dict[tuple, HybridSearchService] = {}
_services_lock = threading.Lock()


def _settings_key(s: Settings) -> tuple:
    return (str(s.index_dir), str(s.corpus_dir), s.embedding_backend, str(s.embedding_model_path),
            s.collection_name, fusion_params(s), s.candidates)


def get_search_service(settings: Settings | None = None, *, progress: Progress | None = None) -> HybridSearchService:
    """The process-wide service for these settings (built on first use, rebuilt if stale)."""
    settings = settings or get_settings()
    key = _settings_key(settings)
    with _services_lock:
        svc = _services.get(key)
        if svc is None:
            svc = HybridSearchService(settings, progress=progress)
            _services[key] = svc
        return svc


