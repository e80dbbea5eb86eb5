#!/usr/bin/env bash
# Cost of scripts/emit_test_span.sh against one bare curl POST of the same span to the same local
# receiver (a tiny node server answering 200 {}). Target: emitter mean <= 1.3x curl mean. The emitter
# runs with the spool on (its file, as in a VM) and its default deadline, started the way its package
# starts it: a compiled wrapper sets PATH and execs bash on the script (patched shebang), emulated
# here by `env PATH=… bash script` (the repository's `#!/usr/bin/env bash` would add a PATH search).
# Two floors, in the same rounds: `bash -c :` (starting bash) and a bash script that does only what
# any bash emitter must (run curl with the same flags in a process substitution and read its answer).
# Usage: bench/emitter.sh [ITERATIONS]   (default 200; exits 1 when the target is missed)
set -euo pipefail

iterations=${1:-200}
[[ $iterations =~ ^[1-9][0-9]*$ ]] || {
  echo "bench/emitter.sh: expected ITERATIONS to be a positive integer, got '$iterations'" >&2
  exit 2
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emitter=$here/../scripts/emit_test_span.sh
work=$(mktemp -d)
receiver_pid=''
cleanup() {
  [[ -n $receiver_pid ]] && kill "$receiver_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The receiver writes its port once listening.
node -e '
  const server = require("node:http").createServer((req, res) => {
    req.resume();
    req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end("{}"); });
  });
  server.listen(0, "127.0.0.1", () => require("node:fs").writeFileSync(process.argv[1], String(server.address().port)));
' "$work/port" &
receiver_pid=$!
for ((tries = 0; tries < 100; tries++)); do
  if [[ -s $work/port ]]; then break; fi
  sleep 0.05
done
url=http://127.0.0.1:$(<"$work/port")

export OTEL_EXPORTER_OTLP_ENDPOINT=$url NIXOTEL_SPOOL_DIR=$work/spool HOSTNAME=bench
args=(--suite nginx --attr retries=0 nginx-startup passed 1234)
OTEL_TRACES_EXPORTER=console "$emitter" "${args[@]}" >"$work/span.json" # the equivalent span

bash=$(type -P bash)
run_emitter() { env PATH="$PATH" "$bash" "$emitter" "${args[@]}"; }
run_unspooled() { NIXOTEL_SPOOL_DIR='' env PATH="$PATH" "$bash" "$emitter" "${args[@]}"; } # what the spool costs, by difference
run_curl() { curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/span.json" "$url/v1/traces"; }
run_bash() { "$bash" -c :; }
# The least a bash emitter does: curl's answer read through a process substitution, body on stdin.
cat >"$work/floor.sh" <<'FLOOR'
exec {fd}< <(exec curl -q --silent --max-time 3 --data-binary @- --dump-header - -H 'Content-Type: application/json' "$1" <"$2")
IFS= read -r -d '' -N 16384 -t 3 -u "$fd" answer || [[ -n $answer ]] # EOF before 16 KiB: the whole answer
FLOOR
run_floor() { env PATH="$PATH" "$bash" "$work/floor.sh" "$url/v1/traces" "$work/span.json"; }

for _ in {1..10}; do run_emitter && run_curl && run_unspooled && run_bash && run_floor; done # warm caches
emitter_us=0 curl_us=0 unspooled_us=0 bash_us=0 floor_us=0
for ((i = 0; i < iterations; i++)); do # alternate, so load changes hit all alike
  t0=${EPOCHREALTIME//[!0-9]/}
  run_emitter
  t1=${EPOCHREALTIME//[!0-9]/}
  run_curl
  t2=${EPOCHREALTIME//[!0-9]/}
  run_unspooled
  t3=${EPOCHREALTIME//[!0-9]/}
  run_bash
  t4=${EPOCHREALTIME//[!0-9]/}
  run_floor
  t5=${EPOCHREALTIME//[!0-9]/}
  emitter_us=$((emitter_us + t1 - t0)) curl_us=$((curl_us + t2 - t1)) unspooled_us=$((unspooled_us + t3 - t2))
  bash_us=$((bash_us + t4 - t3)) floor_us=$((floor_us + t5 - t4))
done

ratio_x100=$((emitter_us * 100 / curl_us))
printf 'iterations: %d (bash %s, %s)\n' "$iterations" "$BASH_VERSION" "$(curl --version | head -n 1 | cut -d' ' -f1-2)"
printf 'emitter mean:   %d.%03d ms\n' $((emitter_us / iterations / 1000)) $((emitter_us / iterations % 1000))
printf 'bare curl mean: %d.%03d ms\n' $((curl_us / iterations / 1000)) $((curl_us / iterations % 1000))
printf 'ratio:          %d.%02dx (target <= 1.3x)\n' $((ratio_x100 / 100)) $((ratio_x100 % 100))
unspooled_x100=$((unspooled_us * 100 / curl_us))
printf 'without spool:  %d.%02dx\n' $((unspooled_x100 / 100)) $((unspooled_x100 % 100))
printf 'bash -c : mean: %d.%03d ms\n' $((bash_us / iterations / 1000)) $((bash_us / iterations % 1000))
floor_x100=$((floor_us * 100 / curl_us))
printf 'bash floor:     %d.%02dx (bash + curl in a process substitution, answer read)\n' $((floor_x100 / 100)) $((floor_x100 % 100))
((ratio_x100 <= 130))
