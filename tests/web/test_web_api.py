"""The REST API over real HTTP against the running server (policy-qa serve in a subprocess)."""

from __future__ import annotations

import re
import sqlite3

import httpx
import pytest

CJK = re.compile(r"[\u4e00-\u9fff]")
LIVESTREAM_Q = "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def assert_json_error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) >= {"error", "code"}
    assert CJK.search(body["error"]), body
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


@pytest.fixture(scope="module")
def client(live_server):
    with httpx.Client(base_url=live_server.url, timeout=120) as c:
        yield c


# ---- contracts ---------------------------------------------------------------------------------------------


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_policies_lists_every_policy_with_status(client):
    from assistant.corpus import load_policies

    rows = client.get("/api/policies").json()["policies"]
    assert {r["id"] for r in rows} == {m.id for m in load_policies()}
    by_id = {r["id"]: r for r in rows}
    assert by_id["liaocheng-2022"]["status"] == "draft"
    assert all(r["issuer"] and r["title"] for r in rows)


def test_clause_with_neighbours_and_citation(client):
    r = client.get("/api/clauses/zibo-2022/五")
    assert r.status_code == 200
    body = r.json()
    assert body["clause"]["clause_id"] == "五" and "直播" in body["clause"]["text"]
    assert body["previous"]["clause_id"] == "四" and body["next"]["clause_id"] == "六"
    assert body["citation"].startswith("《") and "》" in body["citation"]


def test_unknown_clause_is_json_404(client):
    body = assert_json_error(client.get("/api/clauses/zibo-2022/九十九"), 404)
    assert body["code"] == "clause_not_found"


def test_search_contract_and_filters(client):
    r = client.get("/api/search", params={"q": "直播电商 奖励", "top": 3})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert 1 <= len(hits) <= 3
    for h in hits:
        assert {"policy_id", "clause_id", "text", "score", "citation", "highlights"} <= set(h)
    assert any("直播" in t for h in hits for t in h["highlights"])
    only = client.get("/api/search", params={"q": "直播电商 奖励", "policy": "zibo-2022"}).json()["hits"]
    assert only and {h["policy_id"] for h in only} == {"zibo-2022"}


def test_ask_contract_livestream_question(client):
    r = client.post("/api/ask", json={"question": LIVESTREAM_Q})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"answer", "awards", "citations", "follow_up", "warnings", "session_id"}
    assert body["session_id"]
    amounts = [a["amount_yuan"] for a in body["awards"] if a["status"] != "ineligible"]
    assert 200000 in amounts, body["awards"]
    assert body["citations"] and all(c["text"] and c["policy_id"] for c in body["citations"])
    # the session continues
    r2 = client.post("/api/ask", json={"question": "是当年新注册的，已经纳统", "session_id": body["session_id"]})
    assert r2.status_code == 200 and r2.json()["session_id"] == body["session_id"]


def test_calc_contract(client):
    r = client.post(
        "/api/calc",
        json={"region": "聊城市", "facts": {"entity_kind": "直播电商企业", "online_retail_sales": "3000万"}},
    )
    assert r.status_code == 200, r.text
    awards = r.json()["awards"]
    assert any(a["amount_yuan"] == 200000 and a["status"] in ("eligible", "conditional") for a in awards)


def test_feedback_is_stored_without_client_ip(client, live_server):
    payload = {
        "useful": False,
        "question": LIVESTREAM_Q,
        "answer": "可获20万元",
        "awards": [{"policy_id": "liaocheng-2022", "clause_id": "六", "status": "conditional", "amount_yuan": 200000}],
        "citations": [{"policy_id": "liaocheng-2022", "clause_id": "六", "citation": "《…》第六条"}],
        "remark": "金额<b>与</b>我了解的不一致",
        "source": "widget",
    }
    r = client.post("/api/feedback", json=payload)
    assert r.status_code == 200, r.text
    fid = r.json()["id"]
    with sqlite3.connect(live_server.feedback_db) as conn:
        row = conn.execute(
            "SELECT useful, remark, question, awards_json, source FROM feedback WHERE id=?", (fid,)
        ).fetchone()
        columns = [c[1] for c in conn.execute("PRAGMA table_info(feedback)")]
    assert (
        row[0] == 0
        and row[1] == payload["remark"]
        and row[2] == LIVESTREAM_Q
        and "200000" in row[3]
        and row[4] == "widget"
    )
    assert not any("ip" in c.lower() or "session" in c.lower() for c in columns)


# ---- validation: JSON errors with Chinese messages --------------------------------------------------------


def test_ask_missing_question_is_422_chinese(client):
    body = assert_json_error(client.post("/api/ask", json={}), 422)
    assert body["code"] == "validation_error" and "问题" in body["error"]


def test_ask_unknown_field_is_refused(client):
    body = assert_json_error(client.post("/api/ask", json={"question": "你好", "qustion": "x"}), 422)
    assert "不支持的字段" in body["error"]


def test_ask_blank_and_too_long_are_400(client):
    assert assert_json_error(client.post("/api/ask", json={"question": "   "}), 400)["code"] == "empty"
    assert assert_json_error(client.post("/api/ask", json={"question": "长" * 1001}), 400)["code"] == "too_long"


def test_malformed_json_is_json_error(client):
    r = client.post("/api/ask", content=b'{"question": ', headers={"content-type": "application/json"})
    assert_json_error(r, 422)


def test_search_validation(client):
    assert_json_error(client.get("/api/search", params={"q": ""}), 400)
    assert_json_error(client.get("/api/search", params={"q": "直播", "top": 0}), 422)
    assert_json_error(client.get("/api/search"), 422)


def test_calc_unknown_fact_is_400_chinese(client):
    body = assert_json_error(client.post("/api/calc", json={"region": "淄博市", "facts": {"no_such_fact": 1}}), 400)
    assert "no_such_fact" in body["error"]


def test_unknown_path_and_wrong_method(client):
    assert_json_error(client.get("/api/nope"), 404)
    assert_json_error(client.get("/api/ask"), 405)


# ---- limits, CORS, caching ---------------------------------------------------------------------------------


def test_body_over_limit_is_413_json(strict_server):
    big = {"question": "长" * strict_server.max_bytes}
    r = httpx.post(strict_server.url + "/api/ask", json=big, timeout=30)
    assert_json_error(r, 413)


def test_streamed_body_over_limit_is_413_json(strict_server):
    def chunks():
        for _ in range(8):
            yield b'{"question": "' + b"a" * 1000

    r = httpx.post(
        strict_server.url + "/api/feedback", content=chunks(), headers={"content-type": "application/json"}, timeout=30
    )
    assert_json_error(r, 413)


def test_rate_limit_429_with_retry_after(strict_server):
    statuses = []
    last = None
    for _ in range(strict_server.rate_per_minute + 3):
        last = httpx.get(strict_server.url + "/api/policies", timeout=30)
        statuses.append(last.status_code)
        if last.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    assert statuses.count(200) <= strict_server.rate_per_minute
    body = assert_json_error(last, 429)
    assert body["code"] == "rate_limited"
    assert int(last.headers["retry-after"]) >= 1


def test_cors_allow_list(strict_server):
    ok = httpx.get(strict_server.url + "/openapi.json", headers={"Origin": strict_server.allowed_origin})
    assert ok.headers.get("access-control-allow-origin") == strict_server.allowed_origin
    other = httpx.get(strict_server.url + "/openapi.json", headers={"Origin": "http://evil.test"})
    assert "access-control-allow-origin" not in other.headers
    pre = httpx.options(
        strict_server.url + "/api/ask",
        headers={
            "Origin": strict_server.allowed_origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == strict_server.allowed_origin
    assert "POST" in pre.headers["access-control-allow-methods"]
    refused = httpx.options(
        strict_server.url + "/api/ask",
        headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "POST"},
    )
    assert refused.status_code == 400


def test_widget_js_cross_origin_and_cached(client):
    r = client.get("/widget.js", headers={"Origin": "http://some-gov-site.test"})
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert r.headers["access-control-allow-origin"] in ("*", "http://some-gov-site.test")
    assert re.search(r"max-age=\d+", r.headers["cache-control"])
    etag = r.headers["etag"]
    again = client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    demo = client.get("/demo")
    assert demo.status_code == 200 and "widget.js" in demo.text and demo.headers["etag"]


def test_root_redirects_to_ui_and_docs_are_local(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"].rstrip("/") == "/ui"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/ask" in docs.text
    assert client.get("/openapi.json").json()["paths"]["/api/ask"]


@pytest.mark.parametrize("path", ["/ui/", "/demo", "/docs", "/widget.js", "/ui/theme.css"])
def test_no_external_hosts_in_served_pages(client, path):
    text = client.get(path, follow_redirects=True).text
    hosts = {m.group(1) for m in re.finditer(r"(?:https?:)?//([a-zA-Z0-9.-]+\.[a-zA-Z]{2,})", text)}
    # XML namespaces are identifiers, not requests.
    hosts -= {"www.w3.org"}
    assert not hosts - LOCAL_HOSTS, sorted(hosts)
    assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_ending_a_session_forgets_its_facts(client):
    first = client.post("/api/ask", json={"question": "我们是茌平区的电商企业"}).json()
    sid = first["session_id"]
    assert sid
    assert client.delete(f"/api/session/{sid}").status_code == 204
    again = client.post("/api/ask", json={"question": "网络零售额3000万元，能拿多少？", "session_id": sid}).json()
    assert again["profile"].get("region") is None  # the place said in the ended session is gone
    assert client.delete(f"/api/session/{sid}").status_code == 204  # ending twice is fine
    assert client.delete("/api/session/a%20b").status_code in (400, 404, 422)
