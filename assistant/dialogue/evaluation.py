"""`policy-qa eval qa`: run the hand-computed question set through the ask service.

Format of the set: tests/qa/README.md. Each single-turn question runs in a fresh
session; each multi-turn conversation runs its turns in one session.
"""
from __future__ import annotations

import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

from ..contract import AskResponse

LIVE = {"eligible", "conditional"}


def _nfkc(s: Any) -> str:
    return unicodedata.normalize("NFKC", str(s))


def _amount_matches(award: dict, amount: Any) -> bool:
    got = award.get("amount_yuan")
    if amount is None:
        return got is None
    return got is not None and Decimal(str(got)) == Decimal(str(amount))


def _matches(award: dict, spec: dict) -> bool:
    if award.get("policy_id") != spec["policy"]:
        return False
    if "clause" in spec and _nfkc(award.get("clause_id")) != _nfkc(spec["clause"]):
        return False
    if "amount" in spec and not _amount_matches(award, spec["amount"]):
        return False
    return True


def check(case: dict, resp: AskResponse) -> list[str]:
    """Failures of one answer against one case (empty list = pass)."""
    errs: list[str] = []
    awards = [a.model_dump() for a in resp.awards]
    live = [a for a in awards if a.get("status") in LIVE]
    if not resp.answer.strip():
        errs.append("empty answer text")
    for spec in case.get("expect") or []:
        if not any(_matches(a, spec) for a in live):
            errs.append(f"missing {spec}")
    for spec in case.get("expect_status") or []:
        if not any(_matches(a, {k: v for k, v in spec.items() if k != "status"}) and a["status"] == spec["status"]
                   for a in awards):
            errs.append(f"status {spec}")
    for spec in case.get("forbid") or []:
        bad = [a for a in live if _matches(a, spec)]
        if bad:
            errs.append(f"forbidden {spec} got {[(a['policy_id'], a['clause_id'], a.get('amount_yuan')) for a in bad]}")
    if case.get("no_awards") and live:
        errs.append(f"unexpected awards {[(a['policy_id'], a['clause_id'], a.get('amount_yuan')) for a in live]}")
    if case.get("warn_any"):
        ws = " ".join(resp.warnings)
        if not any(w in ws for w in case["warn_any"]):
            errs.append(f"no warning among {case['warn_any']}")
    if case.get("followup") and not resp.follow_up:
        errs.append("no follow-up question")
    return errs


@dataclass
class QAReport:
    total: int = 0
    passed: int = 0
    failures: list[tuple[str, str, list[str]]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

    def summary(self) -> str:
        return (f"QA: {self.passed}/{self.total} passed ({self.pass_rate:.1%}); "
                f"latency p50 {statistics.median(self.latencies_ms) if self.latencies_ms else 0:.1f} ms, "
                f"p95 {self.percentile(95):.1f} ms")


def load_cases(path: Path) -> tuple[list[dict], list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, list):  # the shared worked examples are a bare list
        return data, []
    return data.get("questions") or [], data.get("multi_turn") or []


def run(path: Path, ask: Callable[..., AskResponse]) -> QAReport:
    singles, conversations = load_cases(path)
    report = QAReport()

    def one(case: dict, session_id: str | None) -> str | None:
        t0 = time.perf_counter()
        resp = ask(case["q"], session_id=session_id)
        report.latencies_ms.append((time.perf_counter() - t0) * 1000)
        errs = check(case, resp)
        report.total += 1
        if errs:
            report.failures.append((case.get("id", "?"), case["q"], errs))
        else:
            report.passed += 1
        return resp.session_id

    for case in singles:
        one(case, None)
    for conv in conversations:
        sid = None
        for i, turn in enumerate(conv.get("turns") or []):
            turn = {**turn, "id": f"{conv.get('id', 'conv')}#{i + 1}"}
            sid = one(turn, sid)
    return report
