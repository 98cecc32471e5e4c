"""No policy in code: no policy id and no name of a policy's own place in assistant/**/*.py (issue #9). Policies,
places and their words are data; the ids and places checked here are read from the corpus and the fixture policy,
so a policy added later is checked too."""

from __future__ import annotations

from pathlib import Path

from assistant import corpus

ROOT = Path(__file__).resolve().parents[1]


def _forbidden() -> set[str]:
    words: set[str] = set()
    for p in [*corpus.load_policies(), *corpus.load_policies(ROOT / "tests" / "fixtures" / "policies")]:
        words.add(p.id)
        words.add(p.id.rsplit("-", 1)[0])  # the id's place part (zibo in zibo-2022)
        place = p.jurisdiction.district or p.jurisdiction.city
        if place:
            words.update({place, place[:-1] if place[-1] in "市区县" and len(place) > 2 else place})
    return words


def test_no_policy_id_or_policy_place_in_the_code():
    words = _forbidden()
    assert len(words) >= 3  # the corpus was read
    hits = [
        f"{path.relative_to(ROOT)}:{n}: {w}"
        for path in sorted((ROOT / "assistant").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for w in words
        if w in line
    ]
    assert not hits, "\n".join(hits)
