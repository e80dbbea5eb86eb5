#!/usr/bin/env bash
# Regenerates README's pictures from the recorded run in tests/fixtures/runs/mixed: the HTML report as
# Debian's headless Chromium draws it (docs/images/report.png) and the terminal summary
# (docs/images/report.txt). Needs `npm run build` (or scripts/setup.sh) and the chromium package.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The fixture's last check has a hostile name (an HTML-injection test): left out of the pictures, with
# the spans below it.
run=$work/run && mkdir "$run"
jq '.checks |= map(select(.name | test("<") | not))' tests/fixtures/runs/mixed/run.json > "$run/run.json"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const spans = lines.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  const gone = new Set(spans.filter((s) => s.name.includes("<")).map((s) => s.spanId));
  for (let grew = true; grew; ) { grew = false; for (const s of spans) if (gone.has(s.parentSpanId) && !gone.has(s.spanId)) { gone.add(s.spanId); grew = true; } }
  for (const r of lines) for (const rs of r.resourceSpans) for (const ss of rs.scopeSpans) ss.spans = ss.spans.filter((s) => !gone.has(s.spanId));
  process.stdout.write(lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
' tests/fixtures/runs/mixed/spans.jsonl > "$run/spans.jsonl"
node bin/nixotel.js report "$run" --html "$work/report.html" >/dev/null
node bin/nixotel.js report "$run" | sed "s|$run/|.nixotel/runs/20261125T101500Z-3fa9c2/|" > docs/images/report.txt
# The same flags as the report's browser tests (tests/report/support/chromium.ts).
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
  --window-size=1280,860 --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
mv "$work/report.png" docs/images/report.png
echo "wrote docs/images/report.png and docs/images/report.txt"
