"""`policy-qa rules`: list rules, check provenance (--check), clause coverage (--coverage), fact vocabulary (--facts)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import error, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rules",
        help="奖补规则：列表、出处校验、条款覆盖、事实词表",
        description="列出奖补规则；--check 校验每条规则的引文与数额均出自条款原文；--coverage 条款覆盖；--facts 事实词表。",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="出处校验（失败时退出码 1 并列出每个问题）")
    mode.add_argument("--coverage", action="store_true", help="每条条款的覆盖状态")
    mode.add_argument("--facts", action="store_true", help="事实词表及使用各事实的条款")
    p.add_argument(
        "action",
        nargs="?",
        choices=["draft", "show"],
        help="draft ID：从条款起草规则文件（--evaluate 与手工规则比对）；show ID [CLAUSE]：条款与规则对照",
    )
    p.add_argument("targets", nargs="*", metavar="ID [CLAUSE]", help="政策 id（show 可再加条款 id）")
    p.add_argument(
        "--evaluate", action="store_true", help="draft：起草政策库中已有手工规则的政策并比对（查准率/查全率）"
    )
    p.add_argument("--out", type=Path, help="draft：写到此文件（默认 rules/<id>.yaml）")
    p.add_argument("--force", action="store_true", help="draft：覆盖已有规则文件")
    p.add_argument("--policy", help="只看某个政策 id")
    p.add_argument("--rules-dir", type=Path, help="规则目录（默认设置的 rules_dir）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..rules.loader import RuleLoadError, load_rulebook

    if args.action == "draft":
        from .rules_draft import run_draft

        return run_draft(args)
    if args.action == "show":
        from .rules_show import run_show

        return run_show(args)

    try:
        book = load_rulebook(args.rules_dir)
    except RuleLoadError as exc:
        for p in exc.problems:
            error(p)
        return 1
    if args.check:
        return _check(book, args)
    if args.coverage:
        return _coverage(book, args)
    if args.facts:
        return _facts(book, args)
    return _list(book, args)


def _check(book, args) -> int:
    from ..rules.provenance import check_rulebook

    problems = check_rulebook(book)
    if args.policy:
        problems = [p for p in problems if args.policy in p]
    n_rules = sum(len(pr.rules) for pid, pr in book.policies.items() if not args.policy or pid == args.policy)
    collisions = _word_collisions(book, args.policy)
    if args.json:
        print_json(
            {
                "ok": not problems,
                "rules": n_rules,
                "policies": sorted(book.policies),
                "problems": problems,
                "word_collisions": collisions,
            }
        )
    else:
        for p in problems:
            sys.stdout.write(f"FAIL {p}\n")
        for c in collisions:
            sys.stdout.write(f"NOTE {c['message']}\n")
        sys.stdout.write(
            ("出处校验通过" if not problems else f"出处校验失败：{len(problems)} 个问题")
            + f"（{len(book.policies)} 个规则文件，{n_rules} 条规则）\n"
        )
    return 1 if problems else 0


def _word_collisions(book, policy: str | None) -> list[dict]:
    """Words a rule file declares that the shared lexicon already gives another fact: not an error (inside the
    declaring policy's places its meaning wins, elsewhere the shared one), but worth the author's eye."""
    from ..facts import FACTS
    from ..nlu.vocabulary import declared_word_collisions

    out = []
    for pid, word, fact, shared in declared_word_collisions():
        if pid not in book.policies or (policy and pid != policy):
            continue
        theirs = "、".join(f"{FACTS[f].label}（{f}）" for f in shared)
        out.append(
            {
                "policy_id": pid,
                "word": word,
                "fact": fact,
                "shared_facts": list(shared),
                "message": f"{pid}: 声明的词“{word}”（{FACTS[fact].label}，{fact}）与共享词表冲突：共享词表中指{theirs}；"
                f"仅在{pid}适用的地区按本政策的含义理解",
            }
        )
    return out


def _coverage(book, args) -> int:
    from ..rules.coverage import coverage_report

    rep = coverage_report(book, [args.policy] if args.policy else None)
    if args.json:
        print_json(rep)
        return 0
    zh = {"encoded": "已编码", "non_monetary": "非资金", "not_formalised": "未形式化", "missing": "缺少覆盖"}
    for pol in rep["policies"]:
        sys.stdout.write(f"{pol['policy_id']}  ({pol['rule_file'] or '无规则文件'})\n")
        for c in pol["clauses"]:
            extra = ", ".join(c["rules"]) if c["rules"] else c.get("reason", "")
            sys.stdout.write(f"  {c['clause_id']:<10}{zh[c['status']]:<6} {extra}\n")
    return 0


def _facts(book, args) -> int:
    from ..facts import ENTITY_KINDS, FACTS

    used: dict[str, list[str]] = {}
    kinds_used: dict[str, list[str]] = {}
    for r in book.rules.values():
        if args.policy and r.policy_id != args.policy:
            continue
        for f in sorted(r.facts_used()):
            used.setdefault(f, []).append(f"{r.id} ({r.clause_id})")
        for k in r.applicants:
            kinds_used.setdefault(k, []).append(r.id)
    facts: list[dict[str, Any]] = []
    for f in FACTS.values():
        facts.append(
            {
                "name": f.name,
                "type": f.type,
                "unit": f.unit,
                "label": f.label,
                "aliases": list(f.aliases),
                "meaning": f.meaning,
                "values": f.values or None,
                "fallbacks": list(f.fallbacks),
                "question": f.ask(),
                "used_by": used.get(f.name, []),
            }
        )
    kinds = [
        {
            "name": k.name,
            "label": k.label,
            "parent": k.parent,
            "aliases": list(k.aliases),
            "used_by": kinds_used.get(k.name, []),
        }
        for k in ENTITY_KINDS.values()
    ]
    if args.json:
        print_json({"facts": facts, "entity_kinds": kinds})
        return 0
    for f in facts:
        unit = f" [{f['unit']}]" if f["unit"] else ""
        fb = f" ← {', '.join(f['fallbacks'])}（假设）" if f["fallbacks"] else ""
        sys.stdout.write(f"{f['name']:<42}{f['type']}{unit}  {f['label']}{fb}\n")
        if f["used_by"]:
            sys.stdout.write(f"    用于：{'; '.join(f['used_by'])}\n")
    sys.stdout.write("\n主体类型（entity_kind）：\n")
    for k in kinds:
        sys.stdout.write(f"  {k['name']:<26}{k['label']}" + (f"  ⊂ {k['parent']}" if k["parent"] else "") + "\n")
    return 0


def _list(book, args) -> int:
    rows = []
    for pid, pr in sorted(book.policies.items()):
        if args.policy and pid != args.policy:
            continue
        for r in pr.rules:
            rows.append(
                {
                    "rule_id": r.id,
                    "policy_id": pid,
                    "clause_id": r.clause_id,
                    "title": r.title,
                    "form": r.award.form,
                    "applicants": r.applicants,
                }
            )
    if args.json:
        print_json({"rules": rows})
        return 0
    for r in rows:
        sys.stdout.write(f"{r['rule_id']:<40}{r['clause_id']:<10}{r['form']:<14}{r['title']}\n")
    return 0
