"""The answer contract shared by the CLI (`--json`), the REST API, the gradio app and the widget.

Keys and meanings are fixed by DEVELOPERS.md: `answer`, `awards`, `citations`,
`follow_up`, `warnings`; search returns `{"hits": [...]}`. Later keys are additive. Every response is made by
assistant.render.answer.to_response from one typed ``Answer``; every money figure its ``answer`` text states is
carried by a field (an award's amount or maximum, a total, a warning, a follow-up, an assumption, a quoted clause).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .models import Hit


class AwardOut(BaseModel):
    """One award as the contract shows it; the engine's trace and explanation ride along as extra keys."""

    model_config = ConfigDict(extra="allow")

    policy_id: str
    clause_id: str
    status: Literal["eligible", "conditional", "ineligible"]
    amount_yuan: float | int | None = None


class Citation(BaseModel):
    policy_id: str
    clause_id: str
    text: str
    policy_title: str = ""
    citation: str = ""  # 《title》三（一）3 — ready to copy


# What kind of reply an answer is (assistant.render.answer.ReplyKind explains each).
ReplyKind = Literal["awards", "info", "off_topic", "no_place", "no_policy", "greeting", "refused"]


class AskResponse(BaseModel):
    answer: str
    awards: list[AwardOut] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    follow_up: list[str] = Field(default_factory=list)  # questions to the user about their situation
    # Example questions to offer (a greeting, an off-topic or empty message): never questions to answer.
    examples: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    session_id: str | None = None
    best_total_yuan: float | int | None = None  # certain: eligible awards, 就高不重复 applied
    # best case: conditional awards included, should every condition be confirmed (the same rule applied)
    conditional_total_yuan: float | int | None = None
    reply_kind: ReplyKind | None = None
    conclusion: str = ""  # the answer's opening line: what you get, the total, what is missing
    assumptions: list[str] = Field(default_factory=list)  # how the question was read (the answer's 【理解说明】)
    # clauses of other places' policies on the matter asked, quoted for reference: they do not apply here
    elsewhere: list[Citation] = Field(default_factory=list)
    profile: dict = Field(default_factory=dict)  # what was understood (region, entity kind, facts, assumptions)
    error: str | None = None


class SearchResponse(BaseModel):
    hits: list[Hit] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. 「区县政策可能另有规定」 for a city filter
    error: str | None = None
