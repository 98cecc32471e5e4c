"""Chinese tokenisation for BM25 and highlighting: jieba + a user dictionary of policy terms.

One process-wide jieba ``Tokenizer`` (not the global ``jieba.dt``, so other code's
jieba settings cannot change our index), initialised once and quietly, with its
cache in a temp directory so a read-only home never breaks start-up.
Documents and queries go through the same :func:`tokenize`.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import threading
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path

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

_lock = threading.Lock()


def userdict_path() -> Path:
    return Path(str(resources.files("assistant") / "data" / "userdict.txt"))


def _cache_dir() -> str:
    """A writable directory for jieba's prefix-dict cache (never the home directory)."""
    path = os.path.join(tempfile.gettempdir(), f"policy-qa-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}")
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    return tempfile.gettempdir()


_stored = {"prefer": False}


def prefer_stored_dictionary() -> None:
    """Make :func:`get_jieba` read the prefix dictionary from its compiled file on demand (see
    :class:`StoredFreq`): for a short-lived command, which looks up a few hundred words, not for a
    server or an index build. Call before the first tokenisation."""
    _stored["prefer"] = True


def _import_jieba():
    # jieba 0.42 imports pkg_resources only to open its own dictionary file, and falls back to a plain
    # open() without it; pkg_resources scans every installed distribution (0.1–0.4 s of start-up), so
    # it is hidden while jieba is imported and importable again afterwards.
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # None in sys.modules makes the import fail (ImportError)
    try:
        with warnings.catch_warnings():  # jieba 0.42 has invalid escape sequences (DeprecationWarning on compile)
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", SyntaxWarning)
            import jieba
            import jieba.finalseg  # compiled here, under the filter, not on first cut
    finally:
        if hide and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict…" chatter on stderr
    return jieba


def _load_full(jieba):
    tk = jieba.Tokenizer()
    tk.tmp_dir = _cache_dir()
    tk.initialize()
    tk.load_userdict(str(userdict_path()))
    return tk


@lru_cache(maxsize=1)
def get_jieba():
    """The shared, initialised jieba tokenizer with our user dictionary loaded."""
    jieba = _import_jieba()
    with _lock:
        if _stored["prefer"]:
            path = stored_dictionary_path(jieba)
            if not path.exists():
                tk = _load_full(jieba)
                write_stored_dictionary(tk, path)
                return tk
            try:
                tk = jieba.Tokenizer()
                tk.FREQ = StoredFreq(path)
                tk.total = tk.FREQ.total
                tk.initialized = True
                return tk
            except Exception:  # a damaged file: the in-memory dictionary is always right
                pass
        return _load_full(jieba)


class StoredFreq:
    """jieba's prefix dictionary (word → frequency; 0 for a bare prefix), user dictionary included,
    read from a compiled SQLite file on demand. Loading the whole dictionary (~500,000 entries) costs
    about half a second, while a question needs a few hundred of its entries; jieba only uses
    ``in``, ``[]`` and ``get`` on it, so segmentation is identical."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.total = int(self._db.execute("SELECT f FROM meta WHERE k='total'").fetchone()[0])
        self._memo: dict[str, int | None] = {}
        self._db_lock = threading.Lock()

    def get(self, word: str, default=None):
        try:
            value = self._memo[word]
        except KeyError:
            with self._db_lock:
                row = self._db.execute("SELECT f FROM freq WHERE w=?", (word,)).fetchone()
            value = self._memo[word] = row[0] if row else None
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __setitem__(self, word: str, freq: int) -> None:  # jieba.add_word at run time: this process only
        self._memo[word] = freq

    def setdefault(self, word: str, default: int = 0) -> int:
        if word not in self:
            self[word] = default
        return self[word]


def stored_dictionary_path(jieba=None) -> Path:
    """The compiled dictionary's file, keyed by jieba's and our user dictionary's stat."""
    from ..compiled_cache import cache_path, stamp

    jieba = jieba or _import_jieba()
    key = stamp([_default_dict(jieba), userdict_path()],
                salt=f"jieba {getattr(jieba, '__version__', '?')}")
    return cache_path("jieba-freq", key, ".sqlite3")


def _default_dict(jieba) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), "dict.txt")


def write_stored_dictionary(tk, path: Path | None = None) -> Path | None:
    """Compile ``tk``'s full in-memory dictionary to the file :class:`StoredFreq` reads; None if the
    cache directory is not writable (start-up is then merely slower)."""
    import sqlite3

    from ..compiled_cache import replace_atomically

    path = path or stored_dictionary_path()

    def write(tmp: Path) -> None:
        tmp.unlink()
        db = sqlite3.connect(tmp)
        try:
            db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, f INTEGER NOT NULL)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", tk.FREQ.items())
            db.execute("INSERT INTO meta VALUES ('total', ?)", (tk.total,))
            db.commit()
        finally:
            db.close()

    try:
        replace_atomically(path, write)
    except (OSError, sqlite3.Error):
        return None
    return path


def ensure_stored_dictionary() -> Path | None:
    """Compile the dictionary file if it is missing (after an index build, so the next command starts fast)."""
    path = stored_dictionary_path()
    if path.exists():
        return path
    return write_stored_dictionary(_load_full(_import_jieba()) if _stored["prefer"] else get_jieba(), path)


def user_terms() -> list[str]:
    """The policy terms of the user dictionary (kept whole by the tokenizer)."""
    terms = []
    for line in userdict_path().read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            terms.append(parts[0])
    return terms


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
