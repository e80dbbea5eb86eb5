#!/usr/bin/env bash
# The main job on the embedded default, no Grafana needed: set up, scaffold a traced test, then run a
# flake's checks traced (examples/demo: three NixOS-test-like checks, one failing on purpose) and
# report the run. Everything lands under .nixotel/: the trace in .nixotel/runs/<id>/spans.jsonl.
# Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) to also send the trace to a collector.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh >/dev/null
npm run build --silent # dist/ from the current sources
nixotel() { node "$root/bin/nixotel.js" "$@"; }
# The demo builds everything locally: asking a binary cache only costs time (and times out offline).
export NIX_CONFIG="${NIX_CONFIG:+$NIX_CONFIG$'\n'}substituters ="
demo=$root/.nixotel/demo
rm -rf "$demo" && mkdir -p "$demo/project" "$demo/flake"

echo "== 1. Scaffold a traced NixOS test (nixotel new) into $demo/project"
(
  cd "$demo/project"
  # Its own nixotel.json: nixotel would otherwise find this repository's, as git finds .git upwards.
  echo '{ "tests": [] }' > nixotel.json
  nixotel new nginx-startup --template otel_traced --suite web
  sed -n '1,2p' tests/nginx-startup.nix
  nix-instantiate --parse tests/nginx-startup.nix >/dev/null && echo "(parses as Nix)"
  nixotel generate --check
)

echo
echo "== 2. Run a flake's checks, traced (nixotel run) — examples/demo, copied to $demo/flake"
cp examples/demo/* "$demo/flake/"
# The checks run the real prelude and emitter under a stand-in of the NixOS driver (no nixpkgs here).
cp tests/prelude/standin_driver.py scripts/nixotel_prelude.py scripts/emit_test_span.sh modules/lib/constants.json "$demo/flake/"
date +%s%N > "$demo/flake/nonce" # a fresh nonce: the checks really build
status=0
nixotel run --flake "path:$demo/flake" --junit "$demo/junit.xml" || status=$?
echo "(nixotel run exited $status: 1 because the demo's admin-login check fails on purpose)"

echo
echo "== 3. Report the run (nixotel report)"
nixotel report latest
nixotel report latest --html "$demo/report.html"
echo
runs=("$root"/.nixotel/runs/*/) # run ids sort by time: the last is this run
echo "Trace (OTLP JSON lines): ${runs[-1]}spans.jsonl"
echo "JUnit: $demo/junit.xml   HTML report: $demo/report.html"
[ "$status" -eq 1 ] # anything but the expected failure is a real problem
