"""`policy-qa eval WHAT`: offline evaluations. Each WHAT is one entry of EVALUATIONS.

To add one (e.g. `qa`), write ``_register_<what>(subparsers)`` that adds its parser
and sets ``func``, and append it to EVALUATIONS; `eval` itself stays unchanged.
"""
from __future__ import annotations

import argparse
from collections.abc import Callable

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
    p = sub.add_parser("qa", help="问答评测：逐题核对奖补条款、金额、状态、提示与追问，输出通过率与 p50/p95 延迟")
    p.add_argument("--questions", metavar="YAML", help="题库（默认 tests/qa/questions.yaml；也可用 ask_examples.yaml 这类列表格式）")
    p.add_argument("--verbose", action="store_true", help="列出每道未通过的题目及原因")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")
    p.set_defaults(func=_run_qa)


def _run_qa(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..config import PROJECT_ROOT
    from ..dialogue.evaluation import run
    from ..dialogue.pipeline import AskPipeline

    path = Path(args.questions) if args.questions else PROJECT_ROOT / "tests" / "qa" / "questions.yaml"
    if not path.exists():
        error(f"找不到题库：{path}")
        return 2
    pipeline = AskPipeline()
    pipeline.ask("淄博电商企业实物商品网络零售额5000万元")  # warm-up: index, rules, jieba; not timed
    report = run(path, pipeline.ask)
    if args.json:
        print_json({"total": report.total, "passed": report.passed, "pass_rate": report.pass_rate,
                    "p50_ms": report.percentile(50), "p95_ms": report.percentile(95),
                    "failures": [{"id": i, "q": q, "errors": e} for i, q, e in report.failures]})
        return 0
    if args.verbose:
        for fid, q, errs in report.failures:
            print(f"✗ {fid}: {q}")
            for e in errs:
                print(f"    {e}")
    print(report.summary())
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
