#!/usr/bin/env bash
# Serves the admin and runs the job cluster beside it; Ctrl-C (or a SIGTERM to this script)
# stops both: the cluster within Q_STOP_TIMEOUT seconds, its tasks finished or re-queued.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
PORT=${PORT:-8000}

server=""
"$PY" manage.py qcluster &
cluster=$!
stop() {
  trap - EXIT INT TERM
  kill $server "$cluster" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

printf '\n  Admin: http://127.0.0.1:%s/admin/   (admin/admin, manager, agent1, agent2, leasing, accountant, auditor: password = login)\n' "$PORT"
printf '  API docs: http://127.0.0.1:%s/api/docs/\n\n' "$PORT"
# daphne's runserver (daphne heads INSTALLED_APPS): ASGI, WebSockets included (/ws/notifications/).
# In the background, so that bash runs the trap as soon as a signal comes (it would wait for
# a foreground command to end first).
"$PY" manage.py runserver "127.0.0.1:$PORT" &
server=$!
wait "$server"
