"""jieba, loaded once and quietly for every layer that segments Chinese: one process-wide ``Tokenizer`` (not the
global ``jieba.dt``, so other code's jieba settings cannot change our index) with the policy terms of the user
dictionary, its cache in a temp directory so a read-only home never breaks start-up, and — for short-lived
commands — its frequencies read on demand from a compiled SQLite file. Search tokenisation (retrieval/tokenizer.py)
and the gazetteer's common-word check (nlu) both read it here.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
            import jieba.finalseg
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
            except Exception:
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
    from .compiled_cache import cache_path, stamp

    jieba = jieba or _import_jieba()
    key = stamp([_default_dict(jieba), userdict_path()], salt=f"jieba {getattr(jieba, '__version__', '?')}")
    return cache_path("jieba-freq", key, ".sqlite3")


def _default_dict(jieba) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), "dict.txt")


def write_stored_dictionary(tk, path: Path | None = None) -> Path | None:
    """Compile ``tk``'s full in-memory dictionary to the file :class:`StoredFreq` reads; None if the
    cache directory is not writable (start-up is then merely slower)."""
    import sqlite3

    from .compiled_cache import replace_atomically

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
