"""Collect tests/rules/<policy_id>.yaml scenario files: each scenario is its own test item (OpenFisca style).

File: {policy: <id> | region: <name>, date: YYYY-MM-DD, scenarios: [{name, facts, date?, expect: {rule_id: {...}},
best_total?}]} — see rules/README.md. Failures print the scenario, the expectation and the engine's trace.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expect(_Strict):
    status: str | None = None
    amount: Decimal | None = Field(default=None)
    is_ceiling: bool | None = None
    max: Decimal | None = None
    missing: list[str] | None = None  # fact names that must be reported missing
    gap_contains: str | None = None
    failed_contains: str | None = None
    has_amount_key: bool = False  # set when `amount` was given (amount: null is meaningful)


class Scenario(_Strict):
    name: str
    facts: dict[str, Any]
    date: dt.date | None = None
    policy: str | None = None
    region: str | None = None
    expect: dict[str, Expect] = Field(default_factory=dict)
    best_total: Decimal | None = None
    has_best_total: bool = False


class ScenarioFile(_Strict):
    policy: str | None = None
    # a policy added as data outside rules/ (tests/fixtures/policies/rules/<id>.yaml; its text and metadata one
    # folder up): evaluated from that file alone, its declared facts forgotten afterwards
    rule_file: str | None = None
    region: str | None = None
    date: dt.date | None = None
    scenarios: list[Scenario]


def _parse(raw: dict[str, Any]) -> ScenarioFile:
    for sc in raw.get("scenarios", []) or []:
        if isinstance(sc, dict):
            if "best_total" in sc:
                sc["has_best_total"] = True
            for exp in (sc.get("expect") or {}).values():
                if isinstance(exp, dict) and "amount" in exp:
                    exp["has_amount_key"] = True
    return ScenarioFile.model_validate(raw)


def pytest_collect_file(parent: pytest.Collector, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "rules" and file_path.parent.parent.name == "tests":
        return RuleScenarioFile.from_parent(parent, path=file_path)
    return None


class RuleScenarioFile(pytest.File):
    def collect(self):
        raw = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        spec = _parse(raw)
        for i, sc in enumerate(spec.scenarios):
            yield ScenarioItem.from_parent(self, name=f"{i:02d} {sc.name}", spec=spec, scenario=sc)


class ScenarioFailure(Exception):
    pass


class ScenarioItem(pytest.Item):
    def __init__(self, *, spec: ScenarioFile, scenario: Scenario, **kw: Any) -> None:
        super().__init__(**kw)
        self.spec = spec
        self.scenario = scenario
        self.evaluation = None

    def runtest(self) -> None:
        from assistant.rules.engine import evaluate_policies
        from assistant.rules.regions import policies_for

        sc, spec = self.scenario, self.spec
        date = sc.date or spec.date or dt.date(2026, 11, 23)
        policy = sc.policy or spec.policy
        region = sc.region or spec.region
        if policy:
            ids = [policy]
        elif region:
            ids = policies_for(region).policy_ids
        else:
            raise ScenarioFailure("scenario needs `policy` or `region`")
        if spec.rule_file:
            from rules_helpers import evaluate_fixture

            from assistant.facts import facts_scope

            with facts_scope():
                ev = evaluate_fixture(spec.rule_file, ids, sc.facts, date)
                self._check(ev)
            return
        ev = evaluate_policies(ids, sc.facts, date)
        self._check(ev)

    def _check(self, ev: Any) -> None:
        sc = self.scenario
        self.evaluation = ev
        problems: list[str] = []
        for rule_id, exp in sc.expect.items():
            a = ev.award(rule_id)
            if a is None:
                problems.append(
                    f"{rule_id}: no such award (rules evaluated: {', '.join(x.rule_id for x in ev.awards)})"
                )
                continue
            if exp.status is not None and a.status != exp.status:
                problems.append(
                    f"{rule_id}: status {a.status}, expected {exp.status}"
                    + (f" — failed: {a.failed}" if a.failed else "")
                    + (f" — missing: {[m.fact for m in a.missing]}" if a.missing else "")
                )
            if exp.has_amount_key and a.amount_yuan != exp.amount:
                problems.append(f"{rule_id}: amount {a.amount_yuan}, expected {exp.amount}")
            if exp.is_ceiling is not None and a.is_ceiling != exp.is_ceiling:
                problems.append(f"{rule_id}: is_ceiling {a.is_ceiling}, expected {exp.is_ceiling}")
            if exp.max is not None and a.max_yuan != exp.max:
                problems.append(f"{rule_id}: max {a.max_yuan}, expected {exp.max}")
            if exp.missing is not None:
                got = {m.fact for m in a.missing}
                lacking = [m for m in exp.missing if m not in got]
                if lacking:
                    problems.append(f"{rule_id}: missing facts {sorted(got)} do not include {lacking}")
            if exp.gap_contains and exp.gap_contains not in (a.gap or ""):
                problems.append(f"{rule_id}: gap {a.gap!r} does not contain {exp.gap_contains!r}")
            if exp.failed_contains and not any(exp.failed_contains in f for f in a.failed):
                problems.append(f"{rule_id}: failed {a.failed} does not contain {exp.failed_contains!r}")
        if sc.has_best_total and ev.best_total_yuan != sc.best_total:
            problems.append(f"best_total {ev.best_total_yuan}, expected {sc.best_total}")
        if problems:
            # worded here, while a fixture's declared facts are still known
            lines = [f"scenario: {self.scenario.name}", f"facts: {self.scenario.facts}", "", *problems]
            for rule_id in self.scenario.expect:
                a = ev.award(rule_id)
                if a is not None:
                    lines.append(f"\ntrace of {rule_id}:")
                    lines += [f"  [{t.outcome}] {t.text}" for t in a.trace]
            raise ScenarioFailure("\n".join(lines))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"scenario: {self.name}"
