"""`policy-qa eval qa`: run hand-computed question sets through the ask pipeline.

Format of a set: tests/qa/README.md. Each single-turn question runs in a fresh session; each multi-turn
conversation runs its turns in one session. Every case ends in one of three outcomes:

- ``right``: every check passes;
- ``misread``: the answer is confidently wrong — a forbidden award is offered, an award is offered where none
  applies, an expected clause is offered with a definite but different amount, or an award is called eligible
  where the set pins another status. These come from a value bound to the wrong fact or a negation read as yes,
  which is worse than not understanding at all; every set must have none;
- ``missed``: anything else that fails (an award not found, no follow-up, no warning): the product did not
  understand or asked instead, which is honest but not yet good enough.

Which files are sets, and which of them are blind (frozen, never tuned on), is data: tests/qa/sets.yaml.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from ..contract import AskResponse

LIVE = {"eligible", "conditional"}
Outcome = Literal["right", "missed", "misread"]


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
    return "amount" not in spec or _amount_matches(award, spec["amount"])


def _ids(awards: list[dict]) -> list[tuple]:
    return [(a["policy_id"], a["clause_id"], a.get("amount_yuan")) for a in awards]


@dataclass
class CaseResult:
    id: str
    q: str
    outcome: Outcome
    errors: list[str] = field(default_factory=list)


def judge(case: dict, resp: AskResponse) -> tuple[Outcome, list[str]]:
    """The outcome of one answer against one case, with the reasons it is not right."""
    misread: list[str] = []
    missed: list[str] = []
    awards = [a.model_dump() for a in resp.awards]
    live = [a for a in awards if a.get("status") in LIVE]
    if not resp.answer.strip():
        missed.append("empty answer text")
    for spec in case.get("expect") or []:
        if any(_matches(a, spec) for a in live):
            continue
        # The right clause with a definite other figure: a value was bound, and bound wrong.
        wrong = [
            a
            for a in live
            if _matches(a, {k: v for k, v in spec.items() if k != "amount"})
            and "amount" in spec
            and spec["amount"] is not None
            and a.get("amount_yuan") is not None
        ]
        (misread if wrong else missed).append(f"expected {spec}" + (f", got {_ids(wrong)}" if wrong else ""))
    for spec in case.get("expect_status") or []:
        same = [a for a in awards if _matches(a, {k: v for k, v in spec.items() if k != "status"})]
        if any(a["status"] == spec["status"] for a in same):
            continue
        over = any(a["status"] == "eligible" for a in same)  # called certain where the set says otherwise
        (misread if over else missed).append(f"status {spec}, got {[a['status'] for a in same]}")
    for spec in case.get("forbid") or []:
        bad = [a for a in live if _matches(a, spec)]
        if bad:
            misread.append(f"forbidden {spec} offered: {_ids(bad)}")
    if case.get("no_awards") and live:
        misread.append(f"no award applies, offered {_ids(live)}")
    if case.get("warn_any") and not any(w in " ".join(resp.warnings) for w in case["warn_any"]):
        missed.append(f"no warning among {case['warn_any']}")
    if case.get("followup") and not resp.follow_up:
        missed.append("no follow-up question")
    if misread:
        return "misread", misread + missed
    return ("missed", missed) if missed else ("right", [])


def check(case: dict, resp: AskResponse) -> list[str]:
    """Failures of one answer against one case (empty list = right)."""
    return judge(case, resp)[1]


@dataclass
class QAReport:
    name: str = ""
    results: list[CaseResult] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(r.outcome == outcome for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return self.count("right")

    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if r.outcome != "right"]

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]

    def summary(self) -> str:
        p50 = statistics.median(self.latencies_ms) if self.latencies_ms else 0.0
        return (
            f"{self.name or 'QA'}: {self.total} 题 · 正确 {self.passed} ({self.pass_rate:.1%}) · "
            f"未答出 {self.count('missed')} · 误读 {self.count('misread')}; "
            f"p50 {p50:.1f} ms, p95 {self.percentile(95):.1f} ms"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "set": self.name,
            "total": self.total,
            "right": self.passed,
            "missed": self.count("missed"),
            "misread": self.count("misread"),
            "pass_rate": self.pass_rate,
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "failures": [{"id": r.id, "q": r.q, "outcome": r.outcome, "errors": r.errors} for r in self.failures],
        }


def load_cases(path: Path) -> tuple[list[dict], list[dict]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, list):  # the shared worked examples are a bare list
        return data, []
    return data.get("questions") or [], data.get("multi_turn") or []


def run(path: Path, ask: Callable[..., AskResponse], name: str = "") -> QAReport:
    singles, conversations = load_cases(path)
    report = QAReport(name=name or path.stem)

    def one(case: dict, session_id: str | None) -> str | None:
        t0 = time.perf_counter()
        resp = ask(case["q"], session_id=session_id)
        report.latencies_ms.append((time.perf_counter() - t0) * 1000)
        outcome, errors = judge(case, resp)
        report.results.append(CaseResult(case.get("id", "?"), case["q"], outcome, errors))
        return resp.session_id

    for case in singles:
        one(case, None)
    for conv in conversations:
        sid = None
        for i, turn in enumerate(conv.get("turns") or []):
            sid = one({**turn, "id": f"{conv.get('id', 'conv')}#{i + 1}"}, sid)
    return report


# --- the registry of sets ---------------------------------------------------------------------------


class QASet(BaseModel):
    """One question set as tests/qa/sets.yaml lists it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path  # relative to the registry file
    kind: Literal["development", "blind"]
    # Policies outside the corpus the set needs (a fixture policy): folders holding <id>.txt, <id>.yaml and
    # rules/<id>.yaml, relative to the registry file.
    extra_policies: list[Path] = []
    # The pass rate the test suite holds the set to; a regression below it fails.
    floor: float = 0.0
    # Misread answers tolerated: 0 except for a blind set whose first measurement found some — then it is the
    # number measured, written down beside the set, so that it can only go down (the target stays 0).
    misread_max: int = 0
    note: str = ""


def load_sets(registry: Path) -> list[QASet]:
    raw = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    sets = [QASet(**item) for item in raw.get("sets") or []]
    for s in sets:
        s.path = (registry.parent / s.path).resolve()
        s.extra_policies = [(registry.parent / p).resolve() for p in s.extra_policies]
    return sets


def settings_with_policies(base: Any, extra: list[Path], workdir: Path) -> Any:
    """A copy of ``base`` (a Settings) whose corpus and rules also hold the ``extra`` policy folders — the way a
    bureau adds a policy: data files only. The index goes to ``workdir`` too, so the shared one is untouched."""
    import shutil

    corpus, rules = workdir / "corpus", workdir / "rules"
    shutil.copytree(base.corpus_dir, corpus, dirs_exist_ok=True)
    shutil.copytree(base.rules_dir, rules, dirs_exist_ok=True)
    for folder in extra:
        for meta in folder.glob("*.yaml"):
            text = meta.with_suffix(".txt")
            if text.exists():
                shutil.copy2(meta, corpus / meta.name)
                shutil.copy2(text, corpus / text.name)
        for rule_file in (folder / "rules").glob("*.yaml"):
            shutil.copy2(rule_file, rules / rule_file.name)
    return base.model_copy(update={"corpus_dir": corpus, "rules_dir": rules, "index_dir": workdir / "index"})
