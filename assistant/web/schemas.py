"""Request and response models of the REST API (the answer contract itself lives in assistant.contract)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain import MAX_FIGURE
from ..models import Clause, Hit

# The one domain of an amount in yuan (assistant.domain): a finite JSON number 0 … 10^15, never true/false.
AmountYuan = Annotated[
    float, Field(strict=True, ge=0, le=float(MAX_FIGURE), allow_inf_nan=False, description="金额（元），0 至 10^15")
]


class _Request(BaseModel):
    # Unknown keys are refused so that a typo (e.g. "qustion") is reported, not ignored.
    model_config = ConfigDict(extra="forbid")


class AskRequest(_Request):
    question: str = Field(
        min_length=1,
        description="用户的问题（中文）；上限见 POLICY_QA_MAX_QUESTION_CHARS（超出为 400）",
        examples=["我在某区开了一家直播公司，年销售额3000万，能拿到奖励吗？"],
    )
    session_id: str | None = Field(default=None, max_length=128, description="上一轮返回的会话编号，用于多轮追问")
    region: str | None = Field(default=None, max_length=50, description="预设地区（县区或市名，挂件 data-region）")


class CalcRequest(_Request):
    region: str = Field(min_length=1, max_length=50, description="地区（县区或市名）")
    facts: dict[str, Any] = Field(default_factory=dict, description="事实：数值、是否等（词表见 assistant/facts.py）")
    date: dt.date | None = Field(default=None, description="测算日期（缺省为今天）")


class FeedbackAward(BaseModel):
    model_config = ConfigDict(extra="ignore")

    policy_id: str = Field(max_length=64)
    clause_id: str = Field(max_length=64)
    status: str | None = Field(default=None, max_length=32)
    amount_yuan: AmountYuan | None = None
    title: str | None = Field(default=None, max_length=200)


class FeedbackCitation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    policy_id: str = Field(max_length=64)
    clause_id: str = Field(max_length=64)
    citation: str | None = Field(default=None, max_length=300)


class FeedbackRequest(_Request):
    useful: bool = Field(description="true = 有用，false = 没用")
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(default="", max_length=20000)
    awards: list[FeedbackAward] = Field(default_factory=list, max_length=50)
    citations: list[FeedbackCitation] = Field(default_factory=list, max_length=50)
    remark: str = Field(default="", max_length=1000, description="可选备注")
    region: str | None = Field(default=None, max_length=50)
    source: Literal["chat", "widget", "api"] = "api"


class FeedbackResponse(BaseModel):
    ok: bool = True
    id: int


class SearchResult(BaseModel):
    hits: list[Hit]


class ErrorBody(BaseModel):
    error: str = Field(description="中文错误信息")
    code: str
    details: list[dict[str, Any]] | None = None


class Check(BaseModel):
    ok: bool
    detail: str = Field(description="中文说明；失败时为原因")


class Health(BaseModel):
    status: Literal["ok", "unavailable"] = Field(description="ok：可以作答；unavailable：检索或规则不可用")
    version: str
    checks: dict[str, Check] = Field(
        default_factory=dict, description="index（检索）、rules（规则引擎）、feedback（反馈存储，可选：不影响 status）"
    )


class CalcAward(BaseModel):
    """One clause's verdict; the engine's trace, requirements and reference ride along as extra keys."""

    model_config = ConfigDict(extra="allow")

    rule_id: str
    policy_id: str
    clause_id: str
    title: str
    status: Literal["eligible", "conditional", "ineligible"]
    amount_yuan: float | int | None = None
    max_yuan: float | int | None = None
    is_ceiling: bool = False
    missing: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class CalcResult(BaseModel):
    model_config = ConfigDict(extra="allow")

    region: str
    policies: list[str]
    date: dt.date
    awards: list[CalcAward]
    best_total_yuan: float | int | None = None
    conditional_total_yuan: float | int | None = None
    total_breakdown: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class PolicyRow(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    title: str
    issuer: str
    status: str
    validity: str
    clauses: int


class PolicyList(BaseModel):
    policies: list[PolicyRow]


class ClauseDetail(BaseModel):
    policy_id: str
    policy_title: str
    clause: Clause
    citation: str
    previous: Clause | None = None
    next: Clause | None = None
