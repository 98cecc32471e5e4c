"""Retrieval scoped before ranking: policy_ids, BM25 postings slices, place-first ranking, warm path."""

import threading

import numpy as np
import pytest

from assistant.retrieval.bm25_index import BM25Index
from assistant.retrieval.embeddings import QueryCache, get_embeddings


def test_bm25_slices_score_exactly_like_a_mask():
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(30)]
    docs = [list(rng.choice(vocab, size=rng.integers(3, 12))) for _ in range(200)]
    idx = BM25Index.build([str(i) for i in range(200)], docs)
    ranges = [(10, 40), (90, 91), (150, 200)]
    mask = np.zeros(200, dtype=bool)
    for lo, hi in ranges:
        mask[lo:hi] = True
    for q in (["w1", "w2"], ["w3", "w3", "w29"], ["nothing"]):
        got, want = idx.top_in(q, 15, ranges), idx.top(q, 15, mask)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])
    assert idx.top_in(["w1"], 5, []) == []


def test_query_cache_is_an_lru_of_read_only_vectors():
    calls = []
    cache = QueryCache(size=2)
    vec = cache.get_or_compute(" 网店  补贴 ", lambda t: calls.append(t) or np.ones(3))
    assert cache.get_or_compute("网店 补贴", lambda t: calls.append(t) or np.zeros(3)) is vec  # normalised key
    assert calls == ["网店 补贴"] and not vec.flags.writeable
    cache.get_or_compute("a", lambda t: np.zeros(3))
    cache.get_or_compute("b", lambda t: np.zeros(3))
    cache.get_or_compute("网店 补贴", lambda t: calls.append(t) or np.ones(3))
    assert len(calls) == 2  # evicted, computed again


def test_two_threads_embed_at_once_with_the_serial_results():
    model = get_embeddings()
    texts = [f"电商企业第{i}年网络零售额{i * 100}万元奖励" for i in range(8)]
    serial = model.passage_vectors(texts)
    out = {}

    def work(part):
        out[part] = model.passage_vectors(texts[part * 4 : (part + 1) * 4])

    threads = [threading.Thread(target=work, args=(p,)) for p in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert np.array_equal(np.concatenate([out[0], out[1]]), serial)


@pytest.mark.slow
def test_policy_ids_scope_both_retrievers(service):
    r = service.rankings("补贴 奖励", ["jining-2022"], 30)
    assert r.bm25 and r.dense
    assert {k.split("::")[0] for k in r.bm25 + r.dense} == {"jining-2022"}
    hits = service.search("齐鲁电商贷", top_k=3, policy_ids=["liaocheng-2022", "zibo-2022"])
    assert {h.policy_id for h in hits} <= {"liaocheng-2022", "zibo-2022"}
    assert (hits[0].policy_id, hits[0].clause_id) in {("liaocheng-2022", "十一"), ("zibo-2022", "八")}
    assert service.search("齐鲁电商贷", policy_ids=[]) == []
    assert service.search("齐鲁电商贷", policy_ids=["no-such-policy"]) == []
    # intersects with an explicit policy filter
    assert {
        h.policy_id for h in service.search("奖励", policy="zibo-2022", policy_ids=["zibo-2022", "jining-2022"])
    } == {"zibo-2022"}


@pytest.mark.slow
def test_scoped_search_finds_every_clause_of_the_scope_that_matches(service):
    # The scope's clauses are ranked among themselves, not cut from a global top-k.
    scoped = service.search("奖励", top_k=30, policy_ids=["jinyun-2025"])
    assert len(scoped) >= 5 and {h.policy_id for h in scoped} == {"jinyun-2025"}


@pytest.mark.slow
def test_a_place_named_in_the_query_ranks_its_policies_first(service):
    out = service.run("外地电商公司在聊城的分公司转成独立法人纳统有奖励吗", top_k=5)
    assert out.preferred == ["liaocheng-2022"] and out.policy_ids is None
    assert out.hits[0].policy_id == "liaocheng-2022"
    assert out.places[0] == "聊城市"
    plain = service.run("齐鲁电商贷", top_k=3)
    assert plain.preferred == [] and set(plain.places) == {"淄博市", "聊城市", "济宁市"}


@pytest.mark.slow
def test_no_count_per_query(service, monkeypatch):
    def boom(*a, **k):
        raise AssertionError("count() per query")

    monkeypatch.setattr(type(service.collection), "count", boom)
    assert service.search("智能快递柜", top_k=1)[0].clause_id == "三（四）3"
