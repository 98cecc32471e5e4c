"""Reading figures: right / missed (asked instead) / misbound, on the metamorphic sets generated from the
lexicon (tests/nlu/metamorphic.py). A benchmark prints figures; it asserts nothing.

    .venv/bin/python benchmarks/reading_sets.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "nlu"))


def main() -> int:
    import metamorphic as M

    for name, cases in (("figures", M.figure_cases()), ("negations", M.negation_cases())):
        t0 = time.perf_counter()
        result = M.run(cases)
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(cases))
        counts = {k: len(v) for k, v in result.items()}
        print(
            f"{name}: {len(cases)} cases — right {counts['right']}, missed {counts['missed']}, "
            f"misbound {counts['misbound']} ({ms:.2f} ms per parse)"
        )
        for o in result["misbound"][:10]:
            print(f"  misbound: {o.case.text} → {o.got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
