"""The engine's inputs as configured: today's date, the rule book and the corpus's policy metadata.

The engine itself reads no settings and no corpus (engine.py takes them as arguments); the compatibility
wrappers ``evaluate``/``evaluate_policies`` fall back to these when a caller does not pass them.
"""

from __future__ import annotations

import datetime as dt

from .engine import PolicyInfo, policy_infos
from .loader import RuleBook, load_rulebook

_infos: dict[tuple, dict[str, PolicyInfo]] = {}


def default_today() -> dt.date:
    from ..config import get_settings

    return get_settings().current_date()


def default_book() -> RuleBook:
    return load_rulebook()


def default_policies() -> dict[str, PolicyInfo]:
    """Policy metadata of the configured corpus (empty when there is none: synthetic rules have no metadata)."""
    from .. import corpus

    try:
        metas = corpus.load_policies()
    except Exception:  # no corpus (a test's own rules): no titles or validity to report
        return {}
    key = tuple(id(m) for m in metas)  # the corpus cache keeps its PolicyMeta objects until a file changes
    hit = _infos.get(key)
    if hit is None:
        _infos.clear()
        hit = _infos[key] = policy_infos(metas)
    return hit
