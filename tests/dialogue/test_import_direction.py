"""No import runs back up: the answer renderer sits below the dialogue, the dialogue below the optional model's
caller (the model is injected), the service below the interfaces. Read from the source (every import statement,
lazy ones inside functions included)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "assistant"

# package (or module) → the packages it must never import
FORBIDDEN = {
    "render": ("assistant.dialogue", "assistant.llm", "assistant.service", "assistant.cli", "assistant.web"),
    "dialogue": ("assistant.llm", "assistant.service", "assistant.cli", "assistant.web"),
    "llm": ("assistant.dialogue", "assistant.cli", "assistant.web"),
    "service.py": ("assistant.cli", "assistant.web"),
    "contract.py": ("assistant.dialogue", "assistant.render", "assistant.llm", "assistant.service"),
}


def _imports(path: Path) -> list[str]:
    """Absolute names of every module ``path`` imports."""
    package = ".".join(path.relative_to(PKG.parent).with_suffix("").parts[:-1])
    return _imported(path.read_text(encoding="utf-8"), package)


def _imported(source: str, package: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.append(name)
            out.extend(f"{name}.{a.name}" for a in node.names)  # 「from assistant import service」
    return out


@pytest.mark.parametrize("where", sorted(FORBIDDEN))
def test_no_import_runs_back_up(where):
    target = PKG / where
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    assert files
    bad = [f"{f.relative_to(PKG.parent)} imports {name}" for f in files for name in _imports(f)
           if any(name == p or name.startswith(p + ".") for p in FORBIDDEN[where])]
    assert not bad, "\n".join(bad)


def test_the_check_sees_relative_and_lazy_imports():
    source = "def f():\n    from ..llm import get_llm_assist\n    from assistant import service\n    import assistant.cli.main\n"
    names = _imported(source, "assistant.dialogue")
    assert {"assistant.llm", "assistant.service", "assistant.cli.main"} <= set(names)
