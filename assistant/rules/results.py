"""Typed results of the rule engine, shared by the CLI, the REST API and the UI.

Money is Decimal inside and a JSON number outside (int when whole): use
``award.to_json()`` / ``model_dump(mode="json")``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from ..money import format_yuan
from .figures import to_json_number

Status = Literal["eligible", "conditional", "ineligible"]
STATUS_ZH = {"eligible": "符合", "conditional": "待确认", "ineligible": "不符合"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Missing(_Model):
    """A fact the engine needed and did not have."""

    fact: str
    label: str
    question: str


class Assumption(_Model):
    """A stand-in used for a fact (实物商品网络零售额 ← 网络零售额): the award is at best conditional."""

    fact: str  # the fact the rule needs
    used: str  # the fact that stood in
    text: str  # Chinese: 「按网络零售额代替实物商品网络零售额计算，请确认」


class TraceStep(_Model):
    kind: Literal["applicant", "condition", "requirement", "tier", "formula", "cap", "contribution_cap", "note"]
    text: str  # Chinese, one line
    outcome: Literal["pass", "fail", "unknown", "assumed", "applied", "not_applied", "info"] = "info"
    fact: str | None = None
    value: str | None = None  # the profile value as Chinese text


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
    failed: list[str] = Field(default_factory=list)  # failed conditions, Chinese
    gap: str | None = None  # 「还差1000万元达到下一档，可得30万元」
    requirements: list[str] = Field(default_factory=list)  # judged by the department (认定/评审/名次), quoted
    to_confirm: list[str] = Field(default_factory=list)  # factual conditions the text states and no fact tests, quoted
    review_needed: bool = False  # the rule is an unreviewed draft (`review: needed`): the figure is provisional
    trace: list[TraceStep] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    instalments: list[InstalmentOut] = Field(default_factory=list)
    policy_validity: Literal["in_force", "expired", "not_yet", "unknown"] = "unknown"
    reference: Reference

    @field_serializer("amount_yuan", "max_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @property
    def amount_text(self) -> str:
        """「20万元」「最高20万元」「金额未定（最高20万元）」「—」."""
        if self.amount_yuan is None:
            if self.discretionary:
                return f"金额未定（最高{format_yuan(self.max_yuan)}）" if self.max_yuan is not None else "金额未定（一事一议）"
            return f"待定（最高{format_yuan(self.max_yuan)}）" if self.max_yuan is not None else "待定"
        text = format_yuan(self.amount_yuan)
        if self.is_ceiling:
            text = f"最高{text}"
        if self.per_year:
            text = f"每年{text}"
        return text

    @property
    def citation_text(self) -> str:
        """「第（八）条：10万元」-style one-liner."""
        return f"{self.reference.citation or self.clause_id}：{self.amount_text}"


class BreakdownItem(_Model):
    rule_id: str
    policy_id: str
    clause_id: str
    title: str
    amount_yuan: Decimal | None
    counted: bool
    reason: str  # Chinese: why counted or excluded

    @field_serializer("amount_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)


class Evaluation(_Model):
    policies: list[str]
    date: str
    awards: list[Award]
    best_total_yuan: Decimal | None  # eligible awards with figures, 就高不重复 applied; None when nothing counts
    conditional_total_yuan: Decimal | None = None  # the same, conditional awards included (if confirmed)
    total_breakdown: list[BreakdownItem] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @field_serializer("best_total_yuan", "conditional_total_yuan")
    def _money(self, v: Decimal | None) -> Any:
        return to_json_number(v)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def award(self, rule_id: str) -> Award | None:
        return next((a for a in self.awards if a.rule_id == rule_id), None)
