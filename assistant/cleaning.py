"""Turn a PDF/markdown-extracted policy seed into clean text: one paragraph per line.

The seeds come in three shapes: PDF line wraps (a blank line after every printed
line, page breaks marked by a line starting with a space), one paragraph per
line, and markdown (``**bold**``, ``#`` headings, ``---`` rules). Cleaning only
removes layout: it joins wrapped lines, drops markup and the spaces PDF
extraction puts around figures (「1000 万元」→「1000万元」). It never changes a
word or a figure (tests/test_cleaning.py compares every digit and numeral).

Run once to (re)generate the corpus; afterwards corpus/*.txt is the source of
truth and may be fixed by hand. Which policy a seed is comes from the metadata
(corpus/<id>.yaml ``source_file``), never from code; new policies come in through
``policy-qa import`` (assistant/onboarding), which uses the same cleaning.

    python -m assistant.cleaning SEED_DIR CORPUS_DIR [OUT_DIR]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING_MARK = re.compile(r"^#{1,6}\s*")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
# Spaces PDF extraction leaves between a figure and the Chinese around it.
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_AFTER_FIGURE = re.compile(rf"(?<=[0-9%％])\s+(?=[{_CJK}])")
# …but not the gap between a signing office and its date: 「办公室 2022年11月11日印发」
_SPACE_BEFORE_FIGURE = re.compile(rf"(?<=[{_CJK}])(?<![局府室会])\s+(?=[0-9])")
_SPACE_BEFORE_COMMA = re.compile(r"(?<=[0-9])\s+(?=[,.;:])")
_SPACE_IN_TITLE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
# Two Chinese words separated by a space: a row of a table (name, office), not prose.
_TABLE_ROW = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
# Signature, date and distribution lines: never the continuation of a sentence.
SIGNATURE_LINE = re.compile(
    r"^(?:抄送|\S{2,40}(?:局|政府|办公室|委员会|管委会)(?: |$)|[0-9]{4} ?年 ?[0-9]{1,2} ?月 ?[0-9]{1,2} ?日(?:印发)?$)"
)

# A paragraph that opens a numbered clause: 一、 / （一） / 1. 1、 / （1）.
NUMBERED_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[0-9]+[.．、](?![0-9])|（[0-9]+）)"
)
_SENTENCE_END = "。！？；：!?;:"
_CLOSERS = "）)”’」』】》"
_LINE_CONTINUES = "，、,（(“‘《的和与及或"
# Title pieces that PDF puts on their own line.
_DOC_NUMBER_LINE = re.compile(r"^\S{1,12}[〔\[［【]\s*[0-9]{4}\s*[〕\]］】]\s*[0-9]{1,4}\s*号$")
_TITLE_SUFFIX = re.compile(r"^[（(](?:试行|暂行|征求意见稿|草案|修订)[）)]$")
_ALWAYS_CONTINUATION = re.compile(r"^[（(](?:牵头单位|责任单位|参与单位)")


def display_width(text: str) -> int:
    """Printed width: a Chinese character counts as two ASCII characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _strip_markup(raw: str) -> list[tuple[str, bool]]:
    """Physical lines without markup, page-break indentation or trailing spaces.

    Returns (line, is_markdown_heading); a heading is a paragraph on its own.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").lstrip("\ufeff")
    lines = []
    for line in text.split("\n"):
        if _RULE.match(line):
            lines.append(("", False))
            continue
        line = _BOOKMARK.sub("", line).replace("**", "").strip()
        heading = bool(_HEADING_MARK.match(line))
        line = _SPACES.sub(" ", _HEADING_MARK.sub("", line)).strip()
        if heading:
            # a markdown title keeps the PDF's line breaks as spaces: 「…发展的 若干措施」
            line = _SPACE_IN_TITLE.sub("", line)
        lines.append((line, heading))
    return lines


def _tidy_figures(line: str) -> str:
    line = _SPACE_AFTER_FIGURE.sub("", line)
    line = _SPACE_BEFORE_FIGURE.sub("", line)
    return _SPACE_BEFORE_COMMA.sub("", line)


def _ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in _SENTENCE_END + _CLOSERS


def _is_wrapped_layout(lines: list[str]) -> tuple[bool, int]:
    """PDF layout: most lines share one printed width (the column). Returns (wrapped?, column width)."""
    widths = sorted(display_width(line) for line in lines if line)
    if len(widths) < 10:
        return False, 0
    column = widths[int(len(widths) * 0.9) - 1]
    near = sum(1 for w in widths if w >= column - 6)
    return near / len(widths) >= 0.4 and column <= 90, column


def _joins(prev: str, prev_is_first: bool, cur: str, wrapped: bool, column: int) -> bool:
    """Is ``cur`` the continuation of the paragraph whose last printed line is ``prev``?

    ``prev_is_first``: prev is the first printed line of its paragraph (indented
    by two characters in the PDF, so it is "full" at a smaller width).
    """
    if _ALWAYS_CONTINUATION.match(cur):
        return True
    if _TITLE_SUFFIX.match(cur) and not _ends_sentence(prev):
        return True
    if _DOC_NUMBER_LINE.match(cur) or _DOC_NUMBER_LINE.match(prev):  # 「义政办发〔2024〕12号」 is a line of its own
        return False
    if cur.startswith("附件") or prev.startswith("附件") or SIGNATURE_LINE.match(cur):
        return False
    if prev_is_first and prev.endswith("："):  # salutation 「各…单位：」 or 「制定如下措施：」
        return False
    if _TABLE_ROW.search(prev) and _TABLE_ROW.search(cur):  # 「组 长：刘 田 …」 rows of a name list
        return False
    width = display_width(prev)
    if _ends_sentence(prev):
        # a sentence may end exactly at the right margin: only then does the paragraph go on
        return wrapped and not NUMBERED_START.match(cur) and width >= column - (6 if prev_is_first else 2)
    long_line = wrapped and width >= column * 0.8
    if NUMBERED_START.match(cur):
        # a printed line may start with 「1.」 only inside an unfinished sentence
        return long_line
    if prev[-1] in _LINE_CONTINUES or cur.startswith("若干"):
        return True
    if wrapped:
        if long_line:
            return True
        # a short line ends a paragraph — except a wrapped table cell (「金融发展服 / 务中心主任」)
        return bool(
            _TABLE_ROW.search(prev)
            and " " not in cur
            and not any(p in cur for p in _SENTENCE_END + "，")
            and display_width(cur) < column // 2
        )
    # one paragraph per line: only a page break cuts a sentence in the middle
    return width > 60


def clean_seed(raw: str, wrapped: bool | None = None) -> str:
    """Clean one seed text; returns UTF-8 text with one paragraph per line and a final newline.

    ``wrapped``: the text is known to be printed lines (a PDF text layer) — None detects it from the widths.
    """
    lines = _strip_markup(raw)
    detected, column = _is_wrapped_layout([text for text, _ in lines])
    if wrapped is None:
        wrapped = detected
    elif wrapped and not detected:
        widths = sorted(display_width(text) for text, _ in lines if text)
        column = widths[max(0, int(len(widths) * 0.9) - 1)] if widths else 0
    paragraphs: list[list[str]] = []  # each paragraph as its printed lines
    heading_before = False
    for line, heading in lines:
        if not line:
            continue
        if (
            paragraphs
            and not heading
            and not heading_before
            and _joins(paragraphs[-1][-1], len(paragraphs[-1]) == 1, line, wrapped, column)
        ):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        heading_before = heading
    return "\n".join(_tidy_figures(_join_printed_lines(p)) for p in paragraphs) + "\n"


def _join_printed_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        # Chinese needs no space at a line break; two Latin words do
        sep = " " if out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha() else ""
        out += sep + line
    return out


def seed_policy_ids(corpus_dir: Path) -> dict[str, str]:
    """Seed file name → policy id, from every corpus/<id>.yaml that names its ``source_file``."""
    import yaml

    out: dict[str, str] = {}
    for meta_file in sorted(Path(corpus_dir).glob("*.yaml")):
        meta = yaml.safe_load(meta_file.read_text(encoding="utf-8")) or {}
        source = meta.get("source_file") if isinstance(meta, dict) else None
        if source:
            out[Path(source).name] = str(meta.get("id") or meta_file.stem)
    return out


def policy_id_for_seed(path: Path, corpus_dir: Path) -> str:
    try:
        return seed_policy_ids(corpus_dir)[path.name]
    except KeyError:
        raise KeyError(
            f"{path.name}: no {corpus_dir}/*.yaml names it as source_file; "
            f"import a new policy with `policy-qa import {path} --id ID`"
        ) from None


def regenerate(seed_dir: Path, corpus_dir: Path, out_dir: Path | None = None) -> list[Path]:
    """Clean every seed of ``seed_dir`` that a policy of ``corpus_dir`` names; write <id>.txt to ``out_dir``."""
    out_dir = Path(out_dir or corpus_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ids = seed_policy_ids(corpus_dir)
    written = []
    for seed in sorted(Path(seed_dir).glob("*.txt")):
        if seed.name not in ids:
            policy_id_for_seed(seed, corpus_dir)  # raises with the message
        target = out_dir / f"{ids[seed.name]}.txt"
        target.write_text(clean_seed(seed.read_text(encoding="utf-8")), encoding="utf-8")
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        sys.stderr.write("usage: python -m assistant.cleaning SEED_DIR CORPUS_DIR [OUT_DIR]\n")
        return 2
    try:
        paths = regenerate(Path(args[0]), Path(args[1]), Path(args[2]) if len(args) == 3 else None)
    except KeyError as exc:
        sys.stderr.write(f"{exc.args[0]}\n")
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
