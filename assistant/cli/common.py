"""Helpers shared by sub-commands: reading queries (argument or `-` for stdin), JSON output."""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any


def iter_queries(arg: str) -> Iterator[str | bytes]:
    """Yield the one query, or with ``-`` every line of stdin (blank lines included, in order).

    A stdin line that is not valid UTF-8 is yielded as bytes, so that check_query refuses it
    (「不是有效的 UTF-8 文本」) and the command exits non-zero, instead of guessing at it.
    """
    if arg != "-":
        yield arg
        return
    stream = sys.stdin.buffer
    for raw in stream:
        line = raw.rstrip(b"\r\n")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    sys.stderr.write(f"policy-qa: {message}\n")
