"""Ask latency after start-up: prints start-up time and p50/p95 per question (goal: p50 < 50 ms).

    .venv/bin/python benchmarks/ask_latency.py [--rounds N] [--no-retrieval]

Questions come from tests/qa/questions.yaml. A benchmark prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-retrieval", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    from assistant.dialogue.pipeline import AskPipeline
    from assistant.rules.engine import evaluate_policies

    pipeline = AskPipeline(retrieval=None if args.no_retrieval else "auto")
    pipeline.ask("淄博一家电商企业当年实物商品网络零售额5000万元，流量补贴能拿多少？")  # warm: index, rules, jieba
    startup = time.perf_counter() - t0
    data = yaml.safe_load((ROOT / "tests/qa/questions.yaml").read_text(encoding="utf-8"))
    questions = [c["q"] for c in data["questions"]]
    times = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            pipeline.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * (len(times) - 1)))]  # noqa: E731
    print(f"start-up (import + first answer): {startup * 1000:.0f} ms")
    print(
        f"ask: {len(times)} answers, p50 {statistics.median(times):.1f} ms, p95 {p(0.95):.1f} ms, max {times[-1]:.1f} ms"
    )
    # The engine alone, for the rules target (< 5 ms per profile).
    facts = {"entity_kind": "enterprise", "online_retail_sales": "30000000"}
    ids = [m.id for m in pipeline.policies]
    t = time.perf_counter()
    n = 200
    for _ in range(n):
        evaluate_policies(ids, facts, book=pipeline.book)
    print(
        f"engine: all {sum(len(pipeline.book.policies[i].rules) for i in ids if i in pipeline.book.policies)} rules "
        f"of {len(ids)} policies, {(time.perf_counter() - t) / n * 1000:.2f} ms per profile"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
