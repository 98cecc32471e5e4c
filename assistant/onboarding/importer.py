"""`policy-qa import`: a document → corpus/<id>.txt + corpus/<id>.yaml (skeleton marked for review)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..clauses import split_clauses
from ..cleaning import display_width
from ..models import Clause
from .extract import DocumentError, extract
from .metadata import skeleton
from .normalize import normalise
from .numbering import numbering_warnings

POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")


@dataclass
class ImportResult:
    policy_id: str
    text_path: Path
    meta_path: Path
    meta: dict[str, Any]
    clauses: list[Clause]
    warnings: list[str] = field(default_factory=list)


def import_policy(path: Path, policy_id: str, corpus_dir: Path, force: bool = False) -> ImportResult:
    """Read, normalise, split and write; raises DocumentError (Chinese message) on anything unusable."""
    if not POLICY_ID.match(policy_id):
        raise DocumentError(f"政策 id {policy_id!r} 不合要求：只用小写字母、数字和连字符，如 some-city-2024")
    corpus_dir = Path(corpus_dir)
    text_path, meta_path = corpus_dir / f"{policy_id}.txt", corpus_dir / f"{policy_id}.yaml"
    if not force and (text_path.exists() or meta_path.exists()):
        raise DocumentError(f"{meta_path.name} 或 {text_path.name} 已存在：换一个 id，或加 --force 覆盖")
    doc = extract(Path(path))
    text = normalise(doc.text, pdf=doc.kind == "pdf")
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 20:
        raise DocumentError(f"{Path(path).name}：几乎没有中文正文，不像一份政策文件")
    clauses = split_clauses(policy_id, text)
    meta, meta_warnings = skeleton(policy_id, text, Path(path).name)
    warnings = doc.warnings + meta_warnings + numbering_warnings(text, clauses)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    text_path.write_text(text, encoding="utf-8")
    header = (
        "# 由 policy-qa import 生成。review 列出的字段是从正文预填的，请对照原文逐项核对，核对后从 review 删去。\n"
        "# 字段说明见 README「新增一份政策」；原文未载明的写 null。\n"
    )
    meta_path.write_text(header + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ImportResult(policy_id, text_path, meta_path, meta, clauses, warnings)


def first_words(clause: Clause, n: int = 28) -> str:
    """The clause's words after its own number (「对年销售额1000万元以上的企业…」)."""
    lines = clause.text.split("\n")
    for parent in clause.parents:  # a parent's heading line opens its first child's text
        if len(lines) > 1 and parent and parent in lines[0]:
            lines.pop(0)
    text = " ".join(lines)
    return text if len(text) <= n else text[:n] + "…"


def clause_tree(clauses: list[Clause]) -> list[dict[str, Any]]:
    """Rows of the clause tree: id, depth (number of enclosing headings), kind, heading, first words, length."""
    return [
        {
            "clause_id": c.clause_id,
            "depth": len(c.parents),
            "kind": c.kind,
            "heading": c.heading,
            "parents": list(c.parents),
            "first_words": first_words(c),
            "chars": len(c.text),
        }
        for c in clauses
    ]


def format_tree(clauses: list[Clause]) -> str:
    lines = []
    for row in clause_tree(clauses):
        label = "  " * row["depth"] + row["clause_id"]
        lines.append(label + " " * max(1, 20 - display_width(label)) + row["first_words"])
    return "\n".join(lines)
