"""Bad input at the CLI boundary: a Chinese message naming the field and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = shutil.which("policy-qa", path=str(Path(sys.executable).parent)) or "policy-qa"


def run(*args: str, stdin: bytes | None = None, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "POLICY_QA_INDEX_DIR": str(tmp / "index"), "POLICY_QA_TODAY": "2026-11-23"}
    return subprocess.run([EXE, *args], input=stdin, capture_output=True, env=env, cwd=ROOT, timeout=600)


@pytest.mark.parametrize(
    "raw",
    [
        "1e30",
        "1e28",
        "NaN",
        "Infinity",
        "-1",
        "9" * 5000,
        "10000000000000000000000000000",
        '"99999999999999999999999999999元"',
    ],
    ids=lambda r: r[:12],
)
def test_calc_numbers_outside_the_domain(raw, tmp_path):
    done = run("calc", "--region", "淄博市", "--facts", f'{{"online_retail_sales": {raw!s}}}', tmp=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "online_retail_sales" in err and "Traceback" not in err and any("\u4e00" <= c <= "\u9fff" for c in err)


def test_calc_deeply_nested_facts(tmp_path):
    done = run(
        "calc", "--region", "淄博市", "--facts-file", "-", stdin=b'{"a":' * 3000 + b"1" + b"}" * 3000, tmp=tmp_path
    )
    assert done.returncode == 2 and "嵌套过深" in done.stderr.decode() and b"Traceback" not in done.stderr


def test_invalid_utf8_on_stdin_exits_non_zero_and_answers_the_other_lines(tmp_path):
    done = run("ask", "--json", "-", stdin="你好\n".encode() + b"\xff\xfe\xe7\x94\n", tmp=tmp_path)
    assert done.returncode != 0 and b"Traceback" not in done.stderr
    lines = [json.loads(x) for x in done.stdout.decode().splitlines() if x.strip()]
    assert len(lines) == 2 and lines[1]["error"] == "binary" and "UTF-8" in lines[1]["answer"]


@pytest.mark.parametrize("top", ["1e30", "0", "-3", "9" * 50])
def test_search_top_outside_its_domain_is_refused_in_chinese(top, tmp_path):
    done = run("search", "--top", top, "电商", tmp=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and "返回条数应为 1 至 100 的整数" in err and "Traceback" not in err
