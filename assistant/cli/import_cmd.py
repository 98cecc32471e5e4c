"""`policy-qa import PATH --id ID`: bring a .docx/.pdf/.html/.txt/.md policy into the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import error, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="导入政策文件（.docx/.pdf/.html/.txt/.md）到政策库",
        description="读取政策文件，规整编号与标点，写出 corpus/<id>.txt 和待核对的元数据 corpus/<id>.yaml，"
        "并打印条款树；编号可疑时给出警告。",
    )
    p.add_argument("path", type=Path, help="政策文件")
    p.add_argument("--id", required=True, dest="policy_id", help="新政策 id，如 some-city-2024")
    p.add_argument("--corpus-dir", type=Path, help="政策库目录（默认设置的 corpus_dir）")
    p.add_argument("--force", action="store_true", help="覆盖已有的同名文件")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..config import get_settings
    from ..onboarding.extract import DocumentError
    from ..onboarding.importer import clause_tree, format_tree, import_policy

    corpus_dir = args.corpus_dir or get_settings().corpus_dir
    try:
        res = import_policy(args.path, args.policy_id, corpus_dir, force=args.force)
    except DocumentError as exc:
        error(str(exc))
        return 1
    if args.json:
        print_json(
            {
                "policy_id": res.policy_id,
                "text_file": str(res.text_path),
                "meta_file": str(res.meta_path),
                "meta": res.meta,
                "review": res.meta["review"],
                "clauses": clause_tree(res.clauses),
                "warnings": res.warnings,
            }
        )
        return 0
    out = sys.stdout
    out.write(f"已写入 {res.text_path} 和 {res.meta_path}\n")
    out.write(f"元数据待核对字段：{', '.join(res.meta['review'])}\n")
    for key in (
        "title",
        "issuer",
        "doc_number",
        "date_issued",
        "effective_from",
        "effective_to",
        "validity_text",
        "status",
    ):
        out.write(f"  {key:<15}{res.meta[key]}\n")
    j = res.meta["jurisdiction"]
    out.write(f"  {'jurisdiction':<15}{' '.join(x for x in (j['province'], j['city'], j['district']) if x)}\n")
    articles = sum(1 for c in res.clauses if c.kind == "article")
    out.write(f"\n条款树（{len(res.clauses)} 段，其中编号条款 {articles} 条）：\n{format_tree(res.clauses)}\n")
    for w in res.warnings:
        out.write(f"警告：{w}\n")
    pid = res.policy_id
    out.write(
        f"\n下一步：核对 {res.meta_path.name} 中 review 所列字段 → policy-qa clauses {pid} → policy-qa rules draft {pid}"
        f" → policy-qa rules show {pid} → policy-qa rules --check（详见 README「Adding a policy」）\n"
    )
    return 0
