"""`policy-qa ask [--json] QUESTION|-`: one answer per question (per stdin line with `-`)."""

from __future__ import annotations

import argparse

from .common import iter_queries, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="政策问答：用中文提问，返回适用条款、金额、待确认条件与原文引用")
    p.add_argument("question", help="问题；用 - 从标准输入逐行读取")
    p.add_argument(
        "--json", action="store_true", help="每个问题输出一行 JSON（answer/awards/citations/follow_up/warnings）"
    )
    p.add_argument("--region", help="预设地区（县区或市名），问题未提地区时使用")
    p.add_argument(
        "--session", help="会话 id：与 - 同用时，标准输入的各行作为同一会话的多轮追问（会话只在本进程内保存）"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..render.answer import terminal_text
    from ..service import ask

    rc = 0
    session = args.session
    for line in iter_queries(args.question):
        resp = ask(line, session_id=session, region=args.region)
        if args.session:  # later lines continue this conversation, whatever id the store gave it
            session = resp.session_id or session
        if resp.error and resp.error != "empty":
            rc = 2
        if args.question != "-" and resp.error == "empty":
            rc = 2
        if args.json:
            print_json(resp.model_dump(mode="json"))
        else:
            print(terminal_text(resp))
            print()
    return rc
