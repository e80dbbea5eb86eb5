#!/usr/bin/env bash
# The main job on the embedded default, no Grafana needed: set up, scaffold a traced test into
# demo/ (a scratch project), show it, and prove generate --check is clean.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
root=$PWD
nixotel() { node "$root/bin/nixotel.js" "$@"; }

demo=$PWD/.nixotel/demo
rm -rf "$demo" && mkdir -p "$demo"
(
  cd "$demo"
  nixotel list-templates
  nixotel new nginx-startup --template otel_traced --suite web
  echo "---- $demo/tests/nginx-startup.nix"
  cat tests/nginx-startup.nix
  nix-instantiate --parse tests/nginx-startup.nix >/dev/null && echo "---- parses as Nix"
  nixotel generate --check
)
