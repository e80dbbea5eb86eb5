#!/usr/bin/env bash
# `nixotel run` with logs on against logs off (nixotel.json `logs.enabled: false`), on fresh copies of
# the `logs` fixture's check that prints 100 000 lines, both sending to a local OTLP/HTTP sink; rounds
# alternate so machine load hits both alike. Then the log records' throughput (bench/log-throughput.mjs).
# Usage: bench/logs-overhead.sh [ROUNDS]   (needs `npm run build` first; target: on ≤ 1.10 × off)
set -euo pipefail
rounds="${1:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
export NIX_CONFIG=$'substituters ='
work="$(mktemp -d)"
node -e 'const s=require("http").createServer((q,r)=>{q.resume();q.on("end",()=>r.writeHead(200,{"content-type":"application/json"}).end("{}"))});s.listen(0,"127.0.0.1",()=>{require("fs").writeFileSync(process.argv[1],String(s.address().port))})' "$work/port" &
sink=$!
trap 'kill "$sink"; rm -rf "$work"' EXIT
while [ ! -s "$work/port" ]; do sleep 0.1; done
export OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$(cat "$work/port")"

run() { # run MODE ROUND: one fresh copy, one `nixotel run many`; prints its wall time in seconds
  local dir="$work/$1-$2"
  cp -r "$root/tests/fixtures/flakes/logs" "$dir"
  head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/nonce"
  if [ "$1" = off ]; then echo '{"logs":{"enabled":false}}' >"$dir/nixotel.json"; else echo '{}' >"$dir/nixotel.json"; fi
  local start end
  start="$(date +%s.%N)"
  (cd "$dir" && node "$root/bin/nixotel.js" run many --flake "path:$dir" >/dev/null 2>&1)
  end="$(date +%s.%N)"
  echo "$end - $start" | bc
}

on_total=0
off_total=0
for round in $(seq 1 "$rounds"); do
  off="$(run off "$round")"
  on="$(run on "$round")"
  printf 'round %d: logs off %.2fs, logs on %.2fs\n' "$round" "$off" "$on"
  on_total="$(echo "$on_total + $on" | bc)"
  off_total="$(echo "$off_total + $off" | bc)"
done
printf 'mean over %d rounds: logs off %.2fs, logs on %.2fs, ratio %.2fx (100 000 lines)\n' "$rounds" \
  "$(echo "$off_total / $rounds" | bc -l)" "$(echo "$on_total / $rounds" | bc -l)" "$(echo "$on_total / $off_total" | bc -l)"

node "$root/bench/log-throughput.mjs"
