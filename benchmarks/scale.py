"""Province scale on one machine: N synthetic policies, built, searched and asked.

    .venv/bin/python benchmarks/scale.py --sizes 5,100,1000 [--workdir benchmarks/.cache/scale]

For each N the five real policies are kept and N-5 variants are generated from them: a new id, a new
place (a city-level policy moves to another prefecture city, a county-level one to another county,
both taken from the national gazetteer and never inside the real policies' places) and the place
names in the title and text replaced. Then it measures, each phase in a fresh process:

* full build time (embedding on every core) and index size; adding one policy to the built index;
* CLI start-up (`policy-qa search` and `policy-qa ask`, wall clock, index already built);
* memory (peak RSS of a process that loads the ask pipeline and answers questions);
* search and ask latency p50/p95 (each query once, after warm-up: query vectors are not cached);
* recall@5 on tests/retrieval/queries.yaml, split into queries that name their place (a --region
  filter or a place in the text that a policy covers) and those that do not. A variant's copy of an
  expected clause counts as relevant only for queries that do not name a place.

Everything goes under --workdir and is reused: a corpus already generated and an index already
built (its build time kept in results.json) are not redone, and the embedding cache is saved during
a build, so an interrupted N=1000 build resumes where it stopped. Prints the table at the end.

``--approx-vectors`` (with its own ``--workdir``) gives each variant chunk its source chunk's vector instead of
embedding it: for a machine that cannot embed 30,000 chunks in time. Its rows say so (``approx. vectors``); the
build time then excludes embedding, and only the real five's vectors are real.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ROOT / "tests" / "retrieval" / "queries.yaml"
QUESTIONS = ROOT / "tests" / "qa" / "questions.yaml"  # ask latency: real questions that name a place
PY = sys.executable


# --- synthetic corpus -------------------------------------------------------------------------


def _places_for(real_places: set[str]):
    """(cities, counties) of the national gazetteer outside the real policies' provinces' cities/counties."""
    from assistant.nlu.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    cities, counties = [], []
    for place in gaz.places.values():
        if place.city in real_places or place.name in real_places or place.municipality:
            continue
        if place.level == "city" and place.city:
            cities.append(place)
        elif place.level == "district" and place.city and gaz.lookup(place.name) == place:
            counties.append(place)
    key = lambda p: (p.province, p.city or "", p.name)  # noqa: E731 - deterministic order
    return sorted(cities, key=key), sorted(counties, key=key)


def _short(name: str) -> str:
    from assistant.nlu.gazetteer import _short_names

    shorts = _short_names(name)
    return shorts[0] if shorts else name


def generate_corpus(target: Path, n: int) -> dict[str, str]:
    """Write the real five plus n-5 variants into ``target``; returns variant id → source id."""
    manifest = target / "variants.json"
    if manifest.exists() and len(json.loads(manifest.read_text())) == max(0, n - 5):
        return json.loads(manifest.read_text())
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    reals = []
    for meta_path in sorted((ROOT / "corpus").glob("*.yaml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        shutil.copy(meta_path, target / meta_path.name)
        shutil.copy(ROOT / "corpus" / meta["text_file"], target / meta["text_file"])
        reals.append(meta)
    real_places = {x for m in reals for x in (m["jurisdiction"].get("city"), m["jurisdiction"].get("district")) if x}
    cities, counties = _places_for(real_places)
    variants: dict[str, str] = {}
    ci = di = 0
    for i in range(max(0, n - 5)):
        base = reals[i % len(reals)]
        j = base["jurisdiction"]
        text = (ROOT / "corpus" / base["text_file"]).read_text(encoding="utf-8")
        if j.get("district"):
            place = counties[di % len(counties)]
            di += 1
            swaps = [
                (j["district"], place.name),
                (_short(j["district"]), _short(place.name)),
                (j["city"], place.city),
                (_short(j["city"]), _short(place.city)),
            ]
            jur = {"province": place.province, "city": place.city, "district": place.name}
        else:
            place = cities[ci % len(cities)]
            ci += 1
            swaps = [(j["city"], place.city), (_short(j["city"]), _short(place.city))]
            jur = {"province": place.province, "city": place.city}
        swaps.append((j["province"], place.province))
        swaps.append((_short(j["province"]), _short(place.province)))

        def swap(s: str, swaps: list[tuple[str, str]] = swaps) -> str:  # this iteration's places
            for old, new in swaps:
                s = s.replace(old, new)
            return s

        vid = f"syn{i:04d}-{base['id']}"
        meta = dict(base)
        meta.update(
            id=vid,
            jurisdiction=jur,
            title=swap(base["title"]),
            issuer=swap(base["issuer"]),
            short_title=swap(base.get("short_title") or ""),
            text_file=f"{vid}.txt",
            source_file=f"{vid}.txt",
        )
        meta.pop("notes", None)
        (target / f"{vid}.txt").write_text(swap(text), encoding="utf-8")
        (target / f"{vid}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
        variants[vid] = base["id"]
    manifest.write_text(json.dumps(variants, ensure_ascii=False))
    return variants


# --- phases, each in a fresh process ------------------------------------------------------------


def _env(work: Path) -> dict:
    env = dict(os.environ)
    env.update(
        POLICY_QA_CORPUS_DIR=str(work / "corpus"),
        POLICY_QA_INDEX_DIR=str(work / "index"),
        POLICY_QA_DATA_DIR=str(work / "var"),
        POLICY_QA_TODAY="2026-11-23",
    )
    return env


def _run_phase(work: Path, phase: str, timeout: float | None = None) -> dict:
    t0 = time.perf_counter()
    out = subprocess.run(
        [PY, __file__, "--phase", phase, "--workdir", str(work)],
        env=_env(work),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["wall_seconds"] = round(time.perf_counter() - t0, 3)
    return data


def _rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def phase_build(work: Path) -> dict:
    from assistant.config import get_settings
    from assistant.retrieval.index_builder import build_index, build_lock, read_manifest, staleness, stderr_progress

    s = get_settings()
    with build_lock(Path(s.index_dir)):
        if staleness(s, verify=True) is None:
            return {"skipped": True}
        d = build_index(s, stderr_progress)
    m = read_manifest(d)
    return {
        "build_seconds": m.build_seconds,
        "chunks": m.chunk_count,
        "clauses": m.clause_count,
        "embedded": m.embedded_chunks,
        "index_mb": round(sum(p.stat().st_size for p in d.rglob("*") if p.is_file()) / 2**20, 1),
    }


def phase_add_one(work: Path) -> dict:
    """Add one new variant to the built index, time the incremental build, then take it out again."""
    from assistant.config import get_settings
    from assistant.retrieval.index_builder import build_index, read_manifest

    s = get_settings()
    corpus = Path(s.corpus_dir)
    src_meta = yaml.safe_load((corpus / "jinyun-2025.yaml").read_text(encoding="utf-8"))
    vid = "added-one-policy"
    meta = dict(
        src_meta,
        id=vid,
        text_file=f"{vid}.txt",
        source_file=f"{vid}.txt",
        jurisdiction={"province": "浙江省", "city": "丽水市", "district": "松阳县"},
        title=src_meta["title"].replace("缙云", "松阳"),
        short_title=(src_meta.get("short_title") or "").replace("缙云", "松阳"),
    )
    text = (corpus / "jinyun-2025.txt").read_text(encoding="utf-8").replace("缙云", "松阳")
    (corpus / f"{vid}.txt").write_text(text + "\n（基准测试）", encoding="utf-8")
    (corpus / f"{vid}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    try:
        t0 = time.perf_counter()
        d = build_index(s)
        add = time.perf_counter() - t0
        m = read_manifest(d)
    finally:
        (corpus / f"{vid}.txt").unlink()
        (corpus / f"{vid}.yaml").unlink()
    build_index(s)  # back to the benchmark corpus (incremental: removes the policy's chunks)
    return {"add_one_seconds": round(add, 2), "embedded": m.embedded_chunks, "reused": m.reused_policies}


def _percentiles(xs: list[float]) -> tuple[float, float]:
    xs = sorted(xs)
    return (round(statistics.median(xs) * 1000, 1), round(xs[min(len(xs) - 1, int(0.95 * len(xs)))] * 1000, 1))


def phase_serve(work: Path) -> dict:
    """Load as a server would; recall@5, search and ask latency, memory."""
    from assistant.config import get_settings
    from assistant.dialogue.pipeline import AskPipeline
    from assistant.retrieval.evaluate import load_queries
    from assistant.retrieval.service import get_search_service

    variants = json.loads((work / "corpus" / "variants.json").read_text())
    t0 = time.perf_counter()
    s = get_settings()
    svc = get_search_service(s)
    pipe = AskPipeline(s)
    pipe.ask("淄博电商企业网络零售额5000万元流量补贴")  # first answer (all lazy parts loaded)
    first_answer = time.perf_counter() - t0
    queries = load_queries(QUERIES)
    hits: dict[str, list[int]] = {"place": [], "open": []}
    search_t, ask_t = [], []
    for q in queries:
        t = time.perf_counter()
        out = svc.run(q.q, top_k=5, policy=q.policy, region=q.region)
        search_t.append(time.perf_counter() - t)
        named = bool(q.region or q.policy or out.preferred)
        expected = q.expected_keys
        found = False
        for h in out.hits:
            key = f"{h.policy_id}::{h.clause_id}"
            src = f"{variants.get(h.policy_id, h.policy_id)}::{h.clause_id}"
            if key in expected or (not named and src in expected):
                found = True
                break
        hits["place" if named else "open"].append(int(found))
    svc.embeddings.queries._data.clear()  # asks embed afresh: latency without the query cache
    asks = [item["q"] for item in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))["questions"]][:60]
    for q in asks:
        t = time.perf_counter()
        pipe.ask(q)
        ask_t.append(time.perf_counter() - t)
    sp50, sp95 = _percentiles(search_t)
    ap50, ap95 = _percentiles(ask_t)
    return {
        "first_answer_seconds": round(first_answer, 2),
        "rss_mb": _rss_mb(),
        "search_p50_ms": sp50,
        "search_p95_ms": sp95,
        "ask_p50_ms": ap50,
        "ask_p95_ms": ap95,
        "recall5_place": round(sum(hits["place"]) / max(1, len(hits["place"])), 3),
        "n_place": len(hits["place"]),
        "recall5_open": round(sum(hits["open"]) / max(1, len(hits["open"])), 3),
        "n_open": len(hits["open"]),
        "load_avg": round(os.getloadavg()[0], 1),
    }


def cli_startup(work: Path) -> dict:
    exe = str(Path(PY).parent / "policy-qa")
    out = {}
    for name, args in (
        ("search", ["search", "--json", "智能快递柜"]),
        ("ask", ["ask", "--json", "淄博电商企业网络零售额5000万元流量补贴能拿多少"]),
    ):
        times = []
        for _ in range(2):
            t = time.perf_counter()
            subprocess.run([exe, *args], env=_env(work), capture_output=True, check=True)
            times.append(time.perf_counter() - t)
        out[f"cli_{name}_seconds"] = round(min(times), 2)
    return out


# --- driver -----------------------------------------------------------------------------------


def phase_approx(work: Path) -> dict:
    """Fill the embedding cache so that each variant chunk gets its source chunk's vector (same
    clause, same chunk number): an approximation, labelled as such in the results, for when the
    machine cannot embed every variant in time. Only the real five's vectors are real."""
    import numpy as np

    from assistant import corpus
    from assistant.config import get_settings
    from assistant.embedding_cache import CachedEmbeddings
    from assistant.retrieval.embeddings import embeddings_for_settings
    from assistant.retrieval.index_builder import _chunks
    from assistant.retrieval.records import ClauseRecord

    s = get_settings()
    variants = json.loads((work / "corpus" / "variants.json").read_text())
    metas = {p.id: p for p in corpus.load_policies(s.corpus_dir)}
    records = [ClauseRecord.from_clause(c, metas.get(c.policy_id)) for c in corpus.load_clauses(s.corpus_dir)]
    texts, chunk_metas, _ids, _ = _chunks(records)
    emb = embeddings_for_settings(s)
    model_name = getattr(emb, "model_name", s.embedding_backend)
    cache = CachedEmbeddings(emb, Path(s.index_dir) / "embedding-cache.npz", model_name)
    by_key = {(m["policy_id"], m["clause_id"], m["chunk"]): t for t, m in zip(texts, chunk_metas, strict=True)}
    real = [t for t, m in zip(texts, chunk_metas, strict=True) if m["policy_id"] not in variants]
    missing = cache.missing(real)
    if missing:
        cache.put_many(missing, emb.passage_vectors(missing))
    copied = 0
    for t, m in zip(texts, chunk_metas, strict=True):
        src = variants.get(m["policy_id"])
        if src is None:
            continue
        source_text = by_key.get((src, m["clause_id"], m["chunk"]))
        if source_text is not None and cache.missing([t]):
            cache.put_many([t], cache.vectors([source_text]))
            copied += 1
    cache.misses = 0
    cache.save()
    return {
        "approx_copied": copied,
        "real_embedded": len(missing),
        "dims": int(np.asarray(cache.vectors(real[:1])).shape[1]),
    }


def run_size(root: Path, n: int, results: dict, approx: bool = False) -> dict:
    work = root / f"n{n}"
    generate_corpus(work / "corpus", n)
    seed = ROOT / "index" / "embedding-cache.npz"  # the real five's vectors: same texts, same model
    if seed.exists() and not (work / "index" / "embedding-cache.npz").exists():
        (work / "index").mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, work / "index" / "embedding-cache.npz")
    if approx:
        print(
            f"[N={n}] approximate vectors: each variant chunk takes its source chunk's vector …",
            file=sys.stderr,
            flush=True,
        )
        results.setdefault(str(n), {"policies": n})["approx_vectors"] = True
        _run_phase(work, "approx")
    row = results.setdefault(str(n), {"policies": n})
    print(f"[N={n}] building …", file=sys.stderr, flush=True)
    built = _run_phase(work, "build")
    if not built.get("skipped"):
        row.update({k: built[k] for k in ("build_seconds", "chunks", "clauses", "index_mb")})
    _save(root, results)
    print(f"[N={n}] adding one policy …", file=sys.stderr, flush=True)
    row.update({k: v for k, v in _run_phase(work, "add_one").items() if k != "wall_seconds"})
    print(f"[N={n}] start-up, latency, recall …", file=sys.stderr, flush=True)
    row.update(cli_startup(work))
    row.update({k: v for k, v in _run_phase(work, "serve").items() if k != "wall_seconds"})
    _save(root, results)
    return row


def _save(root: Path, results: dict) -> None:
    (root / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


COLUMNS = [
    ("policies", "N"),
    ("chunks", "chunks"),
    ("build_seconds", "build s"),
    ("add_one_seconds", "add 1 s"),
    ("index_mb", "index MB"),
    ("cli_search_seconds", "CLI search s"),
    ("cli_ask_seconds", "CLI ask s"),
    ("first_answer_seconds", "1st answer s"),
    ("rss_mb", "RSS MB"),
    ("search_p50_ms", "search p50"),
    ("search_p95_ms", "search p95"),
    ("ask_p50_ms", "ask p50"),
    ("ask_p95_ms", "ask p95"),
    ("recall5_place", "R@5 place"),
    ("recall5_open", "R@5 other"),
    ("load_avg", "load"),
    ("approx_vectors", "approx. vectors"),
]


def print_table(results: dict) -> None:
    print(" | ".join(h for _, h in COLUMNS))
    print(" | ".join("---" for _ in COLUMNS))
    for n in sorted(results, key=int):
        row = results[n]
        print(" | ".join(str(row.get(k, "–")) for k, _ in COLUMNS))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5,100,1000", help="comma-separated policy counts")
    ap.add_argument("--workdir", default=str(ROOT / "benchmarks" / ".cache" / "scale"))
    ap.add_argument(
        "--approx-vectors",
        action="store_true",
        help="variant chunks reuse their source chunk's vector instead of being embedded (an approximation "
        "for a machine that cannot embed N=1000 in time: build time then excludes embedding; "
        "use a separate --workdir)",
    )
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    args = ap.parse_args()
    root = Path(args.workdir)
    if args.phase:
        fn = {"build": phase_build, "add_one": phase_add_one, "serve": phase_serve, "approx": phase_approx}[args.phase]
        print(json.dumps(fn(root)))
        return
    root.mkdir(parents=True, exist_ok=True)
    results = json.loads((root / "results.json").read_text()) if (root / "results.json").exists() else {}
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        run_size(root, n, results, approx=args.approx_vectors)
        print_table({k: v for k, v in results.items()})
    print_table(results)


if __name__ == "__main__":
    main()
