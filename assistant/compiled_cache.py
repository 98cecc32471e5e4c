"""Start-up data compiled once and reused: parsed YAML as pickles, keyed by the sources' stat.

A short-lived command (`policy-qa ask`) would otherwise re-parse the same YAML (facts, lexicon, place
list, rules) with the pure-Python parser on every run. The key of a compiled file is a hash of each
source's path, size and modification time (plus the format and Python version), never of its
contents, so checking the cache costs one ``stat`` per file and no read of the corpus.

The cache lives in ``<data_dir>/cache`` (falling back to the temp directory when that is not
writable); a stale or damaged file is simply rebuilt, and files are replaced atomically, so two
processes compiling at once cannot leave a half-written one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = "1"
MAX_FILES = 32  # compiled files kept per family (corpus-, index-, yaml-, …), newest first


def stamp(paths: Iterable[Path | str], salt: str = "") -> str:
    """Hash of each path's (name, size, mtime): changes when any source is edited, added or removed."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version_info[:2]}\0{salt}\n".encode())
    for p in paths:
        try:
            st = os.stat(p)
            h.update(f"{os.path.abspath(p)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{os.path.abspath(p)}\0missing\n".encode())
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The stat of this package's modules: pickles hold its classes, so any code edit recompiles them."""
    package = Path(__file__).resolve().parent
    return stamp(sorted(package.rglob("*.py")))


@lru_cache(maxsize=1)
def cache_dir() -> Path:
    """``<data_dir>/cache`` if writable, else a per-user directory under the temp directory."""
    candidates = []
    try:
        from .config import get_settings

        candidates.append(Path(get_settings().data_dir) / "cache")
    except Exception:  # a broken config must not stop a cache fallback
        pass
    uid = os.getuid() if hasattr(os, "getuid") else 0
    candidates.append(Path(tempfile.gettempdir()) / f"policy-qa-cache-{uid}")
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    return Path(tempfile.gettempdir())


def cache_path(name: str, key: str, suffix: str) -> Path:
    return cache_dir() / f"{name}-{key}{suffix}"


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same directory, then rename it over ``target``;
    older files of the same name (other keys) are removed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    prefix = target.name.rsplit("-", 1)[0] + "-"
    for old in target.parent.glob(f"{prefix}*{target.suffix}"):
        if old != target and old.name.rsplit("-", 1)[0] + "-" == prefix:
            _unlink(old)
    # Other directories' files (test runs, moved corpora) are never replaced by a newer key: each family
    # (corpus, index, yaml, …) keeps its newest MAX_FILES, so many test directories cannot evict the rest.
    family = target.name.split("-", 1)[0] + "-"
    files = []
    for p in target.parent.glob(f"{family}*"):
        try:
            files.append((p.stat().st_mtime, p))
        except OSError:
            continue
    for _, old in sorted(files, key=lambda x: x[0], reverse=True)[MAX_FILES:]:
        _unlink(old)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


@contextmanager
def _gc_paused():
    """Unpickling creates many objects at once; the collector's passes over them only cost time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compiled(name: str, sources: Iterable[Path | str], build: Callable[[], Any], salt: str = "") -> Any:
    """``build()``'s result, pickled under a key of ``sources``' stat; rebuilt when a source changes."""
    sources = list(sources)
    path = cache_path(name, stamp(sources, salt + code_stamp()), ".pickle")
    try:
        with open(path, "rb") as fh, _gc_paused():
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or incompatible cache file: rebuild it
        pass
    value = build()
    try:

        def write(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

        replace_atomically(path, write)
    except OSError:
        pass  # a read-only disk: correct, just not faster next time
    return value


def load_yaml(path: Path | str) -> Any:
    """``yaml.safe_load`` of a file, compiled: the parsed data is reused while the file is unchanged."""
    path = Path(path)

    def parse() -> Any:
        import yaml

        return yaml.safe_load(path.read_text(encoding="utf-8"))

    return compiled(f"yaml-{path.stem}-{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:8]}", [path], parse)
