"""Which rule-bearing policies cover a region: a district gets its own and its city's policies.

Delegates to the shared resolver (assistant.retrieval.regions, on the one gazetteer and
PolicyMeta.jurisdiction) so search, calc and ask agree.
"""
from __future__ import annotations

from pydantic import BaseModel, Field


class RegionError(ValueError):
    """An unknown or uncovered region; the message is Chinese and lists what is covered."""


class RegionPolicies(BaseModel):
    query: str
    name: str
    policy_ids: list[str]
    lower_level_policy_ids: list[str] = Field(default_factory=list)
    message: str | None = None


def policies_for(region: str) -> RegionPolicies:
    from ..retrieval.regions import resolve_region

    m = resolve_region(region)
    if not m.known:
        raise RegionError(m.message or f"未收录「{region}」的政策")
    if not m.policy_ids:
        raise RegionError(m.message or f"{m.name}本级暂无收录的政策")
    return RegionPolicies(query=region, name=m.name, policy_ids=m.policy_ids,
                          lower_level_policy_ids=m.lower_level_policy_ids, message=m.message)
