"""What the index stores per clause, and the texts the two retrievers see.

A snapshot of the clauses and policy metadata is saved with each build, so a
search answers from exactly the corpus its index was built from.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, Field

from ..models import Clause, PolicyMeta

# Dense chunks: one vector blurs a long clause that lists several awards, so a clause
# longer than CHUNK_CHARS is embedded as sentence windows (each with the policy and
# heading context); a clause ranks by its best window. Measured on the eval set
# (dense recall@5): whole clauses 0.900, whole + 160-char windows 0.944,
# windows of 90 / 120 / 150 / 200 chars 0.956 / 0.933 / 0.922 / 0.933 — 120 is the
# best trade against build time (≈170 chunks, ~7 s on 2 cores).
CHUNK_CHARS = 120
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")


class ClauseRecord(BaseModel):
    key: str  # policy_id::clause_id, unique in the index
    policy_id: str
    clause_id: str
    heading: str = ""
    parents: list[str] = Field(default_factory=list)
    text: str
    kind: str = "article"
    order: int = 0
    policy_title: str = ""
    policy_short: str = ""
    retrieval_text: str = ""

    @classmethod
    def from_clause(cls, clause: Clause, meta: PolicyMeta | None) -> ClauseRecord:
        title = meta.citation_title if meta else clause.policy_id
        return cls(
            key=f"{clause.policy_id}::{clause.clause_id}",
            policy_id=clause.policy_id,
            clause_id=clause.clause_id,
            heading=clause.heading,
            parents=list(clause.parents),
            text=clause.text,
            kind=clause.kind,
            order=clause.order,
            policy_title=title,
            policy_short=(meta.short_title or title) if meta else title,
            retrieval_text=clause.retrieval_text,
        )

    @property
    def lexical_text(self) -> str:
        """BM25 text: the policy's short title (so a place named in a query favours that place's policy) + clause."""
        return f"{self.policy_short} {self.retrieval_text}"

    def dense_chunks(self) -> list[str]:
        """Passages to embed: the clause, or its sentence windows when it is long."""
        context = " ".join(x for x in [self.policy_short, *self.parents] if x)
        whole = f"{context} {self.text}".strip()
        if len(self.text) <= CHUNK_CHARS:
            return [whole]
        head = " ".join(x for x in [context, self.heading] if x)
        windows: list[str] = []
        current = ""
        for sentence in (s for s in _SENTENCE_END.split(self.text) if s.strip()):
            if current and len(current) + len(sentence) > CHUNK_CHARS:
                windows.append(current)
                current = ""
            current += sentence
        if current:
            windows.append(current)
        if len(windows) == 1:
            return [whole]
        return [f"{head} {w}".strip() for w in windows]


def save_snapshot(path: Path, records: list[ClauseRecord], policies: list[PolicyMeta]) -> None:
    data = {
        "policies": [p.model_dump(mode="json") for p in policies],
        "clauses": [r.model_dump(mode="json") for r in records],
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_snapshot(path: Path) -> tuple[list[ClauseRecord], list[PolicyMeta]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return (
        [ClauseRecord.model_validate(r) for r in data["clauses"]],
        [PolicyMeta.model_validate(p) for p in data["policies"]],
    )
