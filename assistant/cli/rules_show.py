"""`policy-qa rules show ID [CLAUSE]`: each clause beside its rules, scenarios and a live boundary grid."""

from __future__ import annotations

import argparse
import sys

from .common import error, print_json


def run_show(args: argparse.Namespace) -> int:
    from .. import corpus
    from ..onboarding.review import clause_views, format_view
    from ..rules.loader import RuleLoadError, load_rulebook

    if not 1 <= len(args.targets) <= 2:
        error("用法：policy-qa rules show ID [CLAUSE]")
        return 2
    pid = args.targets[0]
    clause_id = args.targets[1] if len(args.targets) == 2 else None
    try:
        book = load_rulebook(args.rules_dir)
        views = clause_views(pid, book, clause_id)
    except corpus.PolicyNotFound as exc:
        error(str(exc))
        return 1
    except RuleLoadError as exc:
        for p in exc.problems:
            error(p)
        return 1
    if clause_id is not None and not views:
        error(f"{pid} 没有条款 {clause_id!r}；policy-qa clauses {pid} 列出全部条款")
        return 1
    if pid not in book.policies:
        sys.stderr.write(f"policy-qa: {pid} 尚无规则文件：policy-qa rules draft {pid} 起草\n")
    if args.json:
        print_json(
            {
                "policy_id": pid,
                "clauses": [
                    {
                        "clause_id": v.clause.clause_id,
                        "text": v.clause.text,
                        "coverage": v.coverage,
                        "figures": [v.clause.text[s.start : s.end] for s in v.spans],
                        "rules": [
                            {
                                "rule_id": r.rule.id,
                                "review": r.rule.review,
                                "lines": r.lines,
                                "scenarios": r.scenarios,
                                "grid": [
                                    {
                                        "what": g.what,
                                        "cells": [{"label": a, "value": b, "result": c} for a, b, c in g.cells],
                                    }
                                    for g in r.grid
                                ],
                            }
                            for r in v.rules
                        ],
                    }
                    for v in views
                ],
            }
        )
        return 0
    tty = sys.stdout.isatty()
    left, right = ("\033[1;33m", "\033[0m") if tty else ("【", "】")
    for v in views:
        sys.stdout.write(format_view(v, left, right) + "\n")
    return 0
