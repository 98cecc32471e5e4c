"""Load benchmark of POST /api/ask: N concurrent clients on loopback for a bounded time.

Prints requests/s, latency percentiles (p50/p95/p99) and errors. Not a test: it
asserts nothing, it measures. Only loopback targets are accepted.

    .venv/bin/python benchmarks/load_ask.py                     # starts its own server (rate limit off)
    .venv/bin/python benchmarks/load_ask.py --clients 16 --duration 30
    .venv/bin/python benchmarks/load_ask.py --url http://127.0.0.1:8000   # a running `policy-qa serve`
    .venv/bin/python benchmarks/load_ask.py --workers 2 --sessions sqlite  # serve --workers 2, sessions in SQLite

It also prints the CPU seconds the load generator and (when it started it) the server spent per request:
on a 2-core machine the client's share is taken from the server, so throughput ratios between worker
counts are only meaningful next to these figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_DURATION = 300.0
QUESTIONS = [
    "我在聊城开了一家直播公司，年销售额3000万，能拿到奖励吗？",
    "淄博的跨境电商企业，年出口额500万美元，有什么扶持？",
    "茌平区新注册的电商企业，网络零售额800万，已纳统，能拿多少？",
    "济宁市电商产业园区怎么申请奖励？",
    "缙云县农村电商有什么补贴？",
    "快递物流配送中心有奖励吗？",
]


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


async def client_loop(
    client: httpx.AsyncClient,
    worker: int,
    deadline: float,
    budget: list[int],
    latencies: list[float],
    outcomes: Counter,
) -> None:
    i = worker
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        question = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        start = time.perf_counter()
        try:
            r = await client.post("/api/ask", json={"question": question})
            elapsed = time.perf_counter() - start
            if r.status_code == 200 and "answer" in r.json():
                latencies.append(elapsed)
                outcomes["ok"] += 1
            else:
                outcomes[f"HTTP {r.status_code}"] += 1
        except httpx.HTTPError as exc:
            outcomes[type(exc).__name__] += 1


def _cpu_seconds(pid: int) -> float:
    """utime+stime of ``pid`` and its descendants (Linux /proc; children still running are included)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except (OSError, ValueError, IndexError):
            continue
    return total


async def run(
    url: str, clients: int, duration: float, max_requests: int, timeout: float, server_pid: int | None = None
) -> None:
    latencies: list[float] = []
    outcomes: Counter = Counter()
    budget = [max_requests]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits, trust_env=False) as client:
        # one warm-up request so that loading the index and models is not measured
        for q in QUESTIONS:
            await client.post("/api/ask", json={"question": q})
        cpu0 = time.process_time()
        server0 = _cpu_seconds(server_pid) if server_pid else None
        load0 = os.getloadavg()[0]
        started = time.monotonic()
        deadline = started + duration
        await asyncio.gather(*(client_loop(client, w, deadline, budget, latencies, outcomes) for w in range(clients)))
        wall = time.monotonic() - started
        client_cpu = time.process_time() - cpu0
        server_cpu = _cpu_seconds(server_pid) - server0 if server_pid else None
    total = sum(outcomes.values())
    lat = sorted(latencies)
    print(f"target        {url}/api/ask")
    print(f"clients       {clients}")
    print(f"duration      {wall:.1f} s")
    print(f"requests      {total} ({outcomes['ok']} ok)")
    print(f"throughput    {outcomes['ok'] / wall:.2f} req/s")
    if lat:
        print(f"latency p50   {percentile(lat, 0.50) * 1000:.0f} ms")
        print(f"latency p95   {percentile(lat, 0.95) * 1000:.0f} ms")
        print(f"latency p99   {percentile(lat, 0.99) * 1000:.0f} ms")
        print(f"latency mean  {statistics.fmean(lat) * 1000:.0f} ms   max {lat[-1] * 1000:.0f} ms")
    n = max(1, total)
    print(f"client CPU    {client_cpu:.1f} s = {client_cpu / n * 1000:.1f} ms/request ({client_cpu / wall:.2f} cores)")
    if server_cpu is not None:
        print(
            f"server CPU    {server_cpu:.1f} s = {server_cpu / n * 1000:.1f} ms/request ({server_cpu / wall:.2f} cores)"
        )
    print(f"load average  {load0:.1f} at start (other processes on the machine take cores too)")
    errors = {k: v for k, v in outcomes.items() if k != "ok"}
    print(f"errors        {sum(errors.values())}" + (f"  {dict(errors)}" if errors else ""))
    if "HTTP 429" in errors:
        print(
            "note          429 = the server's rate limit (POLICY_QA_RATE_LIMIT_PER_MINUTE); "
            "without --url the benchmark starts a server with it off"
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, workers: int = 1, sessions: str | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "POLICY_QA_RATE_LIMIT_PER_MINUTE": "0",
        "POLICY_QA_FEEDBACK_DB": str(tmp / "fb.sqlite3"),
        "POLICY_QA_SESSIONS_DB": str(tmp / "sessions.sqlite3"),
    }
    if sessions:
        env["POLICY_QA_SESSION_BACKEND"] = sessions
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli.main",
            "serve",
            "--no-ui",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2, trust_env=False).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0, help=f"seconds (at most {MAX_DURATION:.0f})")
    parser.add_argument("--max-requests", type=int, default=20_000, help="stop after this many requests in all")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, seconds")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers for the server it starts")
    parser.add_argument(
        "--sessions",
        choices=["memory", "sqlite", "redis"],
        help="POLICY_QA_SESSION_BACKEND of the server it starts (several workers: sqlite by default)",
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 256:
        parser.error("--clients must be 1..256")
    duration = min(max(args.duration, 1.0), MAX_DURATION)

    proc = None
    with tempfile.TemporaryDirectory(prefix="pqa-load-") as tmp:
        if args.url:
            url = args.url.rstrip("/")
            if urlsplit(url).hostname not in LOOPBACK:
                parser.error("only loopback targets (127.0.0.1, localhost, ::1) are allowed")
        else:
            proc, url = start_server(Path(tmp), args.workers, args.sessions)
        try:
            asyncio.run(
                run(
                    url, args.clients, duration, args.max_requests, args.timeout, proc.pid if proc is not None else None
                )
            )
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


if __name__ == "__main__":
    main()
