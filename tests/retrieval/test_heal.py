"""The index verifies and heals itself: every kind of data file corrupted, then the service recovers."""

import shutil

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.retrieval.health import index_health
from assistant.retrieval.index_builder import build_index, current_path, read_manifest
from assistant.retrieval.service import HybridSearchService, IndexUnavailable

pytestmark = pytest.mark.slow


@pytest.fixture()
def built(tmp_path, index_settings, service):
    """A private index built from the session's embedding cache (no embedding needed)."""
    index = tmp_path / "index"
    index.mkdir()
    shutil.copy(index_settings.index_dir / "embedding-cache.npz", index / "embedding-cache.npz")
    settings = Settings(index_dir=index, corpus_dir=PROJECT_ROOT / "corpus")
    build_index(settings)
    assert index_health(settings).status == "ok"
    return settings


def _garble(path):
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 64] = b"\xff\x00garbage" * 8
    path.write_bytes(bytes(data))


def _files(build_dir):
    chroma = build_dir / "chroma"
    hnsw = next(p for p in chroma.iterdir() if p.is_dir())
    return {
        "bm25": (build_dir / "bm25.json", _garble),
        "clauses": (build_dir / "clauses.json", lambda p: p.write_text(p.read_text()[:-500])),
        "sqlite": (chroma / "chroma.sqlite3", _garble),
        "hnsw-data": (hnsw / "data_level0.bin", _garble),
        "hnsw-header": (hnsw / "header.bin", lambda p: p.write_bytes(b"\0" * p.stat().st_size)),
        "hnsw-length": (hnsw / "length.bin", lambda p: p.write_bytes(p.read_bytes()[:8])),
        "manifest": (build_dir / "manifest.json", lambda p: p.write_text("{not json")),
    }


@pytest.mark.parametrize("kind", ["bm25", "clauses", "sqlite", "hnsw-data", "hnsw-header", "hnsw-length", "manifest"])
def test_a_corrupted_file_is_detected_and_rebuilt_at_start_up(built, kind, capsys):
    build_dir = current_path(built).resolve()
    path, corrupt = _files(build_dir)[kind]
    corrupt(path)
    health = index_health(built)
    assert health.status == "damaged" and ("损坏" in health.detail)

    svc = HybridSearchService(built)
    assert "正在重建" in capsys.readouterr().err
    assert svc.build_dir != build_dir
    top = svc.search("智能快递柜", top_k=1)[0]
    assert (top.policy_id, top.clause_id) == ("chiping-2022", "三（四）3")
    health = index_health(built)
    assert health.status == "ok", health.detail
    assert svc.health().ok


def test_a_read_error_while_serving_rebuilds_and_answers(built):
    svc = HybridSearchService(built)
    first = svc.build_dir

    class Broken:
        def query(self, **kwargs):
            raise RuntimeError("Error loading hnsw index")

    svc.collection = Broken()
    hit = svc.search("公共海外仓", top_k=1)[0]
    assert (hit.policy_id, hit.clause_id) == ("chiping-2022", "三（三）1")
    assert svc.build_dir != first and svc.health().ok


def test_damage_that_cannot_be_rebuilt_is_refused_in_chinese(built, tmp_path):
    _garble(current_path(built).resolve() / "bm25.json")
    no_corpus = built.model_copy(update={"corpus_dir": tmp_path / "gone"})
    with pytest.raises(IndexUnavailable) as err:
        HybridSearchService(no_corpus)
    assert "policy-qa index" in str(err.value) and "索引" in str(err.value)


def test_manifest_lists_every_data_file_and_a_versioned_collection(built):
    build_dir = current_path(built).resolve()
    m = read_manifest(build_dir)
    names = set(m.files)
    assert {"bm25.json", "clauses.json", "chroma/chroma.sqlite3"} <= names
    assert any(n.endswith("data_level0.bin") for n in names)
    assert m.collection_name == f"{built.collection_name}_{m.version}" and m.version in build_dir.name
    assert set(m.policies) == {p.id for p in HybridSearchService(built).policies.values()}
