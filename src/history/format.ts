// `nixotel history` in a terminal: one line per check, then what stands out (proven flaky, failing
// since, ready to un-quarantine).
import { formatDuration } from "../report/summary-text.js";
import { plain } from "../report/plain.js";
import type { CheckHistory } from "./analyse.js";

const duration = (ms: number | null) => (ms === null ? "-" : formatDuration(ms));

function notes(h: CheckHistory): string[] {
  return [
    ...(h.provenFlakyDrvs.length
      ? [`PROVEN FLAKY: the same derivation both passed and failed (${h.provenFlakyDrvs.map(plain).join(", ")})`]
      : []),
    ...(h.changedWithDrv ? [`outcome changed with the derivation ${h.changedWithDrv} time(s)`] : []),
    ...(h.failingSince ? [`failing since run ${plain(h.failingSince.runId)} (${h.failingSince.startedAt})`] : []),
    ...(h.quarantine !== undefined ? [`quarantined: ${plain(h.quarantine)}`] : []),
    ...(h.readyToUnquarantine ? ["passing long enough: ready to un-quarantine (remove it from nixotel.json)"] : []),
  ];
}

export function historyText(histories: readonly CheckHistory[], runs: number): string {
  if (!histories.length) return `No checks found in ${runs} run(s). Run \`nixotel run\` first, or pass --from DIR.\n`;
  const width = Math.max(...histories.map((h) => h.name.length));
  const lines = [`${runs} run(s)`, `  ${"check".padEnd(width)}  runs  pass rate   median      p95`];
  for (const h of histories) {
    const rate = `${(h.passRate * 100).toFixed(0)}%`.padStart(9);
    lines.push(
      `  ${plain(h.name).padEnd(width)}  ${String(h.runs).padStart(4)}  ${rate}  ${duration(h.medianMs).padStart(7)}  ${duration(h.p95Ms).padStart(7)}`,
    );
    for (const note of notes(h)) lines.push(`  ${" ".repeat(width)}  ↳ ${note}`);
  }
  return `${lines.join("\n")}\n`;
}
