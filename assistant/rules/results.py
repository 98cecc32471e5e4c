"""Typed results of the rule engine, shared by the CLI, the REST API and the UI.

The engine records what it checked as data — a ``Reason`` (fact, operator, threshold, actual value, gap,
the rule's own wording) on every condition, tier, formula and cap; ``Missing`` and ``Assumption`` name
facts, never sentences. The Chinese text fields (``TraceStep.text``, ``Missing.question``,
``Assumption.text``, ``Award.failed``/``gap``/``notes``/``warnings``, ``BreakdownItem.reason``,
``Evaluation.warnings``) are computed from that data by the one renderer, assistant/rules/wording.py,
when they are read or serialised (the API/CLI contract keeps its keys and wording).

Money is Decimal inside and a JSON number outside (int when whole): use
``award.to_json()`` / ``model_dump(mode="json")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from .figures import to_json_number


def _render() -> Any:
    # The wording module reads these types; imported when a sentence is first asked for (no import cycle).
    from . import wording as reasons

    return reasons


def jsonable(v: Any) -> Any:
    """Decimals → JSON numbers, dates → ISO strings, recursively."""
    if isinstance(v, Decimal):
        return to_json_number(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, BaseModel):
        return jsonable(v.model_dump())
    return v


Status = Literal["eligible", "conditional", "ineligible"]
STATUS_ZH = {"eligible": "符合", "conditional": "待确认", "ineligible": "不符合"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(slots=True, kw_only=True)
class Reason:
    """One thing the engine checked or computed, as data. ``code`` says what (see rules/wording.py for the
    sentence of each): condition, any_of, all_of, applicant, per_year, tier_reached, tier_none, tier_gap, cap,
    per_unit, percent, less_received, …

    ``fact`` op ``threshold`` is the test (the rule's ``wording`` for it when the YAML gives one); ``actual`` the
    profile value (of ``used`` when a fallback fact stood in); ``gap`` how far a numeric value is below a ≥/>
    threshold; ``data`` further figures of the step by name (amount, cap, units, steps, members …).
    A plain dataclass: the engine makes hundreds per profile (a pydantic model costs ~10× more to build).
    """

    code: str
    fact: str | None = None
    op: str | None = None
    threshold: Any = None
    actual: Any = None
    gap: Decimal | None = None
    wording: str | None = None
    used: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {k: jsonable(getattr(self, k)) for k in self.__dataclass_fields__}


class Missing(_Model):
    """A fact the engine needed and did not have. When a fallback fact stood in for it, ``stands_in`` names
    that fact and ``stand_in_value`` its value (the award was computed on it, as an assumption)."""

    fact: str
    label: str
    stands_in: str | None = None
    stand_in_value: Any = None
    ask: str | None = Field(default=None, exclude=True)  # the rule's own question (YAML `question`)
    context: Reason | None = Field(default=None, exclude=True)  # why it is asked (a cap, a default of 1 …)
    per_item: str | None = Field(default=None, exclude=True)  # asked of every item (主播/项目) of the applicant

    @field_serializer("stand_in_value")
    def _json(self, v: Any) -> Any:
        return jsonable(v)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def question(self) -> str:
        return _render().question(self)


class Assumption(_Model):
    """A stand-in used for a fact (实物商品网络零售额 ← 网络零售额): the award is at best conditional."""

    fact: str  # the fact the rule needs
    used: str  # the fact that stood in
    value: Any = Field(default=None, exclude=True)  # the stand-in's value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """Chinese: 「按网络零售额（…）代替实物商品网络零售额计算，请确认二者一致」."""
        return _render().assumption(self)


class TraceStep(_Model):
    kind: Literal["applicant", "condition", "requirement", "tier", "formula", "cap", "contribution_cap", "note"]
    outcome: Literal["pass", "fail", "unknown", "assumed", "applied", "not_applied", "info"] = "info"
    fact: str | None = None
    reason: Reason = Field(exclude=True)
    item: str | None = Field(default=None, exclude=True)  # for one item of a sum_over_items award: 主播 …
    item_no: int | None = Field(default=None, exclude=True)  # … and which one (1-based)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """Chinese, one line."""
        return _render().trace_text(self)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value(self) -> str | None:
        """The profile value as Chinese text."""
        return _render().trace_value(self)


class Reference(_Model):
    policy_id: str
    clause_id: str
    text: str  # the verbatim quote stating the figures
    policy_title: str = ""
    citation: str = ""  # 《title》（八） — ready to copy


class InstalmentOut(_Model):
    label: str
    share_percent: Decimal
    amount_yuan: Decimal | None = None

    @field_serializer("share_percent", "amount_yuan")
    def _num(self, v: Decimal | None) -> Any:
        return to_json_number(v)


class Award(_Model):
    rule_id: str
    policy_id: str
    clause_id: str
    title: str
    status: Status
    form: str = ""
    amount_yuan: Decimal | None = None  # the figure (a maximum when is_ceiling)
    max_yuan: Decimal | None = None  # the most this rule can pay (top tier, cap, discretionary max)
    is_ceiling: bool = False  # 不超过/最高: amount_yuan is a ceiling, not a promise
    discretionary: bool = False  # 一事一议/适当补助: no figure in the text
    per_year: bool = False
    years: list[int] = Field(default_factory=list)
    one_time: bool = False
    recipient: str | None = None
    missing: list[Missing] = Field(default_factory=list)
    assumptions: list[Assumption] = Field(default_factory=list)
    failed_reasons: list[Reason] = Field(default_factory=list, exclude=True)  # the failed conditions
    gap_reason: Reason | None = Field(default=None, exclude=True)  # the gap to the (next) threshold
    requirement_reasons: list[Reason] = Field(default_factory=list, exclude=True)  # judged by the department
    to_confirm: list[str] = Field(default_factory=list)  # factual conditions the text states and no fact tests, quoted
    review_needed: bool = False  # the rule is an unreviewed draft (`review: needed`): the figure is provisional
    trace: list[TraceStep] = Field(default_factory=list)
    # The rule file's own words (str, verbatim) and the engine's findings (Reason), in the order shown.
    note_items: list[str | Reason] = Field(default_factory=list, exclude=True)
    warning_items: list[str | Reason] = Field(default_factory=list, exclude=True)
    instalments: list[InstalmentOut] = Field(default_factory=list)
    policy_validity: Literal["in_force", "expired", "not_yet", "unknown"] = "unknown"
    reference: Reference

    @field_serializer("amount_yuan", "max_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failed(self) -> list[str]:
        """Failed conditions, Chinese."""
        return [_render().failed_text(r) for r in self.failed_reasons]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gap(self) -> str | None:
        """「还差1000万元达到下一档，可得30万元」."""
        return _render().gap_text(self.gap_reason) if self.gap_reason is not None else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def requirements(self) -> list[str]:
        """Judged by the department (认定/评审/名次), quoted."""
        return [_render().requirement_text(r) for r in self.requirement_reasons]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def notes(self) -> list[str]:
        return _render().texts(self.note_items)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> list[str]:
        return _render().texts(self.warning_items)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @property
    def amount_text(self) -> str:
        """「20万元」「最高20万元」「金额未定（最高20万元）」「待定」."""
        return _render().amount_text(self)

    @property
    def citation_text(self) -> str:
        """「第（八）条：10万元」-style one-liner."""
        return _render().citation_text(self)


class BreakdownItem(_Model):
    rule_id: str
    policy_id: str
    clause_id: str
    title: str
    amount_yuan: Decimal | None
    counted: bool
    why: Reason = Field(exclude=True)

    @field_serializer("amount_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason(self) -> str:
        """Chinese: why counted or excluded."""
        return _render().breakdown_reason(self.why)


class Evaluation(_Model):
    policies: list[str]
    date: str
    awards: list[Award]
    best_total_yuan: Decimal | None  # eligible awards with figures, 就高不重复 applied; None when nothing counts
    conditional_total_yuan: Decimal | None = None  # the same, conditional awards included (if confirmed)
    total_breakdown: list[BreakdownItem] = Field(default_factory=list)
    warning_items: list[str | Reason] = Field(default_factory=list, exclude=True)

    @field_serializer("best_total_yuan", "conditional_total_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> list[str]:
        return _render().texts(self.warning_items)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def award(self, rule_id: str) -> Award | None:
        return next((a for a in self.awards if a.rule_id == rule_id), None)
