"""The import graph follows the layers contract in pyproject.toml (import-linter's `lint-imports`)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(*config: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *config], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_no_import_runs_back_up_the_layers():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_sees_real_imports(tmp_path):
    """The same contract with the rule engine put under the numeral parser is broken: the check is not vacuous."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = config["contracts"][0]
    below = [" | ".join(m for m in layer.split(" | ") if m != "numerals") for layer in contract["layers"]]
    layers = ["numerals", *below]  # the parser on top, so every import of it runs up
    lines = [
        "[tool.importlinter]",
        f'root_package = "{config["root_package"]}"',
        "[[tool.importlinter.contracts]]",
        'id = "inverted"',
        'name = "inverted"',
        'type = "layers"',
        "containers = " + _toml_list(contract["containers"]),
        "layers = " + _toml_list(layers),
        "ignore_imports = " + _toml_list(contract.get("ignore_imports", [])),
        'unmatched_ignore_imports_alerting = "none"',
    ]
    path = tmp_path / "inverted.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _lint(str(path))
    assert result.returncode != 0
    assert "assistant.rules.figures -> assistant.numerals" in result.stdout


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"
