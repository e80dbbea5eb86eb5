#!/usr/bin/env bash
# Installs what nixotel and its test suite need on a fresh Debian 12 machine, then the npm packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package → a file it provides; only missing ones are installed.
declare -A wanted=(
  [nix-bin]=/usr/bin/nix
  [nix-setup-systemd]=/etc/nix/nix.conf # the nixbld build users and nix.conf (sandbox = false) nix-bin needs as root
  [python3-mypy]=/usr/lib/python3/dist-packages/mypy
  [pyflakes3]=/usr/bin/pyflakes3
  [shellcheck]=/usr/bin/shellcheck
  [chromium]=/usr/bin/chromium
  [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu # text in the report's screenshots
  [jq]=/usr/bin/jq
  [curl]=/usr/bin/curl
  [git]=/usr/bin/git
  [diffutils]=/usr/bin/diff
  [python3-yaml]=/usr/lib/python3/dist-packages/yaml
  [bc]=/usr/bin/bc
  [libxml2-utils]=/usr/bin/xmllint # the JUnit tests validate against XML schemas
)
missing=()
for package in "${!wanted[@]}"; do
  [ -e "${wanted[$package]}" ] || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci (which also builds dist/) only when package-lock.json changed since the last one.
stamp=node_modules/.nixotel-lock-sha
lock_sha=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sha" ] || [ ! -f dist/index.js ]; then
  npm ci --no-audit --no-fund
  echo "$lock_sha" > "$stamp"
fi
