"""Build small policy documents in each supported format (the PDF by hand, with a real text layer)."""

from __future__ import annotations

from pathlib import Path

POLICY_LINES = [
    "义乌市人民政府办公室关于促进直播电商发展的若干意见",
    "义政办发〔2024〕12号",
    "各镇人民政府、街道办事处，市政府各部门：",
    "为加快直播电商发展，现提出如下意见。",
    "一、支持主体培育",
    "(一)对年网络零售额首次达到1亿元、5亿元的直播电商企业，分别给予10万元、30万元一次性奖励。",
    "(二)对新引进的直播电商机构，每家给予5万元奖励，单个机构最高不超过20万元。",
    "二、支持载体建设",
    "(一)对新建直播基地，按设备投入的30%给予补助，最高不超过50万元。",
    "(二)对直播电商公共服务平台，一事一议给予支持。",
    "三、附则",
    "本意见自2024年3月1日起施行，有效期至2026年12月31日。",
    "义乌市人民政府办公室",
    "2024年2月20日",
]


def write_docx(path: Path, lines: list[str] = POLICY_LINES) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "联系人"
    table.rows[0].cells[1].text = "电话"
    document.save(str(path))
    return path


def write_html(path: Path, lines: list[str] = POLICY_LINES) -> Path:
    body = "".join(f"<p>{line.replace('万元', '<span>万元</span>')}</p>" for line in lines[1:])
    html = (
        f"<html><head><title>{lines[0]}</title><script>var x = '，。，。';</script></head><body>"
        f"<nav>首页 | 政务公开 | 政策文件</nav><div class='main'><h1>{lines[0]}</h1><div class='content'>{body}"
        "</div></div><footer>主办单位：义乌市人民政府 版权所有</footer></body></html>"
    )
    path.write_text(html, encoding="utf-8")
    return path


def _pdf_string(text: str) -> str:
    return "<" + "".join(f"{ord(ch):04X}" for ch in text) + ">"


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose text layer holds ``pages`` (lines), Identity-H CIDs = code points, with a ToUnicode map."""
    objects: list[bytes] = []

    def add(body: str | bytes) -> int:
        objects.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objects)

    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Identity-UCS def "
        "/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
        "1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    tounicode = add(f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream")
    descriptor = add(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 0 1000 1000] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
    )
    cidfont = add(
        f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 >>"
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {tounicode} 0 R >>"
    )
    page_ids = []
    pages_id_placeholder = len(objects) + 1 + 2 * len(pages)
    for lines in pages:
        ops = ["BT", "/F1 10 Tf", "12 TL", "50 800 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = "\n".join(ops)
        content = add(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        page_ids.append(
            add(
                f"<< /Type /Page /Parent {pages_id_placeholder} 0 R /MediaBox [0 0 595 842] "
                f"/Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>"
            )
        )
    pages_id = add(f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {len(page_ids)} >>")
    assert pages_id == pages_id_placeholder
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
