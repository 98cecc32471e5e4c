"""Load rules/<policy_id>.yaml into schema models, with errors that name file, rule and key.

Parsed files are cached per (path, mtime) so the ask pipeline pays the YAML cost once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..facts import declare_facts as registry_declare
from ..facts import (
    facts_scope,  # noqa: F401  (drafting and tests forget their declared facts with it)
    resolve_qualified_facts,
)
from .schema import PolicyRules, Rule


class RuleLoadError(ValueError):
    """A rule file that does not load; ``problems`` holds one line per problem (file: rule: key: message)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _rule_label(raw: Any, loc: tuple) -> tuple[str, tuple]:
    """('rules', 3, 'award', 'amout') → ('rule some-policy/x', ('award', 'amout'))."""
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rid = None
        try:
            rid = raw["rules"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
        return (f"rule {rid}" if rid else f"rules[{loc[1]}]"), loc[2:]
    return "", loc


def _format_errors(path: Path, raw: Any, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        where, rest = _rule_label(raw, loc)
        # Drop the discriminator tags pydantic inserts (compare/any_of/all_of/award form names).
        keys = ".".join(str(x) for x in rest)
        msg = err.get("msg", "")
        if err.get("type") == "extra_forbidden":
            msg = f"unknown key {str(rest[-1]) if rest else ''!r} (misspelt or not in the schema)"
        parts = [str(path)] + ([where] if where else []) + ([keys] if keys else []) + [msg]
        out.append(": ".join(parts))
    return out


def declare_facts(entries: Any, where: str, policy: str | None = None) -> list[str]:
    """Register a rule file's own ``facts:`` in the fact registry (assistant.facts.declare_facts), so its rules
    may name them. Returns the problems (empty = fine) instead of raising, for the loader's error list."""
    try:
        registry_declare(entries, "rules", policy=policy)
    except ValueError as exc:
        return [f"{where}: {exc}"]
    return []


def parse_rule_text(
    text: str, path: Path | str = "<string>", expected_policy_id: str | None = None, raw: Any = None
) -> PolicyRules:
    path = Path(path)
    try:
        raw = yaml.safe_load(text) if raw is None else raw  # raw: the file already parsed (compiled cache)
    except yaml.YAMLError as exc:
        raise RuleLoadError([f"{path}: YAML error: {exc}"]) from None
    if not isinstance(raw, dict):
        raise RuleLoadError([f"{path}: a rule file is a mapping with policy_id, coverage, rules …"])
    policy = raw.get("policy_id") if isinstance(raw.get("policy_id"), str) else None
    declared = declare_facts(raw.get("facts"), str(path), policy)
    if declared:
        raise RuleLoadError(declared)
    try:
        resolve_qualified_facts(raw.get("rules"))  # {fact, qualifiers} → the qualified fact's canonical key
    except ValueError as exc:
        raise RuleLoadError([f"{path}: {exc}"]) from None
    try:
        pr = PolicyRules.model_validate(raw)
    except ValidationError as exc:
        raise RuleLoadError(_format_errors(path, raw, exc)) from None
    if expected_policy_id and pr.policy_id != expected_policy_id:
        raise RuleLoadError(
            [f"{path}: policy_id {pr.policy_id!r} does not match the file name ({expected_policy_id!r})"]
        )
    return pr


def load_rule_file(path: Path | str) -> PolicyRules:
    from ..compiled_cache import load_yaml

    path = Path(path)
    try:
        raw = load_yaml(path)
    except yaml.YAMLError:
        raw = None  # parse_rule_text reports it
    return parse_rule_text(path.read_text(encoding="utf-8"), path, expected_policy_id=path.stem, raw=raw)


@dataclass
class RuleBook:
    """All loaded rule files: policies by id, rules by id."""

    policies: dict[str, PolicyRules] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    directory: Path | None = None  # the rules directory it was loaded from

    def rules_of(self, policy_id: str) -> list[Rule]:
        pr = self.policies.get(policy_id)
        return list(pr.rules) if pr else []

    def policy_of(self, rule: Rule) -> PolicyRules:
        return self.policies[rule.policy_id or rule.id.split("/", 1)[0]]


_cache: dict[tuple, RuleBook] = {}
_lock = threading.Lock()


def rule_files(rules_dir: Path) -> list[Path]:
    return sorted(p for p in Path(rules_dir).glob("*.yaml") if not p.name.startswith("_"))


def load_rulebook(rules_dir: Path | str | None = None) -> RuleBook:
    """Every rules/<id>.yaml, cached until a file changes. All files' problems are reported together."""
    if rules_dir is None:
        from ..config import get_settings

        rules_dir = get_settings().rules_dir
    rules_dir = Path(rules_dir)
    files = rule_files(rules_dir)
    key = (str(rules_dir.resolve()), tuple((p.name, p.stat().st_mtime_ns) for p in files))
    with _lock:
        book = _cache.get(key)
        if book is not None:
            return book
    problems: list[str] = []
    book = RuleBook(directory=rules_dir)
    for p in files:
        try:
            pr = load_rule_file(p)
        except RuleLoadError as exc:
            problems.extend(exc.problems)
            continue
        book.policies[pr.policy_id] = pr
        book.files[pr.policy_id] = p
        for r in pr.rules:
            book.rules[r.id] = r
    # Cross-policy stacking references must name real rules.
    for pr in book.policies.values():
        for st in pr.stacking:
            if st.rules != "all":
                bad = [x for x in st.rules if x not in book.rules and x.split("/")[0] in book.policies]
                if bad:
                    problems.append(f"{book.files[pr.policy_id]}: stacking {st.id}: unknown rule ids {bad}")
    if problems:
        raise RuleLoadError(problems)
    with _lock:
        _cache.clear()
        _cache[key] = book
    return book
