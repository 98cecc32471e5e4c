"""Where a clause stands today — 现行 / 征求意见稿 / 已失效 YYYY-MM-DD / 尚未施行 / 施行日期未载明 — for every
place the UI shows a clause (search hit, clause view, award card, citation, copied citation).

Computed from the corpus metadata with the shared ``PolicyMeta.validity_on`` (models.validity_state), so the
UI, the answer warnings and the engine agree on one date rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ClauseStatus:
    validity: str  # in_force | expired | not_yet | unknown (models.Validity)
    draft: bool
    effective_from: str | None
    effective_to: str | None

    @property
    def current(self) -> bool:
        """现行有效: a final text in force today (施行日期未载明 counts, its badge says so)."""
        return not self.draft and self.validity in ("in_force", "unknown")

    def badges(self) -> list[tuple[str, str]]:
        """(label, css class) pairs, the most important first."""
        out: list[tuple[str, str]] = []
        if self.validity == "expired":
            out.append((f"已失效 {self.effective_to}", "expired"))
        if self.draft:
            out.append(("征求意见稿", "draft"))
        if self.validity == "not_yet":
            out.append((f"{self.effective_from} 起施行", "draft"))
        if self.validity == "unknown":
            out.append(("施行日期未载明", "unknown"))
        if not out:
            out.append(("现行", "current"))
        return out

    def citation_note(self) -> str:
        """What a copied citation must carry so it is never read out as current: 「（该文件已于2024年12月31日失效）」."""
        if self.validity == "expired" and self.effective_to:
            return f"（该文件已于{_cn_date(self.effective_to)}失效）"
        if self.validity == "not_yet" and self.effective_from:
            return f"（该文件自{_cn_date(self.effective_from)}起施行，目前尚未施行）"
        if self.draft:
            return "（征求意见稿，尚未正式施行）"
        if self.validity == "unknown":
            return "（该文件施行日期未载明）"
        return ""

    @property
    def reason(self) -> str:
        """Why 「只看现行有效」 hides it: 已失效 / 征求意见稿 / 尚未施行 (empty when current)."""
        if self.validity == "expired":
            return "已失效"
        if self.draft:
            return "征求意见稿"
        if self.validity == "not_yet":
            return "尚未施行"
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "current": self.current,
            "reason": self.reason,
            "badges": self.badges(),
            "note": self.citation_note(),
        }


def _cn_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def status_of(policy_id: str, day: dt.date) -> ClauseStatus | None:
    """The status of a policy in the corpus on ``day``; None for an id the corpus does not hold."""
    from .. import corpus

    try:
        meta = corpus.get_policy(policy_id)
    except Exception:  # unknown id (synthetic data): no badge rather than a wrong one
        return None
    return ClauseStatus(
        validity=meta.validity_on(day),
        draft=meta.status == "draft",
        effective_from=meta.effective_from.isoformat() if meta.effective_from else None,
        effective_to=meta.effective_to.isoformat() if meta.effective_to else None,
    )


def annotate(items: list[dict[str, Any]], day: dt.date) -> list[dict[str, Any]]:
    """Copies of hit/award/citation dicts with a ``clause_status`` dict (absent for unknown policies)."""
    cache: dict[str, dict[str, Any] | None] = {}
    out = []
    for item in items:
        pid = str(item.get("policy_id") or "")
        if pid not in cache:
            st = status_of(pid, day)
            cache[pid] = st.as_dict() if st else None
        out.append({**item, "clause_status": cache[pid]} if cache[pid] else dict(item))
    return out
