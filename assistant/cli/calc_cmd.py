"""`policy-qa calc`: exact award figures for a structured profile in a region."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from .common import error, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calc",
        help="按结构化信息测算奖补金额（确定性规则引擎）",
        description="对某地区适用的全部政策，按给定事实测算每条奖补的资格与金额。事实名见 `policy-qa rules --facts`。",
    )
    p.add_argument("--region", required=True, help="地区（县区或市名）")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--facts", help='事实 JSON，如 \'{"entity_kind": "ecommerce_enterprise", "online_retail_sales": "3000万元"}\''
    )
    src.add_argument("--facts-file", type=Path, help="事实 JSON 文件（- 为标准输入）")
    p.add_argument("--date", help="测算日期 YYYY-MM-DD（默认今天/设置的 today）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--all", action="store_true", help="同时列出不符合的条款")
    p.set_defaults(func=run)


def _read_facts(args: argparse.Namespace) -> dict[str, Any]:
    from ..domain import loads  # depth, integer length and UTF-8 limits: a Chinese error, never a traceback

    if args.facts is not None:
        text: str | bytes = args.facts
    elif str(args.facts_file) == "-":
        text = sys.stdin.buffer.read()
    else:
        text = args.facts_file.read_bytes()
    data = loads(text)
    if not isinstance(data, dict):
        raise ValueError("facts 应为 JSON 对象")
    return data


def run(args: argparse.Namespace) -> int:
    from ..facts import FactsError
    from ..rules.calc import calculate
    from ..rules.loader import RuleLoadError
    from ..rules.regions import RegionError

    try:
        facts = _read_facts(args)
    except (OSError, ValueError) as exc:
        error(f"无法读取事实（--facts）：{exc}")
        return 2
    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        error(f"日期（--date）应为 YYYY-MM-DD：{args.date!r}")
        return 2
    try:
        result = calculate(args.region, facts, date)
    except FactsError as exc:
        for p in exc.problems:
            error(p)
        return 2
    except RegionError as exc:
        error(str(exc))
        return 2
    except RuleLoadError as exc:
        for p in exc.problems:
            error(p)
        return 1
    if args.json:
        print_json(result)
    else:
        sys.stdout.write(render(result, show_all=args.all))
    return 0


def render(result: dict[str, Any], show_all: bool = False) -> str:
    from decimal import Decimal

    from ..money import format_yuan
    from ..rules.results import STATUS_ZH

    def money(v: Any) -> str:
        return format_yuan(Decimal(str(v))) if v is not None else "—"

    lines = [f"地区：{result['region']}    政策：{'、'.join(result['policies'])}    测算日期：{result['date']}", ""]
    awards = [a for a in result["awards"] if show_all or a["status"] != "ineligible"]
    order = {"eligible": 0, "conditional": 1, "ineligible": 2}
    awards.sort(key=lambda a: (order[a["status"]], -(a["amount_yuan"] or 0)))
    if not awards:
        lines.append("没有符合或待确认的奖补条款。（--all 查看全部条款的判断）")
    else:
        lines.append(f"{'状态':<6}{'金额':<16}{'条款':<22}名称")
        for a in awards:
            if a["amount_yuan"] is not None:
                amt = ("最高" if a["is_ceiling"] else "") + ("每年" if a["per_year"] else "") + money(a["amount_yuan"])
            elif a["discretionary"]:
                amt = "金额未定" + (f"(最高{money(a['max_yuan'])})" if a["max_yuan"] is not None else "")
            else:
                amt = "待定" + (f"(最高{money(a['max_yuan'])})" if a["max_yuan"] is not None else "")
            clause = f"{a['policy_id']} {a['clause_id']}"
            lines.append(f"{STATUS_ZH[a['status']]:<6}{amt:<16}{clause:<22}{a['title']}")
    confirm = [(a, m) for a in awards if a["status"] == "conditional" for m in a["missing"]]
    if confirm:
        lines += ["", "待确认："]
        seen = set()
        for _award, m in confirm:
            if m["question"] in seen:
                continue
            seen.add(m["question"])
            lines.append(f"  - {m['question']}（{m['fact']}）")
        for a in awards:
            for s in a["assumptions"]:
                lines.append(f"  - 假设：{s['text']}（{a['clause_id']}）")
    gaps = [(a, a["gap"]) for a in result["awards"] if a.get("gap")]
    if gaps:
        lines += ["", "差距："]
        lines += [f"  - {a['policy_id']} {a['clause_id']} {a['title']}：{g}" for a, g in gaps]
    if show_all:
        failed = [a for a in awards if a["status"] == "ineligible"]
        if failed:
            lines += ["", "不符合原因："]
            lines += [f"  - {a['policy_id']} {a['clause_id']} {a['title']}：{'；'.join(a['failed'])}" for a in failed]
    warns = list(result["warnings"])
    for a in awards:
        for w in a["warnings"]:
            if w not in warns:
                warns.append(w)
    if warns:
        lines += ["", "提示："] + [f"  - {w}" for w in warns]
    lines += ["", f"可确定合计（就高不重复后）：{money(result['best_total_yuan'])}"]
    if result.get("conditional_total_yuan") not in (None, result["best_total_yuan"]):
        lines.append(f"若待确认条件均满足，合计可达：{money(result['conditional_total_yuan'])}")
    excluded = [b for b in result["total_breakdown"] if not b["counted"] and "就高" in b["reason"]]
    for b in excluded:
        lines.append(f"  未计入：{b['clause_id']} {b['title']} — {b['reason']}")
    return "\n".join(lines) + "\n"
