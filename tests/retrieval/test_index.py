"""Index lifecycle: rebuild when the corpus changes, atomic switch, one build when processes race."""

import os
import shutil
import subprocess
import sys

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.retrieval.index_builder import current_path, ensure_index, read_manifest, staleness
from assistant.retrieval.service import HybridSearchService

pytestmark = pytest.mark.slow  # uses the session's real index (built once, ~10 s)


@pytest.fixture()
def corpus_copy(tmp_path, index_settings, service):
    """A private copy of the corpus and an index dir seeded with the session's embedding cache (fast builds)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus)
    index = tmp_path / "index"
    index.mkdir()
    shutil.copy(index_settings.index_dir / "embedding-cache.npz", index / "embedding-cache.npz")
    return Settings(index_dir=index, corpus_dir=corpus)


def test_rebuilds_when_the_corpus_changes(corpus_copy, capsys):
    settings = corpus_copy
    assert staleness(settings) == "索引不存在"
    first = ensure_index(settings)
    assert staleness(settings) is None
    assert ensure_index(settings) == first  # fresh: no rebuild

    text_file = settings.corpus_dir / "jinyun-2025.txt"
    text = text_file.read_text(encoding="utf-8")
    marker = "给予创建主体一次性奖励0.5万元。"
    assert marker in text
    text_file.write_text(text.replace(marker, marker + "另设璇玑创新奖。"), encoding="utf-8")

    assert staleness(settings) == "政策语料已变化"
    second = ensure_index(settings)
    assert "政策语料已变化" in capsys.readouterr().err
    assert second != first and not first.exists()  # switched, old build removed
    assert current_path(settings).is_symlink() and current_path(settings).resolve() == second
    manifest = read_manifest(second)
    assert 0 < manifest.embedded_chunks < manifest.chunk_count  # only the edited chunk was embedded again

    hit = HybridSearchService(settings, auto_build=False).search("璇玑创新奖", top_k=1)[0]
    assert (hit.policy_id, hit.clause_id) == ("jinyun-2025", "（七）")


def test_racing_processes_build_once(corpus_copy):
    code = (
        "import sys; from assistant.config import Settings; "
        "from assistant.retrieval.index_builder import ensure_index; "
        "print(ensure_index(Settings(index_dir=sys.argv[1], corpus_dir=sys.argv[2])))"
    )
    env = dict(os.environ)
    args = [sys.executable, "-c", code, str(corpus_copy.index_dir), str(corpus_copy.corpus_dir)]
    procs = [
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert outs[0][0] == outs[1][0]  # both use the same build
    assert sum("正在重建" in err for _, err in outs) == 1
    assert len(list(corpus_copy.index_dir.glob("build-*"))) == 1
