"""`policy-qa rules` and `policy-qa calc` end to end (real rule files, real corpus)."""

from __future__ import annotations

import json

from assistant.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_rules_check_passes(capsys):
    code, out, _ = run(capsys, "rules", "--check")
    assert code == 0 and "出处校验通过" in out


def test_rules_coverage_json(capsys):
    code, out, _ = run(capsys, "rules", "--coverage", "--json", "--policy", "jinyun-2025")
    assert code == 0
    data = json.loads(out)
    (pol,) = data["policies"]
    by_id = {c["clause_id"]: c for c in pol["clauses"]}
    assert by_id["（八）"] == {"clause_id": "（八）", "status": "encoded", "rules": ["jinyun-2025/darenhao"]}
    assert by_id["（四）"]["status"] == "not_formalised" and "十二条意见" in by_id["（四）"]["reason"]


def test_rules_facts_lists_users(capsys):
    code, out, _ = run(capsys, "rules", "--facts", "--json")
    assert code == 0
    data = json.loads(out)
    followers = next(f for f in data["facts"] if f["name"] == "followers")
    assert any("jinyun-2025/darenhao" in u for u in followers["used_by"])
    assert any(k["name"] == "mcn" and k["parent"] == "livestream_company" for k in data["entity_kinds"])


def test_calc_json_worked_example(capsys):
    facts = {
        "entity_kind": "电商企业",
        "in_statistics": True,
        "rented_area": 800,
        "online_retail_sales": "1000万元",
        "online_retail_sales_growth_rate": 11,
        "online_retail_sales_growth_rate_2yr_avg": 6,
    }
    code, out, _ = run(
        capsys, "calc", "--json", "--region", "缙云县", "--date", "2025-06-30", "--facts", json.dumps(facts)
    )
    assert code == 0
    data = json.loads(out)
    assert data["region"].endswith("缙云县") and data["policies"] == ["jinyun-2025"]
    fangzu = next(a for a in data["awards"] if a["rule_id"] == "jinyun-2025/fangzu")
    assert fangzu["amount_yuan"] == 28800 and fangzu["status"] == "eligible"
    assert fangzu["reference"]["clause_id"] == "（五）"
    assert data["best_total_yuan"] == 28800
    assert any("征求意见稿" in w for w in data["warnings"])


def test_calc_human_output(capsys):
    code, out, _ = run(
        capsys,
        "calc",
        "--region",
        "缙云县",
        "--date",
        "2025-06-30",
        "--facts",
        '{"entity_kind": "influencer_account", "followers": "1200万", "negative_news": false}',
    )
    assert code == 0 and "10万元" in out and "（八）" in out and "可确定合计（就高不重复后）：10万元" in out


def test_calc_rejects_unknown_fact_and_region(capsys):
    code, _, err = run(capsys, "calc", "--region", "缙云县", "--facts", '{"followrs": 1}')
    assert code == 2 and "followers" in err
    code, _, err = run(capsys, "calc", "--region", "火星市", "--facts", "{}")
    assert code == 2 and "未收录" in err


def test_calc_district_gets_city_policies(capsys):
    code, out, _ = run(capsys, "calc", "--json", "--region", "茌平区", "--facts", '{"entity_kind": "enterprise"}')
    assert code == 0
    assert set(json.loads(out)["policies"]) == {"chiping-2022", "liaocheng-2022"}
