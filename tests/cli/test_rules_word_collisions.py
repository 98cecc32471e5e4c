"""`policy-qa rules --check` names a word a rule file declares that the shared lexicon already gives another
fact (the fixture policy declares 「仓库」 for its storage area; the lexicon reads it as rented space)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "policies"
EXE = str(Path(sys.executable).with_name("policy-qa"))


def _run(tmp_path: Path, with_fixture: bool) -> dict:
    corpus_dir, rules_dir = tmp_path / "corpus", tmp_path / "rules"
    shutil.copytree(ROOT / "corpus", corpus_dir)
    shutil.copytree(ROOT / "rules", rules_dir)
    if with_fixture:
        for p in FIXTURE.glob("liulin-2024.*"):
            shutil.copy(p, corpus_dir)
        shutil.copy(FIXTURE / "rules" / "liulin-2024.yaml", rules_dir)
    env = {
        **os.environ,
        "POLICY_QA_CORPUS_DIR": str(corpus_dir),
        "POLICY_QA_RULES_DIR": str(rules_dir),
        "POLICY_QA_INDEX_DIR": str(tmp_path / "index"),
    }
    out = subprocess.run(
        [EXE, "rules", "--check", "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    return json.loads(out.stdout)


def test_check_reports_a_declared_word_that_collides_with_the_lexicon(tmp_path):
    report = _run(tmp_path, with_fixture=True)
    hits = [c for c in report["word_collisions"] if c["word"] == "仓库"]
    assert hits and hits[0]["policy_id"] == "liulin-2024" and hits[0]["fact"] == "warehouse_area"
    assert "rented_area" in hits[0]["shared_facts"]


def test_shipped_rules_declare_no_colliding_word(tmp_path):
    assert _run(tmp_path, with_fixture=False)["word_collisions"] == []
