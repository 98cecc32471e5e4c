"""`calc`: a structured profile against every policy covering a region (used by the CLI, API and service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .engine import evaluate_policies
from .regions import policies_for


def calculate(region: str, facts: dict[str, Any], date: dt.date | None = None) -> dict[str, Any]:
    """JSON-ready: {"region", "policies", "date", "awards", "best_total_yuan", "conditional_total_yuan",
    "total_breakdown", "warnings"}. Raises RegionError / FactsError (messages are user-facing)."""
    rp = policies_for(region)
    ev = evaluate_policies(rp.policy_ids, facts, date)
    out = ev.to_json()
    warnings = out.pop("warnings")
    if rp.message:
        warnings.append(rp.message)
    return {"region": rp.name, **out, "warnings": warnings}
