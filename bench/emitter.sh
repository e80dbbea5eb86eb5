#!/usr/bin/env bash
# Cost of scripts/emit_test_span.sh against one bare curl POST of the same span to the same local
# receiver (a tiny node server answering 200 {}). Target: the emitter returns, on average, within 1.3x
# the bare curl's time. With the spool on (as in a VM) the emitter returns once the span is in its spool
# file and delivers it from a background subshell, so the script also reports the time until the
# receiver answered the emitter's POST beside the same for the bare curl (the receiver writes the wall
# clock time of each answer to a FIFO), and in every round waits until the emitter's background part
# has exited (its stderr pipe closed) and the receiver has answered: a background POST never overlaps
# the next measurement. The emitter runs with its default deadline, started the way its package
# starts it: a compiled wrapper sets PATH and execs bash on the script (patched shebang), emulated
# here by `env PATH=… bash script` (the repository's `#!/usr/bin/env bash` would add a PATH search).
# In the same rounds: the emitter with --wait and with the spool off (both deliver before returning),
# and two floors, `bash -c :` (starting bash) and a bash script that does only what any bash emitter
# that waits for the answer must (run curl with the same flags in a process substitution, read it).
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

# The receiver writes its port once listening, and to the FIFO `received` a line per answered request:
# when the answer was written, in unix microseconds (bash's EPOCHREALTIME clock: the wall clock at a
# tick of Date.now, then the monotonic clock, which NTP slews alike).
mkfifo "$work/received"
exec {received}<>"$work/received" # read-write: opening it never blocks, and node's open finds a reader
node -e '
  const fs = require("node:fs");
  const received = fs.openSync(process.argv[2], "w");
  const tick = Date.now();
  while (Date.now() === tick); // the start of a millisecond
  const wallUs = BigInt(Date.now()) * 1000n, monoNs = process.hrtime.bigint();
  const nowUs = () => wallUs + (process.hrtime.bigint() - monoNs) / 1000n;
  const server = require("node:http").createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}", () => fs.writeSync(received, String(nowUs()) + "\n"));
    });
  });
  server.listen(0, "127.0.0.1", () => fs.writeFileSync(process.argv[1], String(server.address().port)));
' "$work/port" "$work/received" &
receiver_pid=$!
for ((tries = 0; tries < 100; tries++)); do
  if [[ -s $work/port ]]; then break; fi
  sleep 0.05
done
url=http://127.0.0.1:$(<"$work/port")
received_one() { # REPLY := when the receiver answered the next request (µs), once it has
  IFS= read -r -t 10 -u "$received" REPLY || {
    echo "bench/emitter.sh: the receiver got no request within 10 s; a span was not delivered" >&2
    exit 1
  }
}

export OTEL_EXPORTER_OTLP_ENDPOINT=$url NIXOTEL_SPOOL_DIR=$work/spool HOSTNAME=bench
args=(--suite nginx --attr retries=0 nginx-startup passed 1234)
OTEL_TRACES_EXPORTER=console "$emitter" "${args[@]}" >"$work/span.json" # the equivalent span

bash=$(type -P bash)
run_emitter() { env PATH="$PATH" "$bash" "$emitter" "${args[@]}"; }
run_waiting() { env PATH="$PATH" "$bash" "$emitter" --wait "${args[@]}"; }
run_unspooled() { NIXOTEL_SPOOL_DIR='' env PATH="$PATH" "$bash" "$emitter" "${args[@]}"; }
run_curl() { curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/span.json" "$url/v1/traces"; }
run_bash() { "$bash" -c :; }
# The least a bash emitter that waits for the answer does: curl's answer read through a process
# substitution, body on stdin.
cat >"$work/floor.sh" <<'FLOOR'
exec {fd}< <(exec curl -q --silent --max-time 3 --data-binary @- --dump-header - -H 'Content-Type: application/json' "$1" <"$2")
IFS= read -r -d '' -N 16384 -t 3 -u "$fd" answer || [[ -n $answer ]] # EOF before 16 KiB: the whole answer
FLOOR
run_floor() { env PATH="$PATH" "$bash" "$work/floor.sh" "$url/v1/traces" "$work/span.json"; }

# One round: each command in turn, each followed by the receiver's answer to its request. The emitter's
# stderr is a pipe read by a subshell forked at the start of the round (untimed, and idle by the time
# the emitter runs): it reads to EOF, which comes when the emitter and its background delivery have
# both exited, and keeps what they wrote (a warning would make the figures meaningless). Sums in µs.
now() { REPLY=${EPOCHREALTIME//[!0-9]/}; }
round() {
  local t0 t1 stderr_pipe reader
  exec {stderr_pipe}> >(IFS= read -r -d '' text || printf '%s' "$text" >"$work/stderr")
  reader=$!
  now && t0=$REPLY && run_curl && now && curl_us=$((curl_us + REPLY - t0))
  received_one && curl_answered_us=$((curl_answered_us + REPLY - t0))
  now && t0=$REPLY && run_waiting && now && waiting_us=$((waiting_us + REPLY - t0)) && received_one
  now && t0=$REPLY && run_unspooled && now && unspooled_us=$((unspooled_us + REPLY - t0)) && received_one
  now && t0=$REPLY && run_bash && now && bash_us=$((bash_us + REPLY - t0))
  now && t0=$REPLY && run_floor && now && floor_us=$((floor_us + REPLY - t0)) && received_one
  now && t0=$REPLY
  run_emitter 2>&"$stderr_pipe"
  now && t1=$REPLY
  exec {stderr_pipe}>&-
  wait "$reader" # EOF: the background delivery exited too
  received_one
  emitter_us=$((emitter_us + t1 - t0)) answered_us=$((answered_us + REPLY - t0))
  if [[ -s $work/stderr ]]; then
    echo "bench/emitter.sh: the emitter warned: $(<"$work/stderr")" >&2
    exit 1
  fi
}

emitter_us=0 answered_us=0 curl_answered_us=0 waiting_us=0 curl_us=0 unspooled_us=0 bash_us=0 floor_us=0
for _ in {1..10}; do round; done # warm caches
emitter_us=0 answered_us=0 curl_answered_us=0 waiting_us=0 curl_us=0 unspooled_us=0 bash_us=0 floor_us=0
for ((i = 0; i < iterations; i++)); do round; done # alternate, so load changes hit all alike

ms() { printf '%d.%03d ms' $(($1 / iterations / 1000)) $(($1 / iterations % 1000)); }
ratio_of() { printf '%d.%02dx' $(($1 * 100 / $2 / 100)) $(($1 * 100 / $2 % 100)); }
ratio() { ratio_of "$1" "$curl_us"; }
printf 'iterations: %d (bash %s, %s)\n' "$iterations" "$BASH_VERSION" "$(curl --version | head -n 1 | cut -d' ' -f1-2)"
printf 'bare curl mean:           %s\n' "$(ms $curl_us)"
printf 'emitter returns:          %s  %s (target <= 1.3x)\n' "$(ms $emitter_us)" "$(ratio $emitter_us)"
printf 'until answered: emitter   %s, bare curl %s: %s (the receiver answered its POST)\n' \
  "$(ms $answered_us)" "$(ms $curl_answered_us)" "$(ratio_of $answered_us $curl_answered_us)"
printf 'emitter --wait:           %s  %s (spool on, returns after the answer)\n' "$(ms $waiting_us)" "$(ratio $waiting_us)"
printf 'emitter without spool:    %s  %s (returns after the answer)\n' "$(ms $unspooled_us)" "$(ratio $unspooled_us)"
printf 'bash -c :                 %s\n' "$(ms $bash_us)"
printf 'bash floor:               %s  %s (bash + curl in a process substitution, answer read)\n' "$(ms $floor_us)" "$(ratio $floor_us)"
((emitter_us * 100 <= curl_us * 130))
