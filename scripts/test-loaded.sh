#!/usr/bin/env bash
# The test suite with both cores kept busy (`npm run test:loaded`): two `yes >/dev/null` loops run beside
# `npm test`, so a test that leans on the machine's speed fails here first. The loops are this script's
# own children, killed by their process ids when it exits, however it exits. Prints the wall time and the
# load average before and after, the figures docs/ci.md quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=()
stop_busy() {
  local pid
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait "${busy[@]}" 2>/dev/null || true
}
trap stop_busy EXIT
trap 'exit 130' INT TERM
for _ in 1 2; do
  yes >/dev/null &
  busy+=("$!")
done
echo "test:loaded: 2 busy loops (pids ${busy[*]}); load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
start=$(date +%s)
status=0
npm test || status=$?
echo "test:loaded: npm test exited $status after $(($(date +%s) - start)) s; load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
exit "$status"
