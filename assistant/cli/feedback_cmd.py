"""`policy-qa feedback export --csv [--output F]`: the 有用/没用 marks for the staff who maintain the rules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("feedback", help="导出用户反馈（有用/没用）")
    sub = parser.add_subparsers(dest="feedback_command", metavar="ACTION")
    export = sub.add_parser("export", help="导出全部反馈")
    export.add_argument("--csv", action="store_true", required=True, help="CSV 格式（目前唯一的格式）")
    export.add_argument(
        "--output", "-o", type=Path, help="写入文件（UTF-8 带 BOM，Excel 可直接打开）；缺省写到标准输出"
    )
    export.add_argument("--db", type=_db_target, help="反馈数据库：SQLite 路径或 PostgreSQL URL（缺省取配置）")
    export.set_defaults(func=_export)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _db_target(value: str) -> str | Path:
    return value if "://" in value else Path(value)


def _export(args: argparse.Namespace) -> int:
    from ..config import get_settings
    from ..feedback import FeedbackStore, to_csv

    target = args.db or get_settings().feedback_target
    if isinstance(target, Path) and not target.exists():
        error(f"反馈数据库不存在：{target}")
        return 1
    try:
        text = to_csv(FeedbackStore(target).all())
    except Exception as exc:  # unreachable database, wrong credentials …: a message, not a traceback
        error(f"无法读取反馈数据库：{type(exc).__name__}")
        return 1
    if args.output:
        # BOM so that Excel on Windows reads the Chinese as UTF-8.
        args.output.write_text(text, encoding="utf-8-sig", newline="")
        sys.stderr.write(f"已导出到 {args.output}\n")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0
