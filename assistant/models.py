"""Typed records shared by every layer: policies, clauses and search hits."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Jurisdiction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    province: str
    city: str | None = None
    district: str | None = None  # district / county under the city

    @property
    def name(self) -> str:
        return self.district or self.city or self.province


Validity = Literal["in_force", "expired", "not_yet", "unknown"]


class PolicyMeta(BaseModel):
    """Metadata of one policy document (corpus/<id>.yaml)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    short_title: str | None = None
    issuer: str
    doc_number: str | None = None
    jurisdiction: Jurisdiction
    date_issued: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    # The validity wording as the text states it, e.g. 「本意见自2025年 月 日起施行」; null when the text has none.
    validity_text: str | None = None
    status: Literal["final", "draft"]
    source_file: str | None = None  # the file the text was imported from (corpus/seeds/…, a .docx …); null if none
    text_file: str
    # Set by `policy-qa import`: the pre-filled fields a person has not checked yet.
    review: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. what the metadata infers that the text leaves open

    @property
    def citation_title(self) -> str:
        """The title as a citation names it: issuer first when the title does not name the place
        (two policies here are both 「关于促进电子商务高质量发展的若干措施」), and 征求意见稿 marked."""
        title = self.title
        if title.startswith("关于"):
            issuer = self.issuer.replace("、", " ")
            title = f"{issuer}{title}"
        if self.status == "draft" and "征求意见稿" not in title:
            title += "（征求意见稿）"
        return title

    def cite(self, clause_id: str) -> str:
        return cite(self.citation_title, clause_id)

    def validity_on(self, day: dt.date) -> Validity:
        return validity_state(self.effective_from, self.effective_to, day)

    def validity_label(self, day: dt.date) -> str:
        """有效 / 已失效（截止 …） / 尚未生效（自 … 起） / 未载明, as of ``day``."""
        state = self.validity_on(day)
        if state == "in_force":
            return "有效"
        if state == "expired":
            return f"已失效（截止 {self.effective_to}）"
        if state == "not_yet":
            return f"尚未生效（自 {self.effective_from} 起）"
        return "未载明"


def validity_state(effective_from: dt.date | None, effective_to: dt.date | None, day: dt.date) -> Validity:
    """Whether a policy with these dates is in force on ``day`` (both dates inclusive, as 「至」 reads)."""
    if effective_to is not None and day > effective_to:
        return "expired"
    if effective_from is not None and day < effective_from:
        return "not_yet"
    if effective_from is None and effective_to is None:
        return "unknown"
    return "in_force"


def cite(title: str, clause_id: str) -> str:
    """「《…》第六条」 for a plain article number, else 「《…》三（一）3」 (the document's own label path)."""
    label = f"第{clause_id}条" if clause_id and all(ch in "一二三四五六七八九十" for ch in clause_id) else clause_id
    return f"《{title}》{label}" if title else label


ClauseKind = Literal["preamble", "article", "final", "annex"]


class Clause(BaseModel):
    """One clause of a policy, cut on the document's own numbering."""

    model_config = ConfigDict(extra="forbid")

    policy_id: str
    clause_id: str  # label path: 五, 三（一）3, （八）; preamble: 序言; finals: 附则… (see clauses.py)
    heading: str = ""
    parents: list[str] = Field(default_factory=list)  # headings of enclosing clauses, outermost first
    text: str
    kind: ClauseKind = "article"
    order: int = 0

    @property
    def retrieval_text(self) -> str:
        """Text indexed for retrieval: parents' headings prepended so 「（三）1」 knows it is 跨境电商."""
        head = " ".join(p for p in self.parents if p)
        return f"{head} {self.text}".strip() if head else self.text


class Hit(BaseModel):
    """One search result."""

    policy_id: str
    clause_id: str
    text: str
    score: float
    heading: str = ""
    policy_title: str = ""
    citation: str = ""  # 《title》第X条 / clause label, ready to copy
    bm25_rank: int | None = None
    dense_rank: int | None = None
    highlights: list[str] = Field(default_factory=list)  # query terms found in the text
