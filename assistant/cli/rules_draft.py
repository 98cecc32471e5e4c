"""`policy-qa rules draft ID` and `policy-qa rules draft --evaluate` (see assistant/onboarding/draft.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .common import error, print_json

HEADER = (
    "# 由 policy-qa rules draft 从条款原文自动起草。每条规则标有 review: needed：请对照条款逐条核对\n"
    "# （policy-qa rules show {pid}），改正后把 review 改为 done；answers 会把未核对规则的金额标为仅供参考。\n"
)


def run_draft(args: argparse.Namespace) -> int:
    from .. import corpus
    from ..config import get_settings
    from ..onboarding.draft import draft_policy, evaluate_drafts
    from ..rules.loader import RuleLoadError, parse_rule_text
    from ..rules.provenance import check_policy, corpus_clause_texts

    if args.evaluate:
        from ..rules.loader import load_rulebook

        book = load_rulebook(args.rules_dir)
        ids = [m.id for m in corpus.load_policies() if m.id in book.policies and book.rules_of(m.id)]
        if args.targets:
            ids = [i for i in ids if i in args.targets]
        report = evaluate_drafts(ids)
        if args.json:
            print_json(report)
            return 0
        for row in report["policies"]:
            sys.stdout.write(
                f"{row['policy_id']:<18}手工 {row['hand']:>3}  起草 {row['drafted']:>3}  召回 {row['recalled']:>3}"
                f"  起草正确 {row['correct']:>3}\n"
            )
            if row["missed"]:
                sys.stdout.write(f"    未召回：{', '.join(row['missed'])}\n")
        sys.stdout.write(
            f"查全率（recall）{report['recall']:.1%}（{report['hand']} 条手工规则）  "
            f"查准率（precision）{report['precision']:.1%}（{report['drafted']} 条起草规则）\n"
            "（同条款、同形式、门槛与金额都一致才算对）\n"
        )
        return 0
    if len(args.targets) != 1:
        error("用法：policy-qa rules draft ID [--out FILE] [--force]，或 policy-qa rules draft --evaluate")
        return 2
    pid = args.targets[0]
    try:
        clauses = corpus.clauses_of(pid)
    except corpus.PolicyNotFound as exc:
        error(str(exc))
        return 1
    rules_dir = Path(args.rules_dir or get_settings().rules_dir)
    out = args.out or rules_dir / f"{pid}.yaml"
    if out.exists() and not args.force:
        error(f"{out} 已存在：加 --force 覆盖，或用 --out 写到别处")
        return 1
    draft = draft_policy(pid, clauses)
    text = HEADER.format(pid=pid) + yaml.safe_dump(
        draft.as_yaml_data(), allow_unicode=True, sort_keys=False, width=1000
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    try:
        problems = check_policy(
            parse_rule_text(out.read_text(encoding="utf-8"), out), corpus_clause_texts(pid), str(out)
        )
    except RuleLoadError as exc:
        problems = exc.problems
    if args.json:
        print_json(
            {
                "file": str(out),
                "rules": len(draft.rules),
                "facts": draft.facts,
                "left_out": draft.left_out,
                "problems": problems,
            }
        )
        return 1 if problems else 0
    encoded = sum(1 for c in draft.coverage if c["status"] == "encoded")
    sys.stdout.write(
        f"已写入 {out}：{len(draft.rules)} 条规则（{encoded} 个条款），{len(draft.coverage)} 个条款均有覆盖条目\n"
    )
    for f in draft.facts:
        sys.stdout.write(f"新声明的事实 {f['name']}（{f['type']}）：{f['label']} —— 请核对，或换成词表中已有的事实\n")
    for item in draft.left_out:
        sys.stdout.write(f"未能起草：{item}\n")
    for p in problems:  # by construction none; printed if the corpus changed under the draft
        sys.stdout.write(f"FAIL {p}\n")
    sys.stdout.write(
        f"下一步：policy-qa rules show {pid} 逐条核对，改完把 review 改为 done，再运行 policy-qa rules --check\n"
    )
    return 1 if problems else 0
