"""`policy-qa index`: build the hybrid retrieval index (Chroma + BM25) from the corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import error, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "index",
        help="构建检索索引（语料变化时检索命令会自动重建）",
        description="从 corpus/ 构建 Chroma 向量库与 BM25 索引，完成后原子切换到新索引。",
    )
    p.add_argument("--force", action="store_true", help="即使索引已是最新也重新构建")
    p.add_argument("--json", action="store_true", help="以 JSON 输出索引清单")
    p.add_argument("--check", action="store_true", help="只检查索引是否完整、是否最新（不构建）；不完好时退出码为 1")
    p.add_argument("--full", action="store_true", help="全量构建（不沿用当前索引中未变化政策的向量）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..config import get_settings
    from ..retrieval.index_builder import (
        build_index,
        build_lock,
        current_path,
        manifest_summary,
        staleness,
        stderr_progress,
    )

    settings = get_settings()
    if args.check:
        from ..retrieval.health import index_health

        health = index_health(settings)
        if args.json:
            print_json(health.model_dump())
        else:
            print(f"{health.status}：{health.detail}")
        return 0 if health.ok else 1
    try:
        with build_lock(Path(settings.index_dir)):
            reason = staleness(settings, verify=True)
            if reason is None and not args.force:
                build_dir = current_path(settings).resolve()
                fresh = True
            else:
                error(f"{reason or '强制重建'}，正在构建检索索引……")
                build_dir = build_index(settings, stderr_progress, incremental=not args.full)
                fresh = False
    except OSError as exc:
        error(f"无法写入索引目录 {settings.index_dir}：{exc}")
        return 1
    from ..jieba_loader import ensure_stored_dictionary

    ensure_stored_dictionary()  # so the next `policy-qa ask` starts without loading jieba's whole dictionary
    summary = manifest_summary(build_dir)
    if args.json:
        print_json({"index_dir": str(build_dir), "up_to_date": fresh, "manifest": summary})
        return 0
    state = "索引已是最新" if fresh else "索引构建完成"
    embedded = (
        ""
        if fresh
        else (
            f"（本次嵌入 {summary.get('embedded_chunks')} 个，其余来自嵌入缓存；"
            f"沿用未变化的政策 {summary.get('reused_policies')} 个）"
        )
    )
    print(
        f"{state}：{summary.get('policy_count')} 个政策，{summary.get('clause_count')} 个条款，"
        f"{summary.get('chunk_count')} 个向量片段{embedded}，"
        f"嵌入模型 {summary.get('embedding_model')}（{summary.get('dims')} 维），"
        f"构建于 {summary.get('built_at')}，用时 {summary.get('build_seconds')} 秒\n位置：{build_dir}"
    )
    return 0
