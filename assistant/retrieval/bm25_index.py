"""A small Okapi BM25 index over pre-tokenised documents, persisted as JSON.

Our own small scorer rather than bm25s: the tokens come from our jieba tokenizer, and a
transparent scorer that can score only a *slice* of the documents (the clauses of the
policies covering a place) is simpler than adapting a library's tokenizer and vocabulary.
Scoring is exact. Postings are sorted by document index, so a slice [lo, hi) of each term's
postings is found by binary search: a scoped query costs what the covering policies cost,
whatever the size of the corpus (1,000 policies ≈ 40,000 clauses).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np


class BM25Index:
    """Okapi BM25 (Lucene idf: log(1 + (N - df + .5) / (df + .5)))."""

    def __init__(
        self,
        doc_ids: list[str],
        postings: dict[str, dict[int, int]],
        doc_lens: list[int],
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.doc_ids = doc_ids
        self.k1 = k1
        self.b = b
        self.doc_lens = np.asarray(doc_lens, dtype=np.float32)
        n = len(doc_ids)
        avgdl = float(self.doc_lens.mean()) if n else 1.0
        self._norm = k1 * (1 - b + b * self.doc_lens / max(avgdl, 1e-9))
        # term → (doc indices, precomputed idf * tf * (k1+1) / (tf + norm)) for fast scoring
        self._terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.postings = postings
        for term, plist in postings.items():
            idx = np.fromiter((int(i) for i in plist), dtype=np.int64, count=len(plist))
            tf = np.fromiter(plist.values(), dtype=np.float32, count=len(plist))
            if idx.size > 1 and np.any(idx[1:] < idx[:-1]):
                order = np.argsort(idx, kind="stable")
                idx, tf = idx[order], tf[order]
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            self._terms[term] = (idx, idf * tf * (k1 + 1) / (tf + self._norm[idx]))

    @classmethod
    def build(cls, doc_ids: list[str], docs_tokens: list[list[str]], k1: float = 1.2, b: float = 0.75) -> BM25Index:
        postings: dict[str, dict[int, int]] = {}
        for i, toks in enumerate(docs_tokens):
            for term, tf in Counter(toks).items():
                postings.setdefault(term, {})[i] = tf
        return cls(doc_ids, postings, [len(t) for t in docs_tokens], k1=k1, b=b)

    def __len__(self) -> int:
        return len(self.doc_ids)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every document (a repeated query term counts once per occurrence)."""
        out = np.zeros(len(self.doc_ids), dtype=np.float32)
        for term, qtf in Counter(query_tokens).items():
            entry = self._terms.get(term)
            if entry is not None:
                out[entry[0]] += qtf * entry[1]
        return out

    def top(self, query_tokens: list[str], k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best ``k`` (doc index, score) with a positive score, optionally only where ``mask`` is True."""
        s = self.scores(query_tokens)
        if mask is not None:
            s = np.where(mask, s, 0.0)
        positive = np.flatnonzero(s > 0)
        if positive.size == 0:
            return []
        order = positive[np.argsort(-s[positive], kind="stable")][:k]
        return [(int(i), float(s[i])) for i in order]

    def top_in(self, query_tokens: list[str], k: int, ranges: list[tuple[int, int]]) -> list[tuple[int, float]]:
        """Like :meth:`top`, scoring only documents in the half-open index ``ranges`` (sorted, disjoint)."""
        sizes = [hi - lo for lo, hi in ranges]
        total = sum(sizes)
        if total <= 0 or k <= 0:
            return []
        out = np.zeros(total, dtype=np.float32)
        for term, qtf in Counter(query_tokens).items():
            entry = self._terms.get(term)
            if entry is None:
                continue
            idx, val = entry
            base = 0
            for (lo, hi), size in zip(ranges, sizes, strict=True):
                a, b = np.searchsorted(idx, lo), np.searchsorted(idx, hi)
                if b > a:
                    out[base + idx[a:b] - lo] += qtf * val[a:b]
                base += size
        positive = np.flatnonzero(out > 0)
        if positive.size == 0:
            return []
        order = positive[np.argsort(-out[positive], kind="stable")][:k]
        starts = np.cumsum([0, *sizes[:-1]])
        which = np.searchsorted(starts, order, side="right") - 1
        return [(int(ranges[w][0] + (p - starts[w])), float(out[p])) for p, w in zip(order, which, strict=True)]

    # --- persistence ----------------------------------------------------------------------

    def save(self, path: Path) -> None:
        data = {
            "k1": self.k1,
            "b": self.b,
            "doc_ids": self.doc_ids,
            "doc_lens": [int(x) for x in self.doc_lens],
            "postings": {t: {str(i): tf for i, tf in p.items()} for t, p in self.postings.items()},
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        postings = {t: {int(i): tf for i, tf in p.items()} for t, p in data["postings"].items()}
        return cls(data["doc_ids"], postings, data["doc_lens"], k1=data["k1"], b=data["b"])
