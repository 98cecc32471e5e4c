"""The hybrid clause search: one object that loads everything once and answers queries.

Haystack-style component: settings validated at construction, one ``run()`` with a
typed output (:class:`SearchOutcome`), ``search()`` for the plain hit list, and a
LangChain ``BaseRetriever`` (:class:`HybridRetriever`) for chains.

Fusion settings and the figures behind them: assistant/retrieval/hybrid.py (fusion_params).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

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
from .regions import RegionMatch, place_policies, resolve_region
from .tokenizer import query_tokens, tokenize
from .vector_store import dense_top, get_collection, open_client

if TYPE_CHECKING:
    from .health import IndexHealth

# Dense retrieval returns chunks; several chunks can belong to one clause.
_CHUNK_OVERFETCH = 3
_LEVEL_RANK = {"province": 0, "city": 1, "district": 2}


class IndexUnavailable(OSError):
    """The index is damaged and cannot be rebuilt here; the message (Chinese) says what to do."""


def _log_warning(message: str) -> None:
    import logging

    logging.getLogger(__name__).warning(message)


class SearchOutcome(BaseModel):
    """Result of one search: hits best first, plus notes for the caller to show (region caveats)."""

    query: str
    hits: list[Hit] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    region: RegionMatch | None = None
    policy_ids: list[str] | None = None  # the filter actually applied (None = all policies)
    places: list[str] = Field(default_factory=list)  # where the hits' policies apply, in hit order
    preferred: list[str] = Field(
        default_factory=list
    )  # policies with hits ranked first: they cover a place the query names


class Rankings(BaseModel):
    """Raw per-retriever rankings of clause keys (used by fusion and the evaluation)."""

    bm25: list[str]
    dense: list[str]
    first: Rankings | None = None  # rankings within the policies of a place the query names: ranked first

    def merged(self) -> Rankings:
        """One list per retriever: the place's keys first, then the rest."""
        if self.first is None:
            return self
        head_b, head_d = self.first.bm25, self.first.dense
        seen = set(head_b) | set(head_d)
        return Rankings(
            bm25=head_b + [k for k in self.bm25 if k not in seen],
            dense=head_d + [k for k in self.dense if k not in seen],
        )


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
        self._log = log
        if auto_build:
            try:
                self._load(ensure_index(self.settings, progress=progress, log=log))
            except OSError as exc:
                if current_path(self.settings).exists() and staleness(self.settings, verify=True) is None:
                    raise  # e.g. a read-only index directory: nothing to heal here
                raise IndexUnavailable(
                    f"检索索引无法准备（{exc}）。请检查 {self.settings.index_dir} 的权限后运行 policy-qa index --force。"
                ) from exc
            except Exception as exc:  # damage the checksums cannot see: rebuild once
                self._heal(exc, progress)
        else:
            link = current_path(self.settings)
            if not link.exists():
                raise FileNotFoundError(f"检索索引不存在：{link}（请先运行 policy-qa index）")
            self._load(link.resolve())

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
        from ..compiled_cache import compiled

        # The build's JSON files parsed once, then unpickled (1,000 policies: 0.2 s instead of 0.9 s).
        snapshot, bm25_file = build_dir / "clauses.json", build_dir / "bm25.json"
        where = hashlib.sha256(str(build_dir.parent.resolve()).encode()).hexdigest()[:8]  # one kept per index dir
        records, policies = compiled(f"index-snapshot-{where}", [snapshot], lambda: load_snapshot(snapshot))
        self.build_dir = build_dir
        self.manifest = manifest
        self.records: dict[str, ClauseRecord] = {r.key: r for r in records}
        self.policies: dict[str, PolicyMeta] = {p.id: p for p in policies}
        self.bm25 = compiled(f"index-bm25-{where}", [bm25_file], lambda: BM25Index.load(bm25_file))
        # Each policy's clauses as runs of BM25 document indices: a scoped query scores only these.
        self._slices: dict[str, list[tuple[int, int]]] = {}
        for i, key in enumerate(self.bm25.doc_ids):
            runs = self._slices.setdefault(self.records[key].policy_id, [])
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        self._jrank = {p.id: _jurisdiction_rank(p) for p in self.policies.values()}
        self.embeddings = embeddings_for_settings(self.settings)
        self.client = open_client(build_dir / "chroma", manifest.chroma_url)
        self.collection = get_collection(self.client, manifest.collection_name)
        self.chunk_count = manifest.chunk_count  # from the manifest: no count() per query
        # Warm-up: the first embedding and the first jieba cut pay one-off costs.
        self.embeddings.query_vector("预热")
        tokenize("预热 网络零售额")

    # --- maintenance --------------------------------------------------------------------------

    def _heal(self, exc: BaseException, progress: Progress | None = None) -> None:
        """Rebuild the index from the corpus (not from the damaged build) and reload; IndexUnavailable if
        that is impossible."""
        from .index_builder import build_index, build_lock

        (self._log or _log_warning)(f"检索索引读取失败（{type(exc).__name__}: {exc}），正在重建……")
        with self._lock:
            try:
                with build_lock(Path(self.settings.index_dir)):
                    build_dir = build_index(self.settings, progress, incremental=False)
                self._load(build_dir)
            except Exception as again:
                raise IndexUnavailable(
                    f"检索索引已损坏，且无法自动重建（{type(again).__name__}: {again}）。"
                    f"请检查 {self.settings.index_dir} 后运行 policy-qa index --force。"
                ) from again

    def health(self) -> IndexHealth:
        """The index's state for /healthz: files against the manifest, then one real scoped search."""
        from .health import IndexHealth, index_health

        report = index_health(self.settings)
        if report.status != "ok":
            return report
        if report.build != self.build_dir.name:
            return IndexHealth(
                status="stale",
                detail="已有更新的索引，本进程尚未加载",
                build=self.build_dir.name,
                policies=len(self.policies),
                chunks=self.chunk_count,
            )
        try:
            self.rankings("健康检查", None, 1)
        except Exception as exc:
            return IndexHealth(
                status="damaged",
                detail=f"试检索失败：{type(exc).__name__}: {exc}",
                build=self.build_dir.name,
                policies=len(self.policies),
                chunks=self.chunk_count,
            )
        return report

    def refresh_if_stale(self, log: Callable[[str], None] | None = None) -> bool:
        """Rebuild and reload when the corpus or recipe changed since load; True if reloaded."""
        with self._lock:
            if staleness(self.settings) is None and current_path(self.settings).resolve() == self.build_dir:
                return False
            self._load(ensure_index(self.settings, log=log))
            return True

    # --- searching ----------------------------------------------------------------------------

    def resolve_filter(
        self, policy: str | None, region: str | None
    ) -> tuple[list[str] | None, RegionMatch | None, list[str]]:
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

    def rankings(self, query: str, policy_ids: Sequence[str] | None = None, k: int | None = None) -> Rankings:
        """Per-retriever clause rankings for an already normalised query, searching only ``policy_ids``
        (None = every policy): BM25 scores only those policies' postings slices, Chroma filters by
        ``where policy_id``, so other places' clauses never crowd the candidates."""
        k = k or self.settings.candidates
        if policy_ids is not None:
            policy_ids = [p for p in dict.fromkeys(policy_ids) if p in self._slices]
            if not policy_ids:
                return Rankings(bm25=[], dense=[])
        tokens = query_tokens(query, self.expand_synonyms)
        if policy_ids is None:
            top = self.bm25.top(tokens, k)
        else:
            ranges = sorted(r for p in policy_ids for r in self._slices[p])
            top = self.bm25.top_in(tokens, k, ranges)
        bm25 = [self.bm25.doc_ids[i] for i, _ in top]
        vector = self.embeddings.query_vector(query).tolist()  # outside any lock (see embeddings.py)
        pairs = dense_top(self.collection, vector, k * _CHUNK_OVERFETCH, policy_ids, self.chunk_count)
        dense: list[str] = []
        for key, _sim in pairs:  # chunks come best first: a clause ranks by its best chunk
            if key in self.records and key not in dense:
                dense.append(key)
        return Rankings(bm25=bm25, dense=dense[:k])

    def fuse(
        self,
        r: Rankings,
        *,
        rrf_k: int | None = None,
        bm25_weight: float | None = None,
        dense_weight: float | None = None,
    ) -> list[tuple[str, float]]:
        """Weighted RRF; equal scores go to the broader jurisdiction (a city's clause before the same
        clause of one of its counties), then keep fusion order."""
        if r.first is not None:
            head = self.fuse(r.first, rrf_k=rrf_k, bm25_weight=bm25_weight, dense_weight=dense_weight)
            seen = {key for key, _ in head}
            rest = self.fuse(
                Rankings(bm25=r.bm25, dense=r.dense), rrf_k=rrf_k, bm25_weight=bm25_weight, dense_weight=dense_weight
            )
            return head + [kv for kv in rest if kv[0] not in seen]
        k0, wb0, wd0 = self.fusion
        fused = rrf_fuse(
            [r.bm25, r.dense],
            [wb0 if bm25_weight is None else bm25_weight, wd0 if dense_weight is None else dense_weight],
            k0 if rrf_k is None else rrf_k,
        )
        return sorted(fused, key=lambda kv: (-round(kv[1], 9), self._jrank.get(self.records[kv[0]].policy_id, 9)))

    def ranked(self, text: str, ids: Sequence[str] | None, k: int | None = None) -> Rankings:
        """Rankings for a normalised query as :meth:`run` searches it.

        Unscoped (``ids`` None) and the query names a place some policies cover (「济南的分公司…」):
        those policies' clauses are searched on their own and ranked first (``Rankings.first``), the
        rest follow — so the place's clauses are found however many other places the corpus holds."""
        k = max(self.settings.candidates, k or 0)
        preferred = self.place_policies(text) if ids is None else []
        if not preferred:
            return self.rankings(text, ids, k)
        rest = self.rankings(text, None, k)
        return Rankings(bm25=rest.bm25, dense=rest.dense, first=self.rankings(text, preferred, k))

    def _distinct(self, fused: list[tuple[str, float]], top_k: int) -> list[tuple[str, float]]:
        """Unscoped results without near-copies: when several places adopted the same clause (same number,
        heading and text but for the place names), the best-ranked one stands for them and the other
        top places get a different clause; the copies fill up only when nothing else is left."""
        from difflib import SequenceMatcher

        kept: list[tuple[str, float]] = []
        copies: list[tuple[str, float]] = []
        for key, score in fused:
            rec = self.records[key]
            same = any(
                o.clause_id == rec.clause_id
                and o.heading == rec.heading
                and o.policy_id != rec.policy_id
                and SequenceMatcher(None, o.text, rec.text).quick_ratio() >= 0.9
                for o in (self.records[k] for k, _ in kept)
            )
            (copies if same else kept).append((key, score))
            if len(kept) >= top_k:
                break
        return (kept + copies)[:top_k]

    def place_policies(self, text: str) -> list[str]:
        """Policies covering the place the query text names ([] when it names none, or none covers it)."""
        return [p for p in place_policies(text, list(self.policies.values())) if p in self._slices]

    def run(
        self,
        query: str,
        top_k: int | None = None,
        policy: str | None = None,
        region: str | None = None,
        policy_ids: Sequence[str] | None = None,
    ) -> SearchOutcome:
        """Search; raises InputError for an empty/oversized query or an unknown policy id.

        ``policy_ids`` scopes the search to these policies *before* ranking (the ask pipeline passes the
        policies covering the asker's place); it combines with ``policy``/``region`` as an intersection.
        """
        text = check_query(query, self.settings.max_search_chars, "查询")
        top_k = self.settings.default_top_k if top_k is None else top_k
        if top_k <= 0:
            raise InputError("返回条数必须为正整数。", "bad_top_k")
        ids, match, notes = self.resolve_filter(policy, region)
        if policy_ids is not None:
            scope = list(dict.fromkeys(policy_ids))
            ids = scope if ids is None else [i for i in ids if i in scope]
        if ids == []:
            return SearchOutcome(query=text, notes=notes, region=match, policy_ids=ids)
        try:
            r = self.ranked(text, ids, top_k)
        except Exception as exc:  # a read error: rebuild once, then answer or refuse cleanly
            self._heal(exc)
            r = self.ranked(text, ids, top_k)
        fused = self.fuse(r)
        fused = fused[:top_k] if ids is not None else self._distinct(fused, top_k)
        preferred = sorted({self.records[k].policy_id for k in r.first.bm25 + r.first.dense}) if r.first else []
        m = r.merged()
        bm25_rank = {k: i for i, k in enumerate(m.bm25, start=1)}
        dense_rank = {k: i for i, k in enumerate(m.dense, start=1)}
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
        places = list(
            dict.fromkeys(self.policies[h.policy_id].jurisdiction.name for h in hits if h.policy_id in self.policies)
        )
        return SearchOutcome(
            query=text, hits=hits, notes=notes, region=match, policy_ids=ids, places=places, preferred=preferred
        )

    def search(
        self,
        query: str,
        top_k: int = 5,
        policy: str | None = None,
        region: str | None = None,
        policy_ids: Sequence[str] | None = None,
    ) -> list[Hit]:
        return self.run(query, top_k=top_k, policy=policy, region=region, policy_ids=policy_ids).hits

    def search_response(
        self,
        query: str,
        top_k: int = 5,
        policy: str | None = None,
        region: str | None = None,
        policy_ids: Sequence[str] | None = None,
    ) -> SearchResponse:
        """The contract form: input problems and unknown places come back in ``error``, not as exceptions."""
        try:
            outcome = self.run(query, top_k=top_k, policy=policy, region=region, policy_ids=policy_ids)
        except InputError as exc:
            return SearchResponse(hits=[], error=str(exc))
        if outcome.region is not None and not outcome.region.known:
            return SearchResponse(hits=[], error=outcome.region.message)
        return SearchResponse(hits=outcome.hits, notes=outcome.notes)

    def as_retriever(self, **kwargs):
        """A LangChain retriever over this service (LangChain is imported only here)."""
        from .lc import HybridRetriever

        return HybridRetriever(service=self, **kwargs)


def _jurisdiction_rank(meta: PolicyMeta) -> int:
    j = meta.jurisdiction
    return _LEVEL_RANK["district" if j.district else "city" if j.city else "province"]


def __getattr__(name: str):  # HybridRetriever used to live here
    if name == "HybridRetriever":
        from .lc import HybridRetriever

        return HybridRetriever
    raise AttributeError(name)


_services: dict[tuple, HybridSearchService] = {}
_services_lock = threading.Lock()


def _settings_key(s: Settings) -> tuple:
    return (
        str(s.index_dir),
        str(s.corpus_dir),
        s.embedding_backend,
        str(s.embedding_model_path),
        s.collection_name,
        fusion_params(s),
        s.candidates,
    )


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
