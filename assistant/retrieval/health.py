"""Is the index whole? A cheap answer for /healthz and `policy-qa index --check`.

Compares every data file of the current build with the manifest (checksums; the files Chroma
rewrites on open by size and content, see index_builder.VOLATILE) and the corpus with the
manifest's corpus fingerprint. Never builds anything.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from pydantic import BaseModel

from ..config import Settings, get_settings
from .index_builder import current_path, damaged_files, read_manifest, staleness

Status = Literal["ok", "stale", "damaged", "missing"]


class _BuildFigures(TypedDict):
    build: str | None
    policies: int
    chunks: int


class IndexHealth(BaseModel):
    status: Status
    detail: str  # Chinese, for people
    build: str | None = None  # build directory name
    policies: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def index_health(settings: Settings | None = None) -> IndexHealth:
    settings = settings or get_settings()
    link = current_path(settings)
    if not link.exists():
        return IndexHealth(status="missing", detail="检索索引不存在（首次检索时自动构建，或运行 policy-qa index）")
    build_dir = link.resolve()
    manifest = read_manifest(build_dir)
    if manifest is None:
        return IndexHealth(status="damaged", detail="索引清单缺失或损坏", build=build_dir.name)
    base: _BuildFigures = {"build": build_dir.name, "policies": manifest.policy_count, "chunks": manifest.chunk_count}
    bad = damaged_files(build_dir, manifest)
    if bad:
        return IndexHealth(status="damaged", detail=f"索引文件损坏：{'、'.join(bad[:5])}", **base)
    reason = staleness(settings)
    if reason is not None:
        return IndexHealth(status="stale", detail=reason, **base)
    return IndexHealth(
        status="ok", detail=f"索引完好：{manifest.policy_count} 个政策，{manifest.chunk_count} 个向量片段", **base
    )
