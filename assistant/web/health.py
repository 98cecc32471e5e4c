"""/healthz: can this server answer? Checked by doing it — a tiny real search and a real rule evaluation.

Each part is reported separately (index, rules, feedback). The status is 200 only when the index and the
rules work; feedback is optional (reported, never fatal). Checks run in one background thread with a time
limit, at most once every few seconds, so a health probe cannot pile up work or hang on an index build.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from typing import Any

from .schemas import Check

TIMEOUT_SECONDS = 3.0
CACHE_SECONDS = 5.0


def _check_index(service: Any) -> Check:
    resp = service.search("电子商务", top_k=1)
    if getattr(resp, "error", None):
        return Check(ok=False, detail=f"检索出错：{resp.error}")
    if not resp.hits:
        return Check(ok=False, detail="检索没有返回任何条款")
    return Check(ok=True, detail="检索正常")


def _check_rules(service: Any) -> Check:
    rows = service.policies()
    if not rows:
        return Check(ok=False, detail="政策库为空")
    region = next((r.get("jurisdiction_name") for r in rows if r.get("jurisdiction_name")), None)
    if not region:
        return Check(ok=False, detail="政策库缺少适用地区")
    result = service.calc(region, {})
    return Check(ok=True, detail=f"规则引擎正常（{len(rows)} 项政策，{len(result['awards'])} 条奖补规则）")


def _check_feedback(store: Any) -> Check:
    if not getattr(store, "available", False):
        return Check(ok=False, detail=getattr(store, "reason", "反馈存储不可用"))
    store.count()
    return Check(ok=True, detail="反馈存储可写")


class HealthChecker:
    def __init__(self, service: Any, store: Any) -> None:
        self.service = service
        self.store = store
        self._pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="policy-qa-health")
        self._lock = threading.Lock()
        self._future: cf.Future | None = None
        self._last: tuple[float, dict[str, Check]] | None = None

    def _run_all(self) -> dict[str, Check]:
        out = {}
        for name, fn, arg in (
            ("index", _check_index, self.service),
            ("rules", _check_rules, self.service),
            ("feedback", _check_feedback, self.store),
        ):
            try:
                out[name] = fn(arg)
            except Exception as exc:  # a failing part is reported, not raised
                out[name] = Check(ok=False, detail=f"{type(exc).__name__}：{str(exc)[:200]}")
        return out

    def checks(self) -> dict[str, Check]:
        with self._lock:
            if self._last and time.monotonic() - self._last[0] < CACHE_SECONDS:
                return self._last[1]
            if self._future is None or self._future.done():
                self._future = self._pool.submit(self._run_all)
            future = self._future
        try:
            result = future.result(timeout=TIMEOUT_SECONDS)
        except cf.TimeoutError:
            pending = Check(ok=False, detail="正在准备（索引加载或构建中）")
            return {"index": pending, "rules": pending, "feedback": _safe_feedback(self.store)}
        with self._lock:
            self._last = (time.monotonic(), result)
        return result

    @staticmethod
    def answering(checks: dict[str, Check]) -> bool:
        return checks["index"].ok and checks["rules"].ok


def _safe_feedback(store: Any) -> Check:
    try:
        return _check_feedback(store)
    except Exception as exc:
        return Check(ok=False, detail=f"{type(exc).__name__}：{str(exc)[:200]}")
