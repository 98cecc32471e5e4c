"""Retrieval evaluation: recall@1/3/5 and MRR for BM25 alone, dense alone and the hybrid.

All three are computed in one pass from the same per-query rankings, so the
comparison is exact; :func:`tune` re-fuses those cached rankings over a grid of
RRF settings (no re-embedding), which is how the defaults were chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, field_validator

from ..config import PROJECT_ROOT
from .service import HybridSearchService, Rankings

DEFAULT_QUERIES = PROJECT_ROOT / "tests" / "retrieval" / "queries.yaml"
METHODS = ("bm25", "dense", "hybrid")
KS = (1, 3, 5)


class EvalQuery(BaseModel):
    q: str
    expect: list[str]  # "policy_id clause_id"; any of them is a correct answer
    kind: Literal["keyword", "paraphrase"]
    policy: str | None = None
    region: str | None = None

    @field_validator("expect", mode="before")
    @classmethod
    def _listify(cls, v):
        return [v] if isinstance(v, str) else v

    @property
    def expected_keys(self) -> set[str]:
        out = set()
        for item in self.expect:
            policy_id, _, clause_id = item.strip().partition(" ")
            out.add(f"{policy_id}::{clause_id.strip()}")
        return out


class Metrics(BaseModel):
    n: int = 0
    recall: dict[int, float] = Field(default_factory=dict)  # k → recall@k
    mrr: float = 0.0


class QueryResult(BaseModel):
    q: str
    kind: str
    expect: list[str]
    rank: dict[str, int | None]  # method → rank of the first relevant clause (None = not in top 5)
    top: dict[str, list[str]]  # method → top-5 keys


class EvalReport(BaseModel):
    overall: dict[str, Metrics]
    by_kind: dict[str, dict[str, Metrics]]
    queries: list[QueryResult]
    settings: dict


def load_queries(path: Path | str | None = None) -> list[EvalQuery]:
    data = yaml.safe_load(Path(path or DEFAULT_QUERIES).read_text(encoding="utf-8"))
    return [EvalQuery.model_validate(item) for item in data]


def _rank(ranking: Sequence[str], relevant: set[str], depth: int = max(KS)) -> int | None:
    for i, key in enumerate(ranking[:depth], start=1):
        if key in relevant:
            return i
    return None


def metrics(ranks: Iterable[int | None]) -> Metrics:
    ranks = list(ranks)
    n = len(ranks)
    if not n:
        return Metrics()
    return Metrics(
        n=n,
        recall={k: round(sum(1 for r in ranks if r is not None and r <= k) / n, 4) for k in KS},
        mrr=round(sum(1.0 / r for r in ranks if r is not None) / n, 4),
    )


def collect_rankings(service: HybridSearchService, queries: Sequence[EvalQuery]) -> list[Rankings]:
    """Per-query BM25 and dense rankings, with each query's filters applied as the CLI would."""
    from ..textnorm import check_query

    out = []
    for item in queries:
        ids, _match, _notes = service.resolve_filter(item.policy, item.region)
        text = check_query(item.q, service.settings.max_search_chars)
        out.append(service.ranked(text, ids))
    return out


def score(
    service: HybridSearchService, queries: Sequence[EvalQuery], rankings: Sequence[Rankings], **fusion
) -> EvalReport:
    results: list[QueryResult] = []
    for item, r in zip(queries, rankings, strict=True):
        m = r.merged()
        lists = {"bm25": m.bm25, "dense": m.dense, "hybrid": [k for k, _ in service.fuse(r, **fusion)]}
        relevant = item.expected_keys
        results.append(
            QueryResult(
                q=item.q,
                kind=item.kind,
                expect=item.expect,
                rank={m: _rank(lists[m], relevant) for m in METHODS},
                top={m: lists[m][: max(KS)] for m in METHODS},
            )
        )
    kinds = sorted({r.kind for r in results})
    s = service.settings
    k0, wb0, wd0 = service.fusion
    return EvalReport(
        overall={m: metrics(r.rank[m] for r in results) for m in METHODS},
        by_kind={k: {m: metrics(r.rank[m] for r in results if r.kind == k) for m in METHODS} for k in kinds},
        queries=results,
        settings={
            "rrf_k": fusion.get("rrf_k", k0),
            "bm25_weight": fusion.get("bm25_weight", wb0),
            "dense_weight": fusion.get("dense_weight", wd0),
            "candidates": s.candidates,
            "embedding_model": service.manifest.embedding_model,
        },
    )


def evaluate(service: HybridSearchService, queries: Sequence[EvalQuery] | None = None) -> EvalReport:
    queries = list(queries) if queries is not None else load_queries()
    return score(service, queries, collect_rankings(service, queries))


def tune(
    service: HybridSearchService,
    queries: Sequence[EvalQuery] | None = None,
    rrf_ks: Sequence[int] = (1, 5, 10, 20, 30, 60, 100),
    dense_weights: Sequence[float] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0),
) -> list[dict]:
    """Hybrid figures over a grid (bm25_weight fixed at 1), best first by (recall@5, MRR, recall@1)."""
    queries = list(queries) if queries is not None else load_queries()
    rankings = collect_rankings(service, queries)
    rows = []
    for k in rrf_ks:
        for w in dense_weights:
            rep = score(service, queries, rankings, rrf_k=k, bm25_weight=1.0, dense_weight=w)
            h = rep.overall["hybrid"]
            p = rep.by_kind.get("paraphrase", {}).get("hybrid", Metrics())
            rows.append(
                {
                    "rrf_k": k,
                    "dense_weight": w,
                    "r1": h.recall[1],
                    "r3": h.recall[3],
                    "r5": h.recall[5],
                    "mrr": h.mrr,
                    "para_r5": p.recall.get(5, 0.0),
                }
            )
    rows.sort(key=lambda r: (r["r5"], r["para_r5"], r["mrr"], r["r1"]), reverse=True)
    return rows


def format_report(report: EvalReport) -> str:
    """A plain-text table: one row per (scope, method)."""
    lines = [f"{'范围':<12}{'方法':<8}{'n':>4}{'R@1':>8}{'R@3':>8}{'R@5':>8}{'MRR':>8}"]
    scopes = [("overall", report.overall)] + [(k, v) for k, v in report.by_kind.items()]
    for scope, per_method in scopes:
        for m in METHODS:
            x = per_method[m]
            lines.append(
                f"{scope:<12}{m:<8}{x.n:>4}{x.recall[1]:>8.3f}{x.recall[3]:>8.3f}{x.recall[5]:>8.3f}{x.mrr:>8.3f}"
            )
    s = report.settings
    lines.append(
        f"fusion: rrf_k={s['rrf_k']} bm25_weight={s['bm25_weight']} dense_weight={s['dense_weight']} "
        f"candidates={s['candidates']} model={s['embedding_model']}"
    )
    misses = [q for q in report.queries if q.rank["hybrid"] is None or q.rank["hybrid"] > 1]
    if misses:
        lines.append("hybrid 未排第一的查询：")
        for q in misses:
            got = q.top["hybrid"][0] if q.top["hybrid"] else "-"
            lines.append(f"  [{q.kind}] {q.q} → rank={q.rank['hybrid']} 期望 {'/'.join(q.expect)} 首位 {got}")
    return "\n".join(lines)
