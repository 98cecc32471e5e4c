"""The policy corpus: corpus/<id>.txt (clean text) + corpus/<id>.yaml (metadata).

Adding a policy is adding those two files; no code changes. Everything read here
is cached per corpus directory and content hash, so an edited file is picked up
on the next call and indexes can rebuild when ``corpus_hash()`` changes.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from assistant.clauses import split_clauses
from assistant.config import get_settings
from assistant.models import Clause, PolicyMeta


class CorpusError(ValueError):
    """A corpus file that cannot be used; the message names the file and the field."""


class PolicyNotFound(KeyError):
    def __init__(self, policy_id: str, known: list[str]) -> None:
        super().__init__(policy_id)
        self.policy_id = policy_id
        self.known = known

    def __str__(self) -> str:
        return f"未知政策 {self.policy_id!r}；可用的政策：{', '.join(self.known) or '（无）'}"


# corpus directory → (content hash, policies, clauses): the latest version of each directory
_cache: dict[Path, tuple[str, list[PolicyMeta], list[Clause]]] = {}


def _dir(corpus_dir: Path | None) -> Path:
    return Path(corpus_dir if corpus_dir is not None else get_settings().corpus_dir).resolve()


def _corpus_files(directory: Path) -> list[Path]:
    return sorted([*directory.glob("*.txt"), *directory.glob("*.yaml")], key=lambda p: p.name)


def corpus_hash(corpus_dir: Path | None = None) -> str:
    """sha256 over the sorted names and contents of corpus/*.txt and *.yaml."""
    digest = hashlib.sha256()
    for path in _corpus_files(_dir(corpus_dir)):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


# What each metadata field expects, said in every error about it (corpus/README: the same list).
_DATE = "日期 YYYY-MM-DD（如 2022-10-01）；原文未载明写 null"
FIELD_HINTS: dict[str, str] = {
    "id": "政策 id，与文件名相同（小写字母、数字、连字符，如 some-city-2024）",
    "title": "政策全称，照抄原文标题",
    "short_title": "简称；没有写 null",
    "issuer": "发文机关，照抄落款（多个用「、」分隔）",
    "doc_number": "文号，照抄原文（如「某政字〔2022〕1号」）；原文未载明写 null",
    "jurisdiction": "映射 {province: 某某省, city: 某某市, district: 某某区}；没有的一级写 null",
    "jurisdiction.province": "省份全称（如「某某省」）",
    "jurisdiction.city": "地级市全称（如「某某市」）；省级政策写 null",
    "jurisdiction.district": "县（市、区）全称（如「某某县」）；市级政策写 null",
    "date_issued": _DATE,
    "effective_from": _DATE,
    "effective_to": _DATE,
    "validity_text": "原文中写有效期的那句话（逐字照抄）；原文没有写 null",
    "status": "final（正式文件）或 draft（征求意见稿）",
    "source_file": "导入的原始文件名（如 policy.docx）；没有写 null",
    "text_file": "同目录下的正文文件名，一般为 <id>.txt",
    "notes": "说明的列表（每项一句）；没有写 []",
    "review": "导入时预填、尚待人工核对的字段名列表；核对完写 []",
}


def _field_problem(err: ErrorDetails) -> str:
    loc = ".".join(str(part) for part in err["loc"])
    kind = err.get("type", "")
    if kind == "missing":
        msg = "缺少此字段"
    elif kind == "extra_forbidden":
        return f"字段 {loc}: 不认识的字段（拼写错误？可用字段：{', '.join(k for k in FIELD_HINTS if '.' not in k)}）"
    else:
        msg = f"值 {err.get('input')!r} 不合要求（{err['msg']}）"
    hint = FIELD_HINTS.get(loc) or FIELD_HINTS.get(loc.split(".")[0])
    return f"字段 {loc}: {msg}" + (f"；应为{hint}" if hint else "")


def _read_meta(path: Path) -> PolicyMeta:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path.name}: 不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError(f"{path.name}: 应为键值映射（id、title、issuer…）")
    try:
        meta = PolicyMeta.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_field_problem(err) for err in exc.errors())
        raise CorpusError(f"{path.name}: {problems}") from exc
    if meta.id != path.stem:
        raise CorpusError(f"{path.name}: 字段 id 为 {meta.id!r}，应与文件名 {path.stem!r} 一致")
    if not (path.parent / meta.text_file).is_file():
        raise CorpusError(f"{path.name}: 字段 text_file 指向的 {meta.text_file} 不存在")
    return meta


def stat_entries(directory: Path) -> list[tuple[str, int, int]]:
    """(name, size, mtime_ns) of every corpus .txt and .yaml file, sorted by name: one directory scan,
    no reading (1,000 policies: a few ms, against ~0.2 s through pathlib globs)."""
    out = []
    try:
        with os.scandir(directory) as entries:
            for e in entries:
                if e.name.endswith((".txt", ".yaml")) and e.is_file():
                    st = e.stat()
                    out.append((e.name, st.st_size, st.st_mtime_ns))
    except (FileNotFoundError, NotADirectoryError):
        return []  # as an empty glob: the caller says what is missing
    out.sort()
    return out


def _stat_key(directory: Path) -> tuple:
    """Names, sizes and mtimes of the corpus files: a cheap key that changes whenever a file does."""
    return tuple(stat_entries(directory))


_stat_digest: dict[Path, tuple[tuple, str]] = {}


def _load(corpus_dir: Path | None) -> tuple[list[PolicyMeta], list[Clause]]:
    directory = _dir(corpus_dir)
    if not directory.is_dir():
        raise CorpusError(f"政策库目录不存在：{directory}")
    # Re-read and re-hash only when a file's stat changed (1,000 policies: ms instead of a full read);
    # a new process takes the parsed corpus from the compiled cache under the same stat key, so no
    # command reads or hashes the whole corpus unless a file changed.
    key = _stat_key(directory)
    known = _stat_digest.get(directory)
    cached = _cache.get(directory)
    if not (known and known[0] == key and cached and cached[0] == known[1]):
        from . import clauses as clauses_module
        from . import models
        from .compiled_cache import compiled

        def build() -> tuple[str, list[PolicyMeta], list[Clause]]:
            return (corpus_hash(directory), *_parse(directory))

        salt = hashlib.sha256(repr((str(directory), key)).encode()).hexdigest()
        name = f"corpus-{hashlib.sha256(str(directory).encode()).hexdigest()[:8]}"
        digest, metas, clauses = compiled(name, [__file__, clauses_module.__file__, models.__file__], build, salt)
        _stat_digest[directory] = (key, digest)
        _cache[directory] = (digest, metas, clauses)
    _, metas, clauses = _cache[directory]
    return metas, clauses


def _parse(directory: Path) -> tuple[list[PolicyMeta], list[Clause]]:
    metas = sorted((_read_meta(p) for p in directory.glob("*.yaml")), key=lambda m: m.id)
    described = {m.text_file for m in metas}
    orphans = [p.name for p in directory.glob("*.txt") if p.name not in described]
    if orphans:
        raise CorpusError(f"{', '.join(sorted(orphans))}: 缺少同名的 .yaml 元数据文件")
    clauses: list[Clause] = []
    for meta in metas:
        text = (directory / meta.text_file).read_text(encoding="utf-8")
        clauses.extend(split_clauses(meta.id, text))
    return metas, clauses


def load_policies(corpus_dir: Path | None = None) -> list[PolicyMeta]:
    """All policies, sorted by id."""
    return list(_load(corpus_dir)[0])


def get_policy(policy_id: str, corpus_dir: Path | None = None) -> PolicyMeta:
    policies = load_policies(corpus_dir)
    for meta in policies:
        if meta.id == policy_id:
            return meta
    raise PolicyNotFound(policy_id, [m.id for m in policies])


def policy_text(policy_id: str, corpus_dir: Path | None = None) -> str:
    meta = get_policy(policy_id, corpus_dir)
    return (_dir(corpus_dir) / meta.text_file).read_text(encoding="utf-8")


def load_clauses(corpus_dir: Path | None = None) -> list[Clause]:
    """Clauses of every policy: by policy id, then document order."""
    return list(_load(corpus_dir)[1])


def clauses_of(policy_id: str, corpus_dir: Path | None = None) -> list[Clause]:
    get_policy(policy_id, corpus_dir)  # unknown id → PolicyNotFound, not an empty list
    return [c for c in load_clauses(corpus_dir) if c.policy_id == policy_id]


def get_clause(policy_id: str, clause_id: str, corpus_dir: Path | None = None) -> Clause | None:
    for clause in clauses_of(policy_id, corpus_dir):
        if clause.clause_id == clause_id:
            return clause
    return None
