"""`policy-qa search`: hybrid clause search, human-readable or JSON (one object per query)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from .common import error, int_in, iter_queries, print_json

EXIT_INPUT = 2


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "search",
        help="检索政策条款（关键词或问题；BM25 + 向量混合检索）",
        description="检索政策条款。QUERY 为 - 时从标准输入逐行读取查询（每行一个，按顺序输出）。",
    )
    p.add_argument("query", metavar="QUERY|-", help="查询文本；- 表示从标准输入逐行读取")
    p.add_argument("--json", action="store_true", help='输出 JSON：每个查询一行 {"hits": [...]}')
    p.add_argument(
        "--top", type=int_in(1, 100, "返回条数"), default=None, metavar="K", help="返回条数（1–100，默认 5）"
    )
    p.add_argument("--policy", metavar="ID", help="只检索某一政策（policy-qa policies 列出全部）")
    p.add_argument("--region", metavar="NAME", help="只检索适用于该地区的政策（县区或市名，含简称）")
    p.set_defaults(func=run)


def _use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _print_human(outcome, service) -> None:
    from ..retrieval.highlight import mark

    tty = _use_colour()
    if not outcome.hits:
        print("未检索到相关条款。")
        return
    for i, hit in enumerate(outcome.hits, start=1):
        heading = f" {hit.heading}" if hit.heading else ""
        meta = service.policies.get(hit.policy_id)
        name = meta.short_title if meta and meta.short_title else hit.policy_title
        print(f"{i}. {name} · {hit.clause_id}{heading}  （得分 {hit.score:.4f}）")
        body = mark(hit.text, hit.highlights, tty).replace("\n", "\n   ")
        print(f"   {body}")
        print(f"   引用：{hit.citation}")
        if i < len(outcome.hits):
            print()


def run(args: argparse.Namespace) -> int:
    from ..config import get_settings
    from ..textnorm import InputError, check_query

    settings = get_settings()
    if args.top is not None and args.top <= 0:
        error("--top 必须为正整数。")
        return EXIT_INPUT
    service = None
    failed = False
    for raw in iter_queries(args.query):
        try:
            check_query(raw, settings.max_search_chars, "查询")  # refuse bad input before loading anything
            assert isinstance(raw, str)  # iter_queries yields bytes only when not UTF-8, which check_query refused
            if service is None:
                from ..retrieval.index_builder import stderr_progress
                from ..retrieval.service import get_search_service

                try:
                    service = get_search_service(settings, progress=stderr_progress)
                except OSError as exc:  # e.g. a read-only index directory that needs a rebuild
                    error(f"无法准备检索索引（{settings.index_dir}）：{exc}")
                    return 1
            outcome = service.run(raw, top_k=args.top, policy=args.policy, region=args.region)
            if outcome.region is not None and not outcome.region.known:
                raise InputError(outcome.region.message or "未知地区", "unknown_region")
        except InputError as exc:
            failed = True
            if args.json:
                print_json({"hits": [], "error": str(exc)})
            else:
                error(str(exc))
            continue
        for note in outcome.notes:
            error(f"提示：{note}")
        if args.json:
            payload: dict[str, list[Any]] = {"hits": [h.model_dump() for h in outcome.hits]}
            if outcome.policy_ids is None and outcome.places:
                payload["places"] = outcome.places  # unscoped: the places the hits come from
            if outcome.notes:
                payload["notes"] = outcome.notes
            print_json(payload)
        else:
            _print_human(outcome, service)
            if outcome.policy_ids is None and len(outcome.places) > 1:
                print(f"\n（未限定地区：结果来自{'、'.join(outcome.places)}的政策；可用 --region 限定）")
            sys.stdout.flush()
    return EXIT_INPUT if failed else 0
