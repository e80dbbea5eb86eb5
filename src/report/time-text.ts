// The terminal summary's "where the time went" section: each check's time by kind (VM boot, waiting,
// commands, the rest) and the run's slowest driver actions with machine, target and check.
import type { RunView } from "../runs/read-view.js";
import { plain } from "./plain.js";
import { formatDuration } from "./summary-text.js";

const COLUMNS = ["total", "boot", "waiting", "commands", "rest"] as const;

function breakdownLines(view: RunView): string[] {
  const rows = view.checks.flatMap((check) => {
    const { time } = check;
    if (!time) return [];
    const cells = [time.totalMs, time.bootMs, time.waitingMs, time.commandsMs, time.restMs].map((ms) => formatDuration(ms).padStart(10));
    return [{ name: plain(`${check.record.suite}.${check.record.name}`), cells }];
  });
  if (!rows.length) return [];
  const width = Math.max(5, ...rows.map((r) => r.name.length));
  return [
    "",
    "Time by kind (driver actions)",
    `  ${"check".padEnd(width)}  ${COLUMNS.map((c) => c.padStart(10)).join("")}`,
    ...rows.map((r) => `  ${r.name.padEnd(width)}  ${r.cells.join("")}`),
  ];
}

function slowestActionLines(view: RunView): string[] {
  if (!view.slowestActions.length) return [];
  const cell = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  return [
    "",
    "Slowest driver actions",
    ...view.slowestActions.map(
      (a) =>
        `  ${formatDuration(a.durationMs).padStart(7)}  ${cell(plain(a.verb), 20)}  ${cell(plain(a.machine), 12)}  ${cell(plain(a.target || "-"), 40)}  ${plain(a.check)}${a.failed ? "  FAILED" : ""}`,
    ),
  ];
}

/** Empty when no check has driver action spans. */
export const timeLines = (view: RunView): string[] => [...breakdownLines(view), ...slowestActionLines(view)];
