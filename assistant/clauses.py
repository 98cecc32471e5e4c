"""Cut a clean policy text (one paragraph per line) into clauses on its own numbering.

Levels, outermost first: 一、 / （一） / 1. or 1、 / （1）. A number opens a clause
only at the start of a paragraph and only when it is the next number expected at
its level (so 「（含2000万元）」, 「2022年1月1日」 or 「一是」 never do).

Clause ids are label paths: ``五``, ``三（一）1``, ``四（一）``, ``五7``. A document
that numbers its （一）… articles straight through its 一、… sections (one corpus policy does)
gets ids ``（一）``…``（二十）``, the section heading going to ``parents``.
Everything else is a chunk too, so that every line belongs to exactly one chunk:
``通知`` (a cover notice that prints the policy), ``序言`` (title and preamble),
``附则1``… (unnumbered final paragraphs), ``附件`` (annex), ``落款`` (signature,
抄送 and print lines). A parent's own heading line (「三、支持政策」) opens the
text of its first child; its heading is in every child's ``parents``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.models import Clause, ClauseKind
from assistant.numerals import parse_int

_CN = "一二三四五六七八九十"

# (level, pattern); group "n" is the number as written.
_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    # 第一章 … 第一条 (regulations): chapters above articles numbered straight through them
    (0, re.compile(rf"^第(?P<n>[{_CN}]+)章")),
    (1, re.compile(rf"^第(?P<n>[{_CN}]+)条")),
    (1, re.compile(rf"^(?P<n>[{_CN}]+)、")),
    (2, re.compile(rf"^（(?P<n>[{_CN}]+)）")),
    (3, re.compile(r"^(?P<n>[0-9]{1,2})[.．、](?![0-9])")),
    (4, re.compile(r"^（(?P<n>[0-9]{1,2})）")),
]

# Signature / distribution / print lines at the end of a document.
_SIGNATURE = re.compile(
    r"^(?:抄送|\S{2,40}(?:局|政府|办公室|委员会|管委会)(?: \S{2,40}(?:局|政府|办公室|委员会|管委会))*(?: |$)"
    r"|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日(?:印发)?$)"
)
_QUOTED_TITLE = re.compile(r"《([^》]+)》")
_HEADING_END = re.compile(r"[。：]")
_MAX_HEADING = 25


def _value(written: str) -> int:
    """The number of a label as written (十二 → 12, 7 → 7); ``_numbered`` only passes labels that read."""
    return parse_int(written) or 0


def _label(level: int, number: str) -> str:
    return f"（{number}）" if level in (2, 4) else number


def clause_heading(rest: str) -> str:
    """The clause's own short heading: the whole paragraph when it is a heading line
    (「支持政策」), else its first sentence when that is short (「实施网络零售倍增计划。」,
    「组织申报：」) and reads as a heading rather than a rule (「本政策…」)."""
    rest = rest.strip()
    match = _HEADING_END.search(rest)
    if match is None:
        return rest if len(rest) <= 30 and "，" not in rest else ""
    head = rest[: match.start()]
    if len(head) > _MAX_HEADING or head.startswith("本"):
        return ""
    return head


@dataclass
class _Open:
    """A numbered clause being read."""

    level: int
    number: int
    label: str
    heading: str
    lines: list[str]
    children: int = 0


@dataclass
class _Chunk:
    labels: list[tuple[int, str]]  # (level, label) path; empty for unnumbered chunks
    clause_id: str
    heading: str
    parents: list[str]
    lines: list[str]
    kind: ClauseKind


def _numbered(line: str) -> tuple[int, str, str] | None:
    """(level, number as written, rest) when the paragraph starts with a clause number."""
    for level, pattern in _LEVELS:
        match = pattern.match(line)
        if match:
            number = match.group("n")
            if level in (0, 1, 2) and not _valid_cn(number):
                continue
            return level, number, line[match.end() :]
    return None


def _valid_cn(text: str) -> bool:
    value = parse_int(text)
    return value is not None and 1 <= value <= 99


def _ends_body(line: str) -> bool:
    """An annex or a signature/抄送 line: the numbered body is over."""
    return line.startswith("附件") or bool(_SIGNATURE.match(line))


class _Numbering:
    """Which paragraphs open a clause: the next expected number at some open level."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.last_at_level: dict[int, int] = {}
        self.continuous_l2 = False  # （一）… numbered straight through the 一、 sections
        self.continuous_l1 = False  # 第一条… numbered straight through the 第一章 chapters

    def accepts(self, level: int, number: int) -> bool:
        if not self.stack:
            return number == 1
        for opened in reversed(self.stack):
            if level == opened.level:
                return number == opened.number + 1
            if level > opened.level:
                # the first child of the innermost open clause
                if opened is not self.stack[-1] or opened.children:
                    return False
                if number == 1:
                    return True
                if level == 2 and self.last_at_level.get(2) and number == self.last_at_level[2] + 1:
                    self.continuous_l2 = True
                    return True
                if (
                    level == 1
                    and opened.level == 0
                    and self.last_at_level.get(1)
                    and number == self.last_at_level[1] + 1
                ):
                    self.continuous_l1 = True
                    return True
                return False
        return False  # shallower than the first clause

    def open(self, level: int, number: int, label: str, heading: str, line: str, on_close=None) -> None:
        """Open a clause, first closing the open ones at its level or deeper (innermost first);
        ``on_close(clause)`` runs while the closed clause's ancestors are still on the stack."""
        while self.stack and self.stack[-1].level >= level:
            if on_close:
                on_close(self.stack[-1])
            self.stack.pop()
        if self.stack:
            self.stack[-1].children += 1
        self.last_at_level[level] = number
        self.stack.append(_Open(level, number, label, heading, [line]))


class _Splitter:
    """Reads the paragraphs once: front matter, the numbered body, then the tail."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self.numbering = _Numbering()
        self.chunks: list[_Chunk] = []
        self.pending: list[str] = []  # a parent's heading lines, waiting for its first child
        self.continuous_l2 = False
        self.continuous_l1 = False

    def run(self) -> list[_Chunk]:
        starts = self._clause_starts()
        if not starts:
            self._emit_front(self.paragraphs)
            return self.chunks
        self._emit_front(self.paragraphs[: starts[0]])
        body_end = self._body_end(starts)
        starts_set = set(starts)
        for i in range(starts[0], body_end):
            line = self.paragraphs[i]
            if i in starts_set:
                numbered = _numbered(line)
                assert numbered is not None  # the dry run accepted this paragraph as numbered
                level, written, rest = numbered
                self.numbering.open(
                    level, _value(written), _label(level, written), clause_heading(rest), line, self._close
                )
                self._adopt_parent_lines()
            else:
                self.numbering.stack[-1].lines.append(line)
        while self.numbering.stack:
            self._close(self.numbering.stack[-1])
            self.numbering.stack.pop()
        self._emit_tail(self.paragraphs[body_end:])
        self._fix_ids()
        return self.chunks

    def _clause_starts(self) -> list[int]:
        """Indices of the paragraphs that open a clause (a dry run of the numbering)."""
        numbering, lines = _scan_numbering(self.paragraphs)
        self.continuous_l2 = numbering.continuous_l2
        self.continuous_l1 = numbering.continuous_l1
        return [n.index for n in lines if n.accepted]

    def _body_end(self, starts: list[int]) -> int:
        """Index of the first paragraph after the numbered body (finals, annex, signature).

        A last clause written inline (「八、标题。正文…」) ends with its paragraph: the
        unnumbered paragraphs after it are final provisions. A last clause that is a
        heading line alone (「（八）强化金融服务」) runs on to the annex or signature.
        """
        last = starts[-1]
        stop = next(
            (i for i in range(last + 1, len(self.paragraphs)) if _ends_body(self.paragraphs[i])), len(self.paragraphs)
        )
        numbered = _numbered(self.paragraphs[last])
        assert numbered is not None  # starts holds paragraphs the dry run accepted as numbered
        _, _written, rest = numbered
        heading = clause_heading(rest)
        inline = len(rest.strip()) > len(heading) + 1
        return min(stop, last + 1) if inline else stop

    def _adopt_parent_lines(self) -> None:
        """A parent's own lines (its heading) open the text of its first child."""
        stack = self.numbering.stack
        if len(stack) >= 2 and stack[-2].children == 1:
            self.pending.extend(stack[-2].lines)
            stack[-2].lines = []

    def _close(self, clause: _Open) -> None:
        if clause.children:
            return  # a parent: its lines went to its first child
        ancestors = [o for o in self.numbering.stack if o.level < clause.level]
        labels = [(o.level, o.label) for o in ancestors] + [(clause.level, clause.label)]
        parents = [o.heading for o in ancestors]
        kind: ClauseKind = "final" if "附则" in [*parents, clause.heading] else "article"
        self.chunks.append(_Chunk(labels, "", clause.heading, parents, self.pending + clause.lines, kind))
        self.pending = []

    def _fix_ids(self) -> None:
        for chunk in self.chunks:
            if not chunk.labels:
                continue
            labels = chunk.labels
            if self.continuous_l2 and any(level == 2 for level, _ in labels):
                labels = [(level, label) for level, label in labels if level >= 2]
            elif self.continuous_l1 and any(level == 1 for level, _ in labels):
                labels = [(level, label) for level, label in labels if level >= 1]
            elif any(level == 0 for level, _ in labels) and any(level == 1 for level, _ in labels):
                labels = [(level, label) for level, label in labels if level >= 1]  # 第X条 restart per 章: rare
            chunk.clause_id = "".join(label for _, label in labels)

    def _emit_front(self, lines: list[str]) -> None:
        if not lines:
            return
        cut = _policy_title_index(lines)
        if cut:
            self.chunks.append(_Chunk([], "通知", "", [], lines[:cut], "preamble"))
            lines = lines[cut:]
        self.chunks.append(_Chunk([], "序言", "", [], lines, "preamble"))

    def _emit_tail(self, lines: list[str]) -> None:
        finals: list[str] = []
        annex: list[str] = []
        signature: list[str] = []
        for line in lines:
            if signature or _SIGNATURE.match(line):
                signature.append(line)
            elif annex or line.startswith("附件"):
                annex.append(line)
            else:
                finals.append(line)
        for n, line in enumerate(finals, 1):
            self.chunks.append(_Chunk([], f"附则{n}", "", [], [line], "final"))
        if annex:
            head = annex[0].partition("：")[2].strip()
            self.chunks.append(_Chunk([], "附件", head, [], annex, "annex"))
        if signature:
            self.chunks.append(_Chunk([], "落款", "", [], signature, "final"))


def _policy_title_index(lines: list[str]) -> int:
    """Index of the policy's own title when a cover notice prints it (「现将《…》印发给你们」)."""
    quoted: set[str] = set()
    for i, line in enumerate(lines):
        key = _title_key(line)
        if i and key in quoted:
            return i
        quoted.update(_title_key(q) for q in _QUOTED_TITLE.findall(line))
    return 0


def _title_key(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def split_clauses(policy_id: str, text: str) -> list[Clause]:
    """Clauses of one clean policy text, in document order (``order`` 0..n)."""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    chunks = _Splitter(paragraphs).run()
    seen: set[str] = set()
    clauses = []
    for order, chunk in enumerate(chunks):
        if chunk.clause_id in seen:
            raise ValueError(f"{policy_id}: clause id {chunk.clause_id!r} occurs twice")
        seen.add(chunk.clause_id)
        clauses.append(
            Clause(
                policy_id=policy_id,
                clause_id=chunk.clause_id,
                heading=chunk.heading,
                parents=list(chunk.parents),
                text="\n".join(chunk.lines),
                kind=chunk.kind,
                order=order,
            )
        )
    return clauses


@dataclass
class NumberedLine:
    """A paragraph of the numbered body that starts like a clause number, and whether it opened a clause."""

    index: int
    line: str
    level: int
    number: int
    accepted: bool


def numbering_scan(text: str) -> list[NumberedLine]:
    """Every paragraph up to the annex/signature that starts with a clause number (as ``split_clauses`` reads it)."""
    return _scan_numbering([line.strip() for line in text.splitlines() if line.strip()])[1]


def _scan_numbering(paragraphs: list[str]) -> tuple[_Numbering, list[NumberedLine]]:
    """The one pass over the numbered body: which numbered paragraphs open a clause, and the numbering's state."""
    numbering = _Numbering()
    out: list[NumberedLine] = []
    started = False
    for i, line in enumerate(paragraphs):
        if started and _ends_body(line):
            break
        found = _numbered(line)
        if found is None:
            continue
        level, written, _ = found
        number = _value(written)
        ok = numbering.accepts(level, number)
        if ok:
            numbering.open(level, number, "", "", line)
            started = True
        out.append(NumberedLine(i, line, level, number, ok))
    return numbering, out
