"""The answer contract shared by the CLI (`--json`), the REST API, the gradio app and the widget.

Keys and meanings are fixed by DEVELOPERS.md: `answer`, `awards`, `citations`,
`follow_up`, `warnings`; search returns `{"hits": [...]}`.
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


class AskResponse(BaseModel):
    answer: str
    awards: list[AwardOut] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    follow_up: list[str] = Field(default_factory=list)  # questions to the user about their situation
    # Example questions to offer (a greeting, an off-topic or empty message): never questions to answer.
    examples: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    session_id: str | None = None
    best_total_yuan: float | int | None = None
    profile: dict = Field(default_factory=dict)  # what was understood (region, entity kind, facts, assumptions)
    error: str | None = None


class SearchResponse(BaseModel):
    hits: list[Hit] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. 「区县政策可能另有规定」 for a city filter
    error: str | None = None
