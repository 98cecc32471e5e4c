"""Clause coverage: for each clause of each policy, encoded | non_monetary | not_formalised (or missing)."""

from __future__ import annotations

from typing import Any

from .loader import RuleBook


def coverage_report(book: RuleBook, policy_ids: list[str] | None = None) -> dict[str, Any]:
    """``{"policies": [{"policy_id", "rule_file", "clauses": [{"clause_id", "status", "rules", "reason"?}]}]}``.

    Clause order follows the corpus; a clause without an entry is ``missing``; a corpus policy with no rule
    file has every clause ``missing`` and ``rule_file`` null.
    """
    from .. import corpus

    ids = policy_ids or [m.id for m in corpus.load_policies()]
    out = []
    for pid in ids:
        pr = book.policies.get(pid)
        try:
            clause_ids = [c.clause_id for c in corpus.clauses_of(pid)]
        except corpus.PolicyNotFound:
            clause_ids = [c.clause_id for c in pr.coverage] if pr else []
        entries = {c.clause_id: c for c in pr.coverage} if pr else {}
        rules_by_clause: dict[str, list[str]] = {}
        for r in pr.rules if pr else []:
            rules_by_clause.setdefault(r.clause_id, []).append(r.id)
        clauses = []
        for cid in clause_ids:
            e = entries.get(cid)
            item: dict[str, Any] = {
                "clause_id": cid,
                "status": e.status if e else "missing",
                "rules": rules_by_clause.get(cid, []),
            }
            if e and e.reason:
                item["reason"] = e.reason
            clauses.append(item)
        out.append(
            {"policy_id": pid, "rule_file": str(book.files[pid]) if pid in book.files else None, "clauses": clauses}
        )
    return {"policies": out}
