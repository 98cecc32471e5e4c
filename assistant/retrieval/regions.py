"""Region filters for search: delegated to the one region resolver (assistant.nlu.gazetteer).

A district gets its own and its city's policies; a city gets the city's, *not* its districts'
(those come back as ``lower_level_policy_ids`` with a 「区县政策可能另有规定」 note); a province
likewise gets only province-level policies. No rule of its own lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import PolicyMeta
from ..nlu.gazetteer import RegionMatch, place_policies
from ..nlu.gazetteer import resolve_region as _resolve

__all__ = ["RegionMatch", "place_policies", "policies_for_region", "resolve_region"]


def resolve_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> RegionMatch:
    """:func:`assistant.nlu.gazetteer.resolve_region` over ``policies`` (default: the corpus)."""
    if policies is None:
        from ..corpus import load_policies

        policies = load_policies()
    return _resolve(name, policies)


def policies_for_region(name: str, policies: Sequence[PolicyMeta] | None = None) -> list[str]:
    """Ids of the policies applying to ``name`` (empty for an unknown place)."""
    return resolve_region(name, policies).policy_ids
