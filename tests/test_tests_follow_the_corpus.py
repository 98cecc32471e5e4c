"""Proof that the tests follow the corpus: with a copy of the corpus and rules plus one tiny extra policy
(imported the way a maintainer would), the corpus-wide checks still pass — none of them counts or lists policies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from onboarding.docs import POLICY_LINES

from assistant.config import PROJECT_ROOT
from assistant.onboarding.importer import import_policy

CLI = str(Path(sys.executable).parent / "policy-qa")
EXTRA_RULES = """\
policy_id: extra-2099
coverage:
  - {clause_id: 序言, status: non_monetary, reason: 序言}
  - {clause_id: 一（一）, status: encoded}
  - {clause_id: 一（二）, status: not_formalised, reason: 示例政策只编码一条}
  - {clause_id: 二（一）, status: not_formalised, reason: 示例政策只编码一条}
  - {clause_id: 二（二）, status: not_formalised, reason: 一事一议}
  - {clause_id: 三, status: non_monetary, reason: 附则}
  - {clause_id: 落款, status: non_monetary, reason: 落款}
rules:
  - id: extra-2099/zhibo-qiye
    clause_id: 一（一）
    title: 直播电商企业网络零售额奖励
    applicants: [livestream_company]
    award:
      form: tiers
      metric: online_retail_sales
      one_time: true
      tiers:
        - {value: "1亿元", amount: "10万元"}
        - {value: "5亿元", amount: "30万元"}
    reference: 对年网络零售额首次达到1亿元、5亿元的直播电商企业，分别给予10万元、30万元一次性奖励。
"""

# Corpus-wide checks: everything that reads "all policies" (the browser and API variants use the same
# load_policies() count and need a server, so they run in the main suite only).
CHECKS = [
    "tests/test_corpus.py",
    "tests/rules/test_rules_provenance.py::test_all_rule_files_pass_the_check",
    "tests/rules/test_rules_cli.py::test_rules_check_passes",
    "tests/rules/test_rules_schema.py::test_every_rule_file_loads",
    "tests/onboarding/test_import.py::test_clauses_cli_on_the_corpus",
]


def test_an_extra_policy_breaks_no_corpus_wide_test(tmp_path: Path):
    corpus_dir, rules_dir = tmp_path / "corpus", tmp_path / "rules"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus_dir)
    shutil.copytree(PROJECT_ROOT / "rules", rules_dir)
    source = tmp_path / "extra.txt"
    source.write_text("\n".join(POLICY_LINES), encoding="utf-8")
    import_policy(source, "extra-2099", corpus_dir)
    (rules_dir / "extra-2099.yaml").write_text(EXTRA_RULES, encoding="utf-8")
    env = {
        **os.environ,
        "POLICY_QA_CORPUS_DIR": str(corpus_dir),
        "POLICY_QA_RULES_DIR": str(rules_dir),
        "POLICY_QA_INDEX_DIR": str(tmp_path / "index"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *CHECKS],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    listed = subprocess.run(
        [CLI, "policies", "--json"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    ids = [row["id"] for row in json.loads(listed.stdout)["policies"]]
    assert "extra-2099" in ids and len(ids) == len(list((PROJECT_ROOT / "corpus").glob("*.yaml"))) + 1
    # and the check really covers the copy: drop the extra policy's rules and it fails, naming it
    (rules_dir / "extra-2099.yaml").unlink()
    check = subprocess.run(
        [CLI, "rules", "--check"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 1 and "corpus policy extra-2099 has no rule file" in check.stdout
