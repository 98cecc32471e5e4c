"""Enterprise words → the policies' words, added to BM25 queries only.

People ask 「在国外租仓库」; the text says 「境外」「租用」「海外仓」. The dense model
bridges some of this, BM25 none: a small thesaurus of everyday business
language lets the lexical side match too. Expansions are extra query tokens
(each counted once), never replacements, so the literal words still count.

The thesaurus is data: assistant/data/thesaurus.yaml (a word: [how policies phrase it, …]);
a new policy's vocabulary is added there, without code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


def thesaurus_path() -> Path:
    return Path(str(resources.files("assistant") / "data" / "thesaurus.yaml"))


@lru_cache(maxsize=1)
def load_thesaurus(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((path or thesaurus_path()).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError("thesaurus.yaml: 应为「词: [同义词, …]」的映射")
    out: dict[str, tuple[str, ...]] = {}
    for word, alts in data.items():
        alts = [alts] if isinstance(alts, str) else list(alts or [])
        out[str(word)] = tuple(str(a) for a in alts if str(a) != str(word))
    return out


def __getattr__(name: str):  # THESAURUS, as before, read from the data file
    if name == "THESAURUS":
        return load_thesaurus()
    raise AttributeError(name)


def expand(tokens: list[str]) -> list[str]:
    """Thesaurus terms for the tokens, not already among them (each once)."""
    thesaurus = load_thesaurus()
    present = set(tokens)
    extra: dict[str, None] = {}
    for tok in tokens:
        for alt in thesaurus.get(tok, ()):
            if alt not in present:
                extra.setdefault(alt, None)
    return list(extra)
