"""Normalise user text before anything reads it, and refuse what cannot be a query.

One place for: NFKC (full-width digits and letters), traditional → simplified
characters, control characters, and size/emptiness/binary checks with a clear
Chinese message (the CLI, API and UI all show that message as is).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


class InputError(ValueError):
    """User input that cannot be processed; ``str(err)`` is the message to show."""

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.code = code


# The one clause-break pattern: punctuation that ends a clause in normalised text (full-width forms are
# ASCII by then; both are listed so raw text reads the same). nlu.figures.CLAUSE_BREAK adds 、, connectives
# and spares the comma inside 「3,000」 where a value is bound to a fact.
CLAUSE_PUNCT = re.compile(r"[,，。;；!！?？\n]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u3000]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # opencc-python-reimplemented: pure Python, no downloads

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def normalize(text: str) -> str:
    """NFKC, simplified characters, no control characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    text = to_simplified(text)
    text = _SPACES.sub(" ", text)
    return text.strip()


def looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    if not text:
        return False
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\r\t")
    return bad / len(text) > 0.1


def check_query(text: str | bytes | None, max_chars: int, what: str = "查询") -> str:
    """Validate and normalise one query; raise InputError with a user-facing message."""
    if text is None:
        raise InputError(f"{what}内容为空，请输入关键词或问题。", "empty")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{what}内容不是有效的 UTF-8 文本。", "binary") from exc
    if looks_binary(text):
        raise InputError(f"{what}内容包含无法识别的二进制字符，请输入中文文字。", "binary")
    if len(text) > max_chars:
        raise InputError(f"{what}内容过长（{len(text)} 字），上限为 {max_chars} 字，请精简后再试。", "too_long")
    norm = normalize(text)
    if not norm:
        raise InputError(f"{what}内容为空，请输入关键词或问题。", "empty")
    return norm
