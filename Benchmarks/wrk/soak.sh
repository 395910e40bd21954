#!/usr/bin/env bash
# Soak: `hotline-route serve` under steady load for DURATION seconds (default 600) while the
# protocol set is reloaded every 10 s, alternating between two versions of it, so every other
# reload really swaps the set. Prints wrk's totals (any non-2xx or socket error fails) and,
# about every 30 s, the service's resident memory and the decision log's backlog (records
# accepted, not yet durable); exits 1 on a failed request or reload, or a decision missing
# from the log.
#
#   swift build -c release --product hotline-route
#   Benchmarks/wrk/soak.sh [DURATION] [BIN]      # BIN default .build/release/hotline-route
#   SOAK_LOG=postgres://user:password@127.0.0.1/db?table=soak Benchmarks/wrk/soak.sh
#
# The decision log is a JSON lines file in the work folder unless SOAK_LOG names a PostgreSQL
# table (which must not hold rows from an earlier run: the rows are counted at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-600}
bin=${2:-.build/release/hotline-route}
work=$(mktemp -d /tmp/hotline-soak.XXXXXX)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r Protocols "$work/set"
cp -r Protocols "$work/other"
# The other version differs in its policy version only: a real swap, the same decisions.
sed -i 's/^version: .*/version: "soak-other"/' "$work/other/policy.yaml"
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/tokens")
export TOKEN
TOKEN=$(cat "$work/tokens")
port=${SOAK_PORT:-18190}
"$bin" serve --protocols "$work/set" --token-file "$work/tokens" --port "$port" \
  --log-level notice --decision-log "${SOAK_LOG:-$work/decisions.jsonl}" 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
wrk -t1 -c8 -d"${duration}s" --latency -s Benchmarks/wrk/decisions.lua \
  "http://127.0.0.1:$port" >"$work/wrk.txt" &
load=$!
failed=0
reloads=0
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  sleep 10
  # Swap the two folders' contents by swapping their names, then reload.
  mv "$work/set" "$work/swap" && mv "$work/other" "$work/set" && mv "$work/swap" "$work/other"
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$port/v1/ruleset:reload")
  reloads=$((reloads + 1))
  [ "$status" = 200 ] || { echo "reload $reloads answered $status"; failed=1; }
  elapsed=$(($(date +%s) - start))
  if [ $((reloads % 3)) = 0 ]; then
    backlog=$(curl -s "http://127.0.0.1:$port/metrics" |
      awk '/^hotline_route_decision_log_backlog / {print $2 + 0}')
    echo "t=${elapsed}s reloads=$reloads rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$server/status)" \
      "backlog=$backlog"
  fi
done
wait "$load" || true
cat "$work/wrk.txt"
grep -q "non-2xx or socket errors: 0" "$work/wrk.txt" || failed=1
kill -TERM "$server"
wait "$server" || true
if [ -n "${SOAK_LOG:-}" ]; then
  table=$(sed -n 's/.*[?&]table=\([a-z0-9_]*\).*/\1/p' <<<"$SOAK_LOG")
  logged=$(psql "${SOAK_LOG%%\?*}" -Atc "SELECT count(*) FROM ${table:-decision_log}")
else
  logged=$(wc -l <"$work/decisions.jsonl")
fi
served=$(awk '/^requests:/ {print $2}' "$work/wrk.txt")
echo "decisions served: $served, logged: $logged"
# wrk counts the requests it finished; a request cut at the end is answered, maybe not counted.
[ "$logged" -ge "$served" ] || { echo "decisions missing from the log"; failed=1; }
exit $failed
