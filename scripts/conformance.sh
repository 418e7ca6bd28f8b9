#!/usr/bin/env bash
# `make conformance`: the ADL xAPI LRS conformance suite (../shared/tools, a Node
# project) against `classroom-hub serve` on loopback. Copies the suite to a scratch
# folder (never installs inside it), `npm install`s it there, enrols a district device
# in a fresh hub database, runs the suite for xAPI 1.0.3 and prints
# `conformance_passed N` and `conformance_failed N`, then the sections with failures.
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE="${CONFORMANCE_SUITE:-../shared/tools/lrs-conformance-test-suite}"
[ -d "$SUITE" ] || { echo "conformance: the suite is not at $SUITE" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "conformance: Node and npm are needed (bash scripts/system-packages.sh nodejs npm)" >&2
  exit 2; }
work=$(mktemp -d)
hub_pid=""
trap '[ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$SUITE" "$work/suite"
(cd "$work/suite" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
port=$(.venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
db="$work/hub.sqlite3"
enrolment=$(.venv/bin/classroom-hub --lang en --database "$db" device add conformance --district \
  2>"$work/enrol.log")
user=$(awk '/^username:/{print $2}' <<<"$enrolment")
password=$(awk '/^password:/{print $2}' <<<"$enrolment")
.venv/bin/classroom-hub --lang en --database "$db" serve --host 127.0.0.1 --port "$port" \
  >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 50); do
  .venv/bin/python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" \
    2>/dev/null && break
  sleep 0.2
done
(cd "$work/suite" && node bin/console_runner.js -e "http://127.0.0.1:$port/xapi" -a \
  -u "$user" -p "$password" -x 1.0.3 >"$work/run.log" 2>&1) || true
.venv/bin/python scripts/conformance_summary.py "$work"/suite/logs/*.log
