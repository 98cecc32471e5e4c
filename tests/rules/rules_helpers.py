"""Build a RuleBook from YAML text (synthetic policies that are not in the corpus)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from assistant.rules.loader import RuleBook, parse_rule_text

ROOT = Path(__file__).resolve().parents[2]


def book_from(yaml_text: str) -> RuleBook:
    pr = parse_rule_text(textwrap.dedent(yaml_text), "synthetic.yaml")
    book = RuleBook()
    book.policies[pr.policy_id] = pr
    book.files[pr.policy_id] = "synthetic.yaml"  # type: ignore[assignment]
    for r in pr.rules:
        book.rules[r.id] = r
    return book


def evaluate_fixture(rule_file: str | Path, policy_ids: list[str], facts: dict[str, Any], today: dt.date) -> Any:
    """Evaluate a policy added outside rules/ (a fixture: <dir>/<id>.txt|.yaml and <dir>/rules/<id>.yaml), the way
    the product does once the files are in place. Call inside ``facts_scope()``: the file declares its own facts."""
    from assistant import corpus
    from assistant.rules.engine import Engine, policy_infos
    from assistant.rules.loader import load_rule_file

    path = ROOT / rule_file
    pr = load_rule_file(path)
    book = RuleBook(policies={pr.policy_id: pr}, rules={r.id: r for r in pr.rules}, files={pr.policy_id: path})
    infos = policy_infos(m for m in corpus.load_policies(path.parent.parent) if m.id == pr.policy_id)
    return Engine(book, infos).run(policy_ids, facts, today)
