"""Weighted reciprocal-rank fusion of the BM25 and dense rankings.

score(d) = Σ_r  w_r / (k + rank_r(d))      (rank from 1; a list that misses d adds nothing)

RRF uses ranks only, so BM25's unbounded scores and cosine similarities never
need calibrating against each other. The defaults (Settings.rrf_k, bm25_weight,
dense_weight) are tuned with `policy-qa eval retrieval --tune`; the measured
figures behind the chosen values are in the table below.
"""

from __future__ import annotations

from collections.abc import Sequence


def rrf_fuse(rankings: Sequence[Sequence[str]], weights: Sequence[float], k: int) -> list[tuple[str, float]]:
    """Fused (key, score) best first; ties keep the order of first appearance (BM25 first)."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if weight <= 0:
            continue
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    order = {key: i for i, key in enumerate(key for ranking in rankings for key in ranking)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


# The defaults in assistant/config.py (env POLICY_QA_RRF_K …) come from this measurement:
# `policy-qa eval retrieval --tune`, real corpus (97 clauses), tests/retrieval/queries.yaml
# (108 queries: 40 keyword, 68 paraphrase of which 18 held out from tuning):
#                         R@1    R@3    R@5    MRR    paraphrase R@5
#   BM25 alone            .898   .963   .991   .935   .985
#   dense alone           .787   .926   .944   .853   .926
#   RRF k=60, 1 : 1       .852   .982   1.00   .916   1.00   (textbook RRF)
#   RRF k=60, 1 : 0.5     .898   .991   1.00   .945   1.00
#   RRF k=5,  1 : 0.5     .907   .991   1.00   .949   1.00   ← chosen
#   RRF k=1,  1 : 0.5     .926   .982   1.00   .955   1.00   (best MRR, but k=1 is all-or-nothing on rank 1)
# The dense weight is the lever (its rank 1 is right less often than BM25's on policy
# wording); k matters little between 5 and 100. Without the thesaurus (synonyms.py)
# hybrid R@5 is .991 and paraphrase R@5 .985.


def fusion_params(settings) -> tuple[int, float, float]:
    """(rrf_k, bm25_weight, dense_weight) from the settings, whose defaults are the tuned values above."""
    return settings.rrf_k, settings.bm25_weight, settings.dense_weight
