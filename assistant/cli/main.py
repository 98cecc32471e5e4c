"""Entry point of `policy-qa`: builds the parser from the sub-command modules."""

from __future__ import annotations

import argparse
import importlib
import sys

# Sub-command modules, in the order `--help` lists them. A module missing here
# (a feature not built yet) is skipped rather than breaking the whole CLI.
# Commands that answer a few queries and exit: they read jieba's dictionary from its compiled file on
# demand instead of loading all of it (half a second of start-up); servers and builds load it whole.
SHORT_LIVED = {"ask", "chat", "search", "calc", "clauses", "policies", "rules", "feedback"}

COMMANDS = [
    "ask",
    "chat",
    "search",
    "calc",
    "policies",
    "clauses",
    "import",
    "rules",
    "index",
    "eval",
    "serve",
    "feedback",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policy-qa")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-qa", description="电商惠企政策问答助手：条款检索、奖补测算与政策问答（离线运行）"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"assistant.cli.{name}_cmd")
        except ModuleNotFoundError as exc:
            if exc.name == f"assistant.cli.{name}_cmd":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.command in SHORT_LIVED:
        from ..jieba_loader import prefer_stored_dictionary

        prefer_stored_dictionary()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
