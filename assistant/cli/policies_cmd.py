"""`policy-qa policies [--json]`: the policies in the corpus, with their validity today."""

from __future__ import annotations

import argparse
import datetime as dt

from assistant.cli.common import error, print_json
from assistant.config import get_settings
from assistant.corpus import CorpusError
from assistant.service import policies


def policy_rows(day: dt.date | None = None) -> list[dict]:
    """One row per policy (assistant.service.policies, shared with the web)."""
    return policies(day)


def _place(jurisdiction: dict) -> str:
    return "".join(part for part in (jurisdiction["province"], jurisdiction["city"], jurisdiction["district"]) if part)


def run(args: argparse.Namespace) -> int:
    day = get_settings().current_date()
    try:
        rows = policy_rows(day)
    except CorpusError as exc:
        error(str(exc))
        return 1
    if args.json:
        print_json({"as_of": day.isoformat(), "policies": rows})
        return 0
    print(f"政策库（{len(rows)} 件，效力按 {day.isoformat()} 计）")
    for row in rows:
        print(f"\n[{row['id']}] {row['title']}")
        print(f"  发文机关：{row['issuer']}　文号：{row['doc_number'] or '未载明'}")
        print(f"  适用地区：{_place(row['jurisdiction'])}　状态：{row['status_label']}")
        period = f"{row['effective_from'] or '未载明'} 至 {row['effective_to'] or '未载明'}"
        print(f"  效力：{row['validity_label']}　有效期：{period}　条款数：{row['clauses']}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("policies", help="列出政策库中的政策及其当前效力")
    parser.add_argument("--json", action="store_true", help='输出 JSON：{"policies": [...]}')
    parser.set_defaults(func=run)
