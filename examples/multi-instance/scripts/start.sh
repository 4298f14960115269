#!/usr/bin/env bash
# Starts two qrlogin instances (ports 3001 and 3002) on one Redis. Uses $REDIS_URL when set;
# otherwise runs a throwaway redis-server on port 6390 for as long as the instances run: registered
# devices (and login cookies) are gone when it stops. Point $REDIS_URL at a Redis with persistence
# (appendonly yes) to keep them, as compose.yaml does.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${REDIS_URL:-}" ]]; then
  command -v redis-server >/dev/null || { echo "set REDIS_URL or install redis-server" >&2; exit 1; }
  redis-server --port 6390 --save '' --appendonly no --daemonize no >/dev/null &
  redis_pid=$!
  trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
  export REDIS_URL=redis://127.0.0.1:6390
  for _ in $(seq 50); do redis-cli -p 6390 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

pnpm exec tsx --conditions=@qrlogin/source src/main.ts
