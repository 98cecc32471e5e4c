"""`policy-qa eval WHAT`: offline evaluations. Each WHAT is one entry of EVALUATIONS.

To add one (e.g. `qa`), write ``_register_<what>(subparsers)`` that adds its parser
and sets ``func``, and append it to EVALUATIONS; `eval` itself stays unchanged.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from .common import error, print_json


def _register_retrieval(sub) -> None:
    p = sub.add_parser(
        "retrieval",
        help="检索评测：BM25 / 向量 / 混合 的 recall@1/3/5 与 MRR（总体及按查询类型）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出完整报告（含逐条结果）")
    p.add_argument("--queries", metavar="YAML", help="评测查询文件（默认 tests/retrieval/queries.yaml）")
    p.add_argument("--tune", action="store_true", help="同时网格搜索 RRF 参数（rrf_k × dense_weight）")
    p.set_defaults(func=_run_retrieval)


def _run_retrieval(args: argparse.Namespace) -> int:
    from ..config import get_settings
    from ..retrieval.evaluate import evaluate, format_report, load_queries, tune
    from ..retrieval.index_builder import stderr_progress
    from ..retrieval.service import get_search_service

    try:
        queries = load_queries(args.queries)
    except (OSError, ValueError) as exc:
        error(f"无法读取评测查询：{exc}")
        return 2
    service = get_search_service(get_settings(), progress=stderr_progress)
    report = evaluate(service, queries)
    grid = tune(service, queries) if args.tune else None
    if args.json:
        payload = report.model_dump(mode="json")
        if grid is not None:
            payload["tuning"] = grid
        print_json(payload)
        return 0
    print(format_report(report))
    if grid is not None:
        print("\n参数网格（按 R@5、改写类 R@5、MRR、R@1 排序，前 10）：")
        for row in grid[:10]:
            print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return 0


def _register_qa(sub) -> None:
    p = sub.add_parser(
        "qa",
        help="问答评测：逐题核对奖补条款、金额、状态、提示与追问；按题库分别报告 正确 / 未答出 / 误读 与 p50/p95 延迟",
    )
    p.add_argument(
        "--questions", metavar="YAML", help="只评测这一个题库文件（默认评测 tests/qa/sets.yaml 列出的全部题库）"
    )
    p.add_argument(
        "--set", dest="set_names", action="append", metavar="NAME", help="只评测 sets.yaml 中这一题库（可重复）"
    )
    p.add_argument("--verbose", action="store_true", help="列出每道未通过的题目及原因")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    p.set_defaults(func=_run_qa)


def _run_qa(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from ..config import PROJECT_ROOT, get_settings
    from ..eval.qa import QASet, load_sets, run, settings_with_policies
    from ..service import build_pipeline

    registry = PROJECT_ROOT / "tests" / "qa" / "sets.yaml"
    if args.questions:
        path = Path(args.questions)
        if not path.exists():
            error(f"找不到题库：{path}")
            return 2
        listed = {s.path: s for s in load_sets(registry)} if registry.exists() else {}
        sets = [listed.get(path.resolve()) or QASet(name=path.stem, path=path.resolve(), kind="development")]
    else:
        if not registry.exists():
            error(f"找不到题库清单：{registry}")
            return 2
        sets = [s for s in load_sets(registry) if not args.set_names or s.name in args.set_names]
        if not sets:
            error(f"sets.yaml 中没有题库：{', '.join(args.set_names or [])}")
            return 2
    base = get_settings()
    pipelines: dict[tuple, Any] = {}
    reports = []
    with tempfile.TemporaryDirectory(prefix="policy-qa-eval-") as tmp:
        for qa_set in sets:
            key = tuple(qa_set.extra_policies)
            if key not in pipelines:
                settings = (
                    settings_with_policies(base, qa_set.extra_policies, Path(tmp) / str(len(pipelines)))
                    if key
                    else base
                )
                pipelines[key] = build_pipeline(settings)
                pipelines[key].ask("电商企业网络零售额5000万元")  # warm-up (index, rules, jieba); not timed
            reports.append((qa_set, run(qa_set.path, pipelines[key].ask, name=qa_set.name)))
    if args.json:
        print_json({"sets": [{**r.as_dict(), "kind": s.kind} for s, r in reports]})
        return 0
    for kind, title in (("development", "开发集（调参用过）"), ("blind", "盲测集（冻结，未调参）")):
        chosen = [(s, r) for s, r in reports if s.kind == kind]
        if not chosen:
            continue
        print(f"{title}:")
        for _s, report in chosen:
            print("  " + report.summary())
            if args.verbose:
                for r in report.failures:
                    print(f"    {'✗ 误读' if r.outcome == 'misread' else '· 未答出'} {r.id}: {r.q}")
                    for e in r.errors:
                        print(f"        {e}")
    return 0


# (name, registration function), in the order `policy-qa eval --help` lists them.
EVALUATIONS: list[tuple[str, Callable]] = [
    ("retrieval", _register_retrieval),
    ("qa", _register_qa),
]


def register(subparsers) -> None:
    p = subparsers.add_parser("eval", help="离线评测（retrieval 检索、qa 问答）", description="离线评测。")
    sub = p.add_subparsers(dest="eval_command", metavar="WHAT")
    for _name, register_one in EVALUATIONS:
        register_one(sub)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
