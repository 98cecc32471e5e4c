"""The package as users install it: a wheel built from this checkout carries corpus, rules and UI assets,
and the installed `policy-qa` answers from another directory with its data home outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 and "No matching distribution found for setuptools" in done.stderr:
        pytest.skip("setuptools for the build backend cannot be fetched (no package registry)")
    assert done.returncode == 0, done.stderr
    [whl] = out.glob("policy_qa-*.whl")
    return whl


def test_wheel_carries_data_license_and_no_dev_dependencies(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for policy_yaml in (ROOT / "corpus").glob("*.yaml"):
        assert f"assistant/_data/corpus/{policy_yaml.name}" in names
        assert f"assistant/_data/rules/{policy_yaml.name}" in names
    assert {"assistant/_data/ui/widget.js", "assistant/_data/ui/app.css", "assistant/_data/ui/demo.html"} <= set(names)
    meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
    meta = zipfile.ZipFile(wheel).read(meta_name).decode()
    assert "License-Expression: Apache-2.0" in meta
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    requires = [line for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    core = [r for r in requires if "extra ==" not in r]
    assert not any(p in r for r in core for p in ("playwright", "pytest", "bm25s", "langchain-openai", "langchain>"))
    assert any('extra == "llm"' in r for r in requires)


def test_installed_package_answers_from_any_directory(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(tmp_path / "home"), "POLICY_QA_TODAY": "2026-11-23"}
    env.pop("XDG_DATA_HOME", None)
    code = (
        "import sys, assistant; assert assistant.__file__.startswith(sys.argv[1]), assistant.__file__\n"
        "from assistant.cli.main import main; sys.exit(main(sys.argv[2:]))"
    )

    def run(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", code, str(site), *a],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("policy-qa ")
    ask = run("ask", "--json", "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？")
    assert ask.returncode == 0, ask.stderr
    body = json.loads(ask.stdout)
    assert any(a["amount_yuan"] == 200000 for a in body["awards"])
    assert (tmp_path / "home" / ".local" / "share" / "policy-qa" / "index").is_dir()  # the data home, not the checkout
