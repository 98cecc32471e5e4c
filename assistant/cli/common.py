"""Helpers shared by sub-commands: reading queries (argument or `-` for stdin), JSON output."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any


def iter_queries(arg: str) -> Iterator[str]:
    """Yield the one query, or with ``-`` every line of stdin (blank lines included, in order)."""
    if arg != "-":
        yield arg
        return
    stream = sys.stdin.buffer
    for raw in stream:
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        yield line


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(f"policy-qa: {message}\n")
