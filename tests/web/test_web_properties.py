"""Property tests (hypothesis): whatever a client sends as facts or feedback, the API answers 200 or a
Chinese 4xx — never a 5xx — and the numeric domain holds at the boundary."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import domain
from assistant.config import Settings
from assistant.web.api import create_app

NUMERIC_FACTS = [
    "online_retail_sales",
    "livestream_online_retail_sales",
    "operating_months",
    "online_retail_sales_growth_rate",
]
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=0, max_value=10**40).map(lambda n: f"{n}元"),
    st.text(max_size=30),
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("props")
    app = create_app(
        Settings(feedback_db=tmp / "fb.sqlite3", index_dir=tmp / "index", rate_limit_per_minute=0),
        with_ui=False,
        warm_up=False,
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _is_clean_refusal(r) -> bool:
    body = r.json()
    return 400 <= r.status_code < 500 and any("\u4e00" <= ch <= "\u9fff" for ch in body["error"])


@given(
    facts=st.dictionaries(
        st.sampled_from([*NUMERIC_FACTS, "entity_kind", "newly_registered_this_year", "x"]), json_values, max_size=4
    )
)
@SETTINGS
def test_calc_never_fails_on_any_facts(api, facts):
    body = json.dumps({"region": "淄博市", "facts": facts}, allow_nan=True, default=str)
    r = api.post("/api/calc", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200 or _is_clean_refusal(r), r.text
    if r.status_code == 200:
        for a in r.json()["awards"]:
            assert a["amount_yuan"] is None or 0 <= a["amount_yuan"] <= 10**15


@given(amount=st.one_of(numbers, st.booleans(), st.none()), text=st.text(max_size=50))
@SETTINGS
def test_feedback_never_fails_and_stores_no_control_characters(api, amount, text):
    body = json.dumps(
        {
            "useful": True,
            "question": text or "问",
            "remark": text,
            "awards": [{"policy_id": "zibo-2022", "clause_id": "五", "amount_yuan": amount}],
        },
        allow_nan=True,
        default=str,
    )
    r = api.post("/api/feedback", content=body, headers={"content-type": "application/json"})
    assert r.status_code in (200, 400, 422), r.text
    if r.status_code == 200:
        rec = next(x for x in api.app.state.feedback.all() if x.id == r.json()["id"])
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in rec.remark + rec.question)
        stored = rec.awards[0].get("amount_yuan")
        assert stored is None or (isinstance(stored, (int, float)) and math.isfinite(stored) and 0 <= stored <= 10**15)


@given(value=numbers)
@settings(max_examples=300, deadline=None, derandomize=True, database=None)
def test_the_domain_either_holds_or_refuses_by_name(value):
    try:
        d = domain.check_figure("网络零售额", value)
    except domain.DomainError as exc:
        assert "网络零售额" in str(exc)
    else:
        assert isinstance(d, Decimal) and d.is_finite() and 0 <= d <= domain.MAX_FIGURE


@given(doc=json_values)
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_bounded_json_loads_raises_only_value_errors(doc):
    text = json.dumps(doc, allow_nan=True, default=str)
    try:
        domain.loads(text.encode())
    except ValueError as exc:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
