"""Chinese tokenisation for BM25 and highlighting: jieba + a user dictionary of policy terms.

One process-wide jieba ``Tokenizer`` (not the global ``jieba.dt``, so other code's
jieba settings cannot change our index), initialised once and quietly, with its
cache in a temp directory so a read-only home never breaks start-up.
Documents and queries go through the same :func:`tokenize`.
"""

from __future__ import annotations

import re

from ..jieba_loader import get_jieba
from .numerals import digits_for_amounts
from .synonyms import expand

# Function words and question fillers: frequent in enterprise questions
# (「有没有」「能奖多少」), they carry no topic and only add noise to BM25.
STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 等 在 对 于 为 以 是 有 被 把 将 由 从 向 其 该 此 这 那 之 也 都 就 而 并 且 则
    我 我们 你 你们 他 她 它 他们 我司 本 各 每 个 家 些 这个 那个 这些 那些 哪些 哪个
    吗 呢 吧 啊 呀 么 嘛 哦
    什么 怎么 怎样 怎么样 如何 多少 几 能否 是否 可否 可以 能 能够 会 要 想 需要 请问 请 一下 有没有 没有 有无
    还 又 再 才 只 很 最 更 已 已经 如果 要是 假如 的话 之后 以后 以上 以下 以内 含
    给 给予 予以 按 按照 根据 关于 通过 进行 对于 上 下 中 内 外 年 元
    """.split()
)

_WORDLIKE = re.compile(r"\w", re.UNICODE)
_ASCII_WORD = re.compile(r"[a-z]+")


def _keep(token: str) -> bool:
    return bool(token) and token not in STOPWORDS and bool(_WORDLIKE.search(token))


def tokenize(text: str) -> list[str]:
    """Search-mode tokens of ``text``: whole policy terms plus their dictionary sub-words.

    Like jieba's search mode but with sub-words of any length: 实物商品网络零售额 also
    yields 实物商品/网络零售额/零售额…, so a query that says only 零售额 still matches; upper-casing first lets 「mcn机构」 hit
    the dictionary entry MCN机构; tokens are lower-cased for matching.
    """
    tk = get_jieba()
    text = _ASCII_WORD.sub(lambda m: m.group(0).upper(), digits_for_amounts(text))
    out: list[str] = []
    for word in tk.cut(text, HMM=True):
        word = word.strip()
        if not _keep(word):
            continue
        out.append(word.lower())
        out.extend(sub.lower() for sub in _dictionary_subwords(tk, word))
    return out


def _dictionary_subwords(tk, word: str) -> list[str]:
    """Every shorter dictionary word inside ``word`` (any length, unlike jieba's 2/3-grams)."""
    n = len(word)
    if n < 3:
        return []
    subs = []
    for size in range(n - 1, 1, -1):
        for i in range(n - size + 1):
            piece = word[i : i + size]
            if tk.FREQ.get(piece) and _keep(piece):
                subs.append(piece)
    return subs


def query_tokens(text: str, expand_synonyms: bool = True) -> list[str]:
    """BM25 tokens of a query: :func:`tokenize` plus thesaurus expansions (see synonyms.py)."""
    tokens = tokenize(text)
    return tokens + expand(tokens) if expand_synonyms else tokens


def query_terms(text: str) -> list[str]:
    """Distinct content terms of a query, longest first (used for highlighting)."""
    tk = get_jieba()
    text = _ASCII_WORD.sub(lambda m: m.group(0).upper(), text)
    seen: dict[str, None] = {}
    for w in tk.cut(text, HMM=True):
        w = w.strip()
        if _keep(w) and (len(w) > 1 or not w.isascii()):
            seen.setdefault(w, None)
    return sorted(seen, key=len, reverse=True)
