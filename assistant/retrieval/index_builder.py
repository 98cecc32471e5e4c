"""Build the hybrid index (Chroma + BM25 + clause snapshot) and keep it current.

Layout under ``Settings.index_dir``::

    current -> build-3f9a…      symlink, switched atomically with os.replace
    build-3f9a…/chroma/         persisted Chroma collection (our embedding function in its config)
    build-3f9a…/bm25.json       BM25 postings
    build-3f9a…/clauses.json    the clause + policy snapshot the index was built from
    build-3f9a…/manifest.json   corpus hash, recipe hash, embedding backend/model/dims, counts, timings
    .lock                       flock held while building, so racing processes build once

A build goes into a fresh directory and only becomes ``current`` when complete;
readers never see a half-built index. :func:`ensure_index` rebuilds when the
index is missing or stale (corpus hash, user dictionary or recipe changed).
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
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from ..config import Settings
from ..models import Clause, PolicyMeta
from .bm25_index import BM25Index
from .embedding_cache import CachedEmbeddings
from .embeddings import embeddings_for_settings
from .records import ClauseRecord, save_snapshot
from .tokenizer import tokenize, userdict_path
from .vector_store import create_collection, langchain_store, open_client

# Bump when what goes into the index changes (chunking, tokenisation, texts): forces a rebuild.
INDEX_FORMAT = 5  # 5: records carry the citation title (issuer + title, 征求意见稿)
EMBED_BATCH = 16

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IndexManifest(BaseModel):
    format: int
    recipe_hash: str
    corpus_hash: str
    embedding_backend: str
    embedding_model: str
    dims: int
    collection_name: str
    policy_count: int
    clause_count: int
    chunk_count: int
    embedded_chunks: int = 0  # chunks embedded in this build (the rest came from the embedding cache)
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


def _corpus_hash(settings: Settings) -> str:
    from .. import corpus

    return corpus.corpus_hash(settings.corpus_dir)


def staleness(settings: Settings, corpus_hash: str | None = None) -> str | None:
    """Why the current index cannot be used (a short Chinese reason), or None when it is fresh."""
    link = current_path(settings)
    if not link.exists():
        return "索引不存在"
    manifest = read_manifest(link.resolve())
    if manifest is None:
        return "索引清单缺失或损坏"
    if manifest.recipe_hash != recipe_hash(settings):
        return "索引配置（词典/嵌入模型/格式）已变化"
    if manifest.corpus_hash != (corpus_hash or _corpus_hash(settings)):
        return "政策语料已变化"
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


def stderr_progress(stage: str, done: int, total: int) -> None:
    """「嵌入向量 48/152」 on stderr: one rewritten line on a terminal, a line per quarter in logs."""
    if sys.stderr.isatty():
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r{stage} {done}/{total}{end}")
    elif total and (done >= total or done * 4 // total != (done - EMBED_BATCH) * 4 // total):
        sys.stderr.write(f"{stage} {done}/{total}\n")
    sys.stderr.flush()


def _load_corpus(settings: Settings) -> tuple[list[Clause], list[PolicyMeta], str]:
    from .. import corpus

    return (
        corpus.load_clauses(settings.corpus_dir),
        corpus.load_policies(settings.corpus_dir),
        corpus.corpus_hash(settings.corpus_dir),
    )


def build_index(
    settings: Settings,
    progress: Progress | None = None,
    *,
    clauses: Sequence[Clause] | None = None,
    policies: Sequence[PolicyMeta] | None = None,
    corpus_hash: str | None = None,
) -> Path:
    """Build a complete index in a fresh directory and switch ``current`` to it; returns the build dir.

    ``clauses``/``policies``/``corpus_hash`` default to the corpus in ``settings.corpus_dir``.
    Callers that may race should hold :func:`build_lock` (``ensure_index`` does).
    """
    started = time.perf_counter()
    if clauses is None or policies is None:
        clauses, policies, corpus_hash = _load_corpus(settings)
    corpus_hash = corpus_hash or "unknown"
    index_dir = Path(settings.index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix="build-", dir=index_dir))
    try:
        metas = {p.id: p for p in policies}
        records = [ClauseRecord.from_clause(c, metas.get(c.policy_id)) for c in clauses]
        keys = [r.key for r in records]
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise ValueError(f"duplicate clause ids in corpus: {dupes[:5]}")

        # Lexical side.
        BM25Index.build(keys, [tokenize(r.lexical_text) for r in records]).save(build_dir / "bm25.json")
        save_snapshot(build_dir / "clauses.json", records, list(policies))

        # Dense side: every chunk of every clause, embedded in batches through LangChain.
        embeddings = embeddings_for_settings(settings)
        model_name = getattr(embeddings, "model_name", settings.embedding_backend)
        cached = CachedEmbeddings(embeddings, index_dir / "embedding-cache.npz", model_name)
        model_path = str(settings.embedding_model_path) if settings.embedding_model_path else None
        client = open_client(build_dir / "chroma")
        create_collection(client, settings.collection_name, settings.embedding_backend, model_path)
        store = langchain_store(client, settings.collection_name, cached)
        texts, metas_out, ids = [], [], []
        for r in records:
            for i, chunk in enumerate(r.dense_chunks()):
                texts.append(chunk)
                metas_out.append({"policy_id": r.policy_id, "clause_id": r.clause_id, "key": r.key, "chunk": i})
                ids.append(f"{r.key}#{i}")
        total = len(texts)
        for start in range(0, total, EMBED_BATCH):
            end = min(start + EMBED_BATCH, total)
            store.add_texts(texts[start:end], metadatas=metas_out[start:end], ids=ids[start:end])
            if progress:
                progress("嵌入向量", end, total)
        if progress and total == 0:
            progress("嵌入向量", 0, 0)
        cached.save()

        manifest = IndexManifest(
            format=INDEX_FORMAT,
            recipe_hash=recipe_hash(settings),
            corpus_hash=corpus_hash,
            embedding_backend=settings.embedding_backend,
            embedding_model=model_name,
            dims=embeddings.dim,
            collection_name=settings.collection_name,
            policy_count=len(policies),
            clause_count=len(records),
            chunk_count=total,
            embedded_chunks=cached.misses,
            built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            build_seconds=round(time.perf_counter() - started, 3),
        )
        (build_dir / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        _switch_current(index_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    return build_dir


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
    settings: Settings, progress: Progress | None = None, log: Callable[[str], None] | None = None
) -> Path:
    """The current build directory, (re)building it first if it is missing or stale."""
    reason = staleness(settings)
    if reason is None:
        return current_path(settings).resolve()
    with build_lock(Path(settings.index_dir)):
        reason = staleness(settings)  # another process may have built it while we waited
        if reason is not None:
            (log or _stderr_line)(f"{reason}，正在重建检索索引……")
            build_index(settings, progress)
    return current_path(settings).resolve()


def _stderr_line(message: str) -> None:
    sys.stderr.write(f"policy-qa: {message}\n")
    sys.stderr.flush()


def manifest_summary(build_dir: Path) -> dict:
    m = read_manifest(build_dir)
    return json.loads(m.model_dump_json()) if m else {}
