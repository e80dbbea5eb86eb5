#!/usr/bin/env bash
# Wall time of `nixotel run` against bare `nix build --keep-going` on fresh copies of the `mixed`
# fixture (a new nonce each time, so both really build), then the exporter's span throughput.
# Usage: bench/run.sh [ROUNDS]   (needs `npm run build` first; prints figures for docs/runner.md)
set -euo pipefail
rounds="${1:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
export NIX_CONFIG=$'substituters ='
system="$(nix --extra-experimental-features 'nix-command flakes' eval --impure --raw --expr builtins.currentSystem)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fresh() { # a copy of the fixture with a new nonce; prints its path
  local dir="$work/$1"
  cp -r "$root/tests/fixtures/flakes/mixed" "$dir"
  head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/nonce"
  echo "$dir"
}
now() { date +%s.%N; }

bare_total=0
nixotel_total=0
for round in $(seq 1 "$rounds"); do
  dir="$(fresh "bare-$round")"
  start="$(now)"
  nix --extra-experimental-features 'nix-command flakes' build --keep-going --no-link \
    "path:$dir#checks.$system.pass" "path:$dir#checks.$system.fail" "path:$dir#checks.$system.slow" 2>/dev/null || true
  bare="$(echo "$(now) - $start" | bc)"

  dir="$(fresh "nixotel-$round")"
  start="$(now)"
  (cd "$dir" && node "$root/bin/nixotel.js" run --flake "path:$dir" --junit junit.xml >/dev/null 2>&1) || true
  traced="$(echo "$(now) - $start" | bc)"
  printf 'round %d: bare nix build %.2fs, nixotel run %.2fs\n' "$round" "$bare" "$traced"
  bare_total="$(echo "$bare_total + $bare" | bc)"
  nixotel_total="$(echo "$nixotel_total + $traced" | bc)"
done
printf 'mean over %d rounds: bare %.2fs, nixotel %.2fs, ratio %.2fx\n' "$rounds" \
  "$(echo "$bare_total / $rounds" | bc -l)" "$(echo "$nixotel_total / $rounds" | bc -l)" "$(echo "$nixotel_total / $bare_total" | bc -l)"

node "$root/bench/throughput.mjs"
