"""`policy-qa chat`: a multi-turn conversation in the terminal (the session keeps the profile)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chat", help="多轮对话（终端）：可追问「那如果销售额是5000万呢？」")
    p.add_argument("--region", help="预设地区（县区或市名）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..render.answer import terminal_text
    from ..service import ask

    print("电商惠企政策问答助手（输入问题后回车；输入 exit 或按 Ctrl-D 退出）")
    session = None
    while True:
        try:
            line = input("\n问> ")
        except EOFError:
            print()
            return 0
        if line.strip().lower() in {"exit", "quit", "q", "退出"}:
            return 0
        resp = ask(line, session_id=session, region=args.region)
        session = resp.session_id
        print("\n" + terminal_text(resp, numbered=True))
