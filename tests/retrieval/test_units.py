"""Small pure parts: BM25 scoring, fusion, highlighting, citations, chunking."""

import numpy as np

from assistant.models import Clause
from assistant.retrieval.bm25_index import BM25Index
from assistant.retrieval.highlight import citation, find_highlights, mark
from assistant.retrieval.hybrid import rrf_fuse
from assistant.retrieval.records import CHUNK_CHARS, ClauseRecord


def test_bm25_ranks_rare_term_first_and_round_trips(tmp_path):
    idx = BM25Index.build(["a", "b", "c"], [["直播", "奖励"], ["海外仓", "奖励"], ["奖励", "奖励"]])
    assert idx.top(["海外仓"], 3) == [(1, idx.top(["海外仓"], 3)[0][1])]
    assert idx.top(["不存在"], 3) == []
    masked = idx.top(["奖励"], 3, mask=np.array([True, False, False]))
    assert [i for i, _ in masked] == [0]
    idx.save(tmp_path / "bm25.json")
    again = BM25Index.load(tmp_path / "bm25.json")
    assert np.allclose(again.scores(["奖励", "直播"]), idx.scores(["奖励", "直播"]))


def test_rrf_weights_and_ties():
    fused = rrf_fuse([["a", "b"], ["b", "c"]], [1.0, 1.0], k=5)
    assert [k for k, _ in fused] == ["b", "a", "c"]
    only_bm25 = rrf_fuse([["a", "b"], ["b", "a"]], [1.0, 0.0], k=5)
    assert [k for k, _ in only_bm25] == ["a", "b"]


def test_highlights_and_marking():
    text = "对建设免费社区智能快递柜终端的运营主体给予补助"
    found = find_highlights(["智能快递柜", "快递", "补助", "海外仓"], text)
    assert found == ["智能快递柜", "补助"]  # 快递 only occurs inside 智能快递柜
    assert mark(text, found, tty=False).count("【") == 2
    assert "\033[" in mark(text, found, tty=True)


def test_citation_forms():
    assert citation("某政策", "五") == "《某政策》第五条"
    assert citation("某政策", "十一") == "《某政策》第十一条"
    assert citation("某政策", "三（一）3") == "《某政策》三（一）3"
    assert citation("某政策", "（八）") == "《某政策》（八）"
    assert citation("某政策", "附则1") == "《某政策》附则1"


def test_long_clause_is_embedded_as_windows_with_context():
    text = "。".join(f"第{i}句讲一项奖励标准和申报条件，内容较长需要切分" for i in range(12)) + "。"
    clause = Clause(policy_id="p", clause_id="三（一）1", heading="支持示范园区", parents=["支持政策"], text=text)
    rec = ClauseRecord.from_clause(clause, None)
    chunks = rec.dense_chunks()
    assert len(chunks) > 1
    assert all("支持政策" in c and "支持示范园区" in c for c in chunks)
    assert all(len(c) < CHUNK_CHARS + 60 for c in chunks)
    short = ClauseRecord.from_clause(Clause(policy_id="p", clause_id="一", text="短条款。"), None)
    assert len(short.dense_chunks()) == 1


def test_sentence_transformers_backend_needs_a_local_directory(tmp_path):
    import pytest

    from assistant.retrieval.embeddings import get_embeddings

    with pytest.raises(ValueError, match="EMBEDDING_MODEL_PATH"):
        get_embeddings("sentence-transformers", None)
    with pytest.raises(ValueError, match="不是本地目录"):
        get_embeddings("sentence-transformers", tmp_path / "missing")
