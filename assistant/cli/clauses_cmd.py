"""`policy-qa clauses ID`: the policy's clause ids with their first words (the ids rules cite)."""

from __future__ import annotations

import argparse
import sys

from .common import error, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "clauses",
        help="列出某政策的条款 id 及开头文字",
        description="列出政策的全部条款（规则文件 clause_id 引用的 id）及每条开头的文字。",
    )
    p.add_argument("policy_id", help="政策 id（policy-qa policies 列出全部）")
    p.add_argument("--full", action="store_true", help="打印每条全文")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from .. import corpus
    from ..onboarding.importer import clause_tree, format_tree

    try:
        clauses = corpus.clauses_of(args.policy_id)
    except corpus.PolicyNotFound as exc:
        error(str(exc))
        return 1
    except corpus.CorpusError as exc:
        error(str(exc))
        return 1
    if args.json:
        rows = clause_tree(clauses)
        if args.full:
            for row, c in zip(rows, clauses, strict=True):
                row["text"] = c.text
        print_json({"policy_id": args.policy_id, "clauses": rows})
        return 0
    if args.full:
        for c in clauses:
            sys.stdout.write(f"【{c.clause_id}】\n{c.text}\n\n")
        return 0
    sys.stdout.write(format_tree(clauses) + "\n")
    return 0
