#!/usr/bin/env bash
# Start the sandbox and the dashboard together; Ctrl-C (or either one exiting) stops both.
set -euo pipefail
PY="${PY:-.venv/bin/python}"

"$PY" -m sandbox --host 127.0.0.1 --port 8765 &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true' EXIT INT TERM

echo "Dashboard: http://127.0.0.1:8000/  (log in as demo / demo)"
"$PY" manage.py runserver 127.0.0.1:8000
