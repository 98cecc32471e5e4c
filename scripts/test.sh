#!/usr/bin/env bash
# Set up and run every test: unit, rule scenarios, retrieval and QA evaluations,
# API over real HTTP, and browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and fonts-noto-cjk for the browser tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "warning: chromium / fonts-noto-cjk missing and not root: browser tests will be skipped" >&2
  fi
fi
# Redis and PostgreSQL for the scale-out tests: the tests start their own servers on free loopback ports in
# temporary folders (and skip, saying why, when the engine is not installed).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} for the scale-out tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
  else
    echo "warning: ${missing[*]} missing and not root: those tests will be skipped" >&2
  fi
fi
bash scripts/setup.sh --dev
# Style, types and the import layers first: each fails fast and names the line.
.venv/bin/ruff check assistant tests benchmarks scripts
.venv/bin/ruff format --check assistant tests benchmarks scripts
.venv/bin/mypy
.venv/bin/lint-imports
# Every rule quote verbatim in its clause, every figure stated in its quote (also a test; here it fails fast).
.venv/bin/policy-qa rules --check
.venv/bin/python -m pytest -q "$@"
