"""Read a policy document into plain text lines: .docx (python-docx), .pdf with a text layer (pypdf),
.html (BeautifulSoup, the main content block), .txt/.md. Pages of a PDF are separated by form feeds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


class DocumentError(ValueError):
    """A document that cannot be read; the message is Chinese and says what to do."""


@dataclass
class Extracted:
    text: str  # lines; PDF pages separated by "\f"
    kind: str  # docx | pdf | html | text
    warnings: list[str] = field(default_factory=list)


SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt", ".md")


def extract(path: Path) -> Extracted:
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix in (".html", ".htm"):
        return _html(_decode(path.read_bytes(), path))
    if suffix in (".txt", ".md"):
        return Extracted(_decode(path.read_bytes(), path), "text")
    if suffix == ".doc":
        raise DocumentError(f"{path.name}：旧版 .doc 无法直接读取，请用 Word/LibreOffice 另存为 .docx 后再导入")
    raise DocumentError(f"{path.name}：不支持的文件类型 {suffix or '（无扩展名）'}；支持 {' '.join(SUFFIXES)}")


def _decode(data: bytes, path: Path) -> str:
    if b"\0" in data[:4096]:
        raise DocumentError(f"{path.name}：看起来是二进制文件，不是文本")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path.name}：无法识别文字编码（请另存为 UTF-8）")


# --- .docx ----------------------------------------------------------------------------------------


def _docx(path: Path) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise DocumentError(f"{path.name}：不是有效的 .docx 文件（{type(exc).__name__}）") from None
    lines: list[str] = []
    auto_numbered = 0
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(el, document)
            if para._p.pPr is not None and para._p.pPr.numPr is not None and para.text.strip():
                auto_numbered += 1
            lines.append(para.text)
        elif tag == "tbl":
            for row in Table(el, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                lines.append(" ".join(cells))
    warnings = []
    if auto_numbered:
        warnings.append(
            f"{auto_numbered} 个段落使用 Word 自动编号，编号不在文字里，条款可能没有切开："
            "请在 Word 中把编号转为文本（或在 corpus 文本中手工补上编号）后重新导入"
        )
    return Extracted("\n".join(lines), "docx", warnings)


# --- .pdf -----------------------------------------------------------------------------------------


def _pdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DocumentError(f"{path.name}：无法读取 PDF（{exc}）") from None
    if sum(len(re.findall(r"[\u4e00-\u9fff]", p)) for p in pages) < 20:
        raise DocumentError(f"{path.name}：PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）后再导入")
    return Extracted("\f".join(pages), "pdf")


# --- .html ----------------------------------------------------------------------------------------

_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "table",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "center",
)
_DROP = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "template",
    "svg",
)
_CJK_PUNCT = re.compile(r"[，。；：、]")


def _html(html: str) -> Extracted:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    root = _main_block(soup)
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text()
    return Extracted(text, "html")


def _main_block(soup):
    """Readability-style: the smallest block holding most of the page's prose (Chinese punctuation)."""
    body = soup.body or soup
    total = len(_CJK_PUNCT.findall(body.get_text()))
    if total == 0:
        return body
    best = body
    for el in body.find_all(("div", "article", "section", "td", "main")):
        n = len(_CJK_PUNCT.findall(el.get_text()))
        if n >= 0.8 * total and len(el.get_text()) < len(best.get_text()):
            best = el
    # the title often sits just outside the content block: keep the page <title>/<h1> as the first line
    title = soup.find("h1") or soup.title
    if title is not None and title.get_text(strip=True) and title.get_text(strip=True) not in best.get_text():
        best.insert(0, "\n" + title.get_text(strip=True) + "\n")
    return best
