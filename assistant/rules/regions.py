"""Which rule-bearing policies cover a region (for calc): the one region resolver's answer
(assistant.nlu.gazetteer: a district inherits its city's, a city its province's), as an error when none does.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field

from ..models import PolicyMeta
from ..nlu.gazetteer import resolve_region


class RegionError(ValueError):
    """An unknown or uncovered region; the message is Chinese and lists what is covered."""


class RegionPolicies(BaseModel):
    query: str
    name: str
    policy_ids: list[str]
    lower_level_policy_ids: list[str] = Field(default_factory=list)
    message: str | None = None


def policies_for(region: str, policies: Sequence[PolicyMeta] | None = None) -> RegionPolicies:
    if policies is None:
        from ..corpus import load_policies

        policies = load_policies()
    m = resolve_region(region, policies)
    if not m.known:
        raise RegionError(m.message or f"未收录「{region}」的政策")
    if not m.policy_ids:
        raise RegionError(m.message or f"{m.name}本级暂无收录的政策")
    return RegionPolicies(
        query=region,
        name=m.name,
        policy_ids=m.policy_ids,
        lower_level_policy_ids=m.lower_level_policy_ids,
        message=m.message,
    )
