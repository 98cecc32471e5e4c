"""Helpers shared by sub-commands: reading queries (argument or `-` for stdin), JSON output."""

from __future__ import annotations

import argparse
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


def int_in(low: int, high: int, what: str):
    """An argparse ``type`` for an integer option with a documented domain, refused in Chinese when outside it."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip()) if len(text.strip()) <= 12 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what}应为 {low} 至 {high} 的整数，得到 {text[:20]!r}")
        return value

    return parse
