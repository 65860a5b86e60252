#!/usr/bin/env bash
# Serves the admin and runs the job cluster beside it; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
PORT=${PORT:-8000}

"$PY" manage.py qcluster &
cluster=$!
stop() { kill "$cluster" 2>/dev/null || true; wait "$cluster" 2>/dev/null || true; }
trap stop EXIT INT TERM

printf '\n  Admin: http://127.0.0.1:%s/admin/   (admin/admin, manager, agent1, agent2, leasing, accountant, auditor: password = login)\n' "$PORT"
printf '  API docs: http://127.0.0.1:%s/api/docs/\n\n' "$PORT"
"$PY" manage.py runserver "127.0.0.1:$PORT"
