"""Scale-out figures: `policy-qa serve --workers N` with sessions and rate limits in Redis.

For each N it starts a throw-away redis-server and the server on free loopback ports, then
  1. asks C two-turn conversations (the second turn only makes sense with the first turn's place) and counts the
     conversations whose second turn lost the place — each turn may land on any worker;
  2. runs benchmarks/load_ask.py against it and prints requests/s and latency.
Not a test: it measures and prints. Loopback only; every process it starts is stopped at the end.

    .venv/bin/python benchmarks/scale_out.py --workers 1,2,4 --conversations 100 --duration 15
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIRST = "我们是茌平区的电商企业，主要做本地农特产品"  # names the place; the second turn does not
SECOND = "网络零售额3000万元，能拿多少奖励？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code in (200, 503):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server at {url} did not start")


def lost_conversations(url: str, n: int) -> int:
    lost = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(n):
            first = client.post("/api/ask", json={"question": FIRST}).json()
            second = client.post("/api/ask", json={"question": SECOND, "session_id": first.get("session_id")}).json()
            if (second.get("profile") or {}).get("region") != "茌平区":
                lost += 1
    return lost


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--conversations", type=int, default=100)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=15.0)
    args = ap.parse_args()
    redis = shutil.which("redis-server")
    if redis is None:
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 2
    rows = []
    for n in [int(x) for x in args.workers.split(",")]:
        with tempfile.TemporaryDirectory(prefix="policy-qa-scale-out-") as tmp:
            rport, port = free_port(), free_port()
            procs = [
                subprocess.Popen(
                    [
                        redis,
                        "--port",
                        str(rport),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        tmp,
                    ],
                    stdout=subprocess.DEVNULL,
                )
            ]
            env = {
                **os.environ,
                "POLICY_QA_REDIS_URL": f"redis://127.0.0.1:{rport}/0",
                "POLICY_QA_RATE_LIMIT_PER_MINUTE": "1000000",
                "POLICY_QA_DATA_DIR": tmp,
            }
            procs.append(
                subprocess.Popen(
                    [str(ROOT / ".venv/bin/policy-qa"), "serve", "--port", str(port), "--workers", str(n)],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_ready(url)
                lost = lost_conversations(url, args.conversations)
                load = subprocess.run(
                    [
                        sys.executable,
                        str(ROOT / "benchmarks/load_ask.py"),
                        "--url",
                        url,
                        "--clients",
                        str(args.clients),
                        "--duration",
                        str(args.duration),
                    ],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                summary = load.stdout.strip().splitlines() if load.stdout.strip() else [load.stderr.strip()]
                rows.append((n, lost, summary))
            finally:
                for p in reversed(procs):
                    p.terminate()
                    try:
                        p.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        p.kill()
    for n, lost, summary in rows:
        print(f"workers={n}: {lost}/{args.conversations} conversations lost their place between turns")
        for line in summary:
            print("   " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
