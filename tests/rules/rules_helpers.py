"""Build a RuleBook from YAML text (synthetic policies that are not in the corpus)."""
from __future__ import annotations

import textwrap

from assistant.rules.loader import RuleBook, parse_rule_text


def book_from(yaml_text: str) -> RuleBook:
    pr = parse_rule_text(textwrap.dedent(yaml_text), "synthetic.yaml")
    book = RuleBook()
    book.policies[pr.policy_id] = pr
    book.files[pr.policy_id] = "synthetic.yaml"  # type: ignore[assignment]
    for r in pr.rules:
        book.rules[r.id] = r
    return book
