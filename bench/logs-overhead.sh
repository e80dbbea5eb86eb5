#!/usr/bin/env bash
# `nixotel run` with logs on against logs off (nixotel.json `logs.enabled: false`), on fresh copies of
# the `logs` fixture's check that prints 100 000 lines, both sending to a local OTLP/HTTP sink; between
# them, logs stored in logs.jsonl but not exported (OTEL_LOGS_EXPORTER=none). Rounds alternate so machine
# load hits all alike. Then the log records' throughput stage by stage (bench/log-throughput.mjs).
# With PAUSE, the check pauses PAUSE seconds after every 1 000 lines (the host's /bin/sleep), so its lines
# come in bursts over about 100 × PAUSE seconds, as a NixOS test's do; without, all in about a second.
# Usage: bench/logs-overhead.sh [ROUNDS] [PAUSE]   (needs `npm run build` first; target: on ≤ 1.10 × off)
set -euo pipefail
rounds="${1:-3}"
pause="${2:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
export NIX_CONFIG=$'substituters ='
work="$(mktemp -d)"
node -e 'const s=require("http").createServer((q,r)=>{q.resume();q.on("end",()=>r.writeHead(200,{"content-type":"application/json"}).end("{}"))});s.listen(0,"127.0.0.1",()=>{require("fs").writeFileSync(process.argv[1],String(s.address().port))})' "$work/port" &
sink=$!
trap 'kill "$sink"; rm -rf "$work"' EXIT
while [ ! -s "$work/port" ]; do sleep 0.1; done
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(cat "$work/port")"
export OTEL_EXPORTER_OTLP_ENDPOINT

run() { # run MODE ROUND (MODE off, stored or on): one fresh copy, one `nixotel run many`; prints its wall time in seconds
  local dir="$work/$1-$2"
  cp -r "$root/tests/fixtures/flakes/logs" "$dir"
  head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/nonce"
  if [ -n "$pause" ]; then printf '%s' "$pause" >"$dir/many-pause"; fi
  if [ "$1" = off ]; then echo '{"logs":{"enabled":false}}' >"$dir/nixotel.json"; else echo '{}' >"$dir/nixotel.json"; fi
  local start end
  start="$(date +%s.%N)"
  local exporter=otlp
  if [ "$1" = stored ]; then exporter=none; fi
  (cd "$dir" && OTEL_LOGS_EXPORTER="$exporter" node "$root/bin/nixotel.js" run many --flake "path:$dir" >/dev/null 2>&1)
  end="$(date +%s.%N)"
  echo "$end - $start" | bc
}

off_total=0
stored_total=0
on_total=0
for round in $(seq 1 "$rounds"); do
  off="$(run off "$round")"
  stored="$(run stored "$round")"
  on="$(run on "$round")"
  printf 'round %d: logs off %.2fs, stored only %.2fs, on %.2fs\n' "$round" "$off" "$stored" "$on"
  off_total="$(echo "$off_total + $off" | bc)"
  stored_total="$(echo "$stored_total + $stored" | bc)"
  on_total="$(echo "$on_total + $on" | bc)"
done
mean() { echo "$1 / $rounds" | bc -l; }
printf 'mean over %d rounds (100 000 lines%s): logs off %.2fs, stored only %.2fs (%.2fx), on %.2fs: ratio %.2fx\n' \
  "$rounds" "${pause:+, a pause of ${pause}s after every 1 000}" "$(mean "$off_total")" "$(mean "$stored_total")" \
  "$(echo "$stored_total / $off_total" | bc -l)" "$(mean "$on_total")" "$(echo "$on_total / $off_total" | bc -l)"

node "$root/bench/log-throughput.mjs"
