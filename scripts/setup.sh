#!/usr/bin/env bash
# Create .venv/ at the repo root with the exact versions of the lock and the project itself (editable).
#   bash scripts/setup.sh         runtime only (requirements.lock): what a deployment needs
#   bash scripts/setup.sh --dev   runtime + tests + the optional model's packages (requirements-dev.lock)
# Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
LOCK=requirements.lock
[ "${1:-}" = "--dev" ] && LOCK=requirements-dev.lock
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for c in python3.11 python3.12 python3; do command -v "$c" >/dev/null 2>&1 && { PY="$c"; break; }; done
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip uv
.venv/bin/uv pip install -q --compile-bytecode --python .venv/bin/python -r "$LOCK"  # bytecode now: start-up does not compile it
.venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
echo "set-up done ($LOCK): .venv/bin/policy-qa is ready" >&2
