// run --repeat in a terminal (`nixotel run`, `nixotel report`): per repeated check, its pass rate with
// the 95% interval, the duration distribution, the flaky step with its errors grouped, and each subtest.
import type { CheckRecord, RepeatSummaryRecord } from "../runs/record.js";
import type { Distribution } from "../runs/stats.js";
import { plain } from "./plain.js";
import { formatDuration } from "./summary-text.js";

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** `6/10 passed (60%, 95% interval 31%–83%)` */
export const passRateText = (r: RepeatSummaryRecord) =>
  `${r.passed}/${r.runs} passed (${percent(r.passRate)}, 95% interval ${percent(r.interval.low)}–${percent(r.interval.high)})`;

export const distributionText = (d: Distribution | null) =>
  d
    ? `min ${formatDuration(d.minMs)} · median ${formatDuration(d.medianMs)} · p95 ${formatDuration(d.p95Ms)} · max ${formatDuration(d.maxMs)}`
    : "not built";

/** `failed in 4 of 10 repetitions (4, 5, 7, 9)` */
const repetitionsText = (list: readonly number[], runs: number) => `in ${list.length} of ${runs} repetitions (${list.join(", ")})`;

function checkLines(check: CheckRecord, repeat: RepeatSummaryRecord): string[] {
  const lines = [
    `  ${plain(`${check.suite}.${check.name}`)}: ${passRateText(repeat)}`,
    `    duration ${distributionText(repeat.durationMs)}`,
  ];
  for (const failure of repeat.failures) {
    const where = failure.subtest === null ? "outside any subtest" : `subtest "${plain(failure.subtest)}"`;
    lines.push(`    flaky step: ${where} failed ${repetitionsText(failure.repetitions, repeat.runs)}`);
    for (const error of failure.errors) lines.push(`      ${error.count}× ${plain(error.message)}`);
  }
  for (const subtest of repeat.subtests)
    lines.push(
      `    ${subtest.failed ? "✗" : "✓"} ${plain(subtest.name)}: ${subtest.runs - subtest.failed}/${subtest.runs} passed, ${distributionText(subtest.durationMs)}`,
    );
  return lines;
}

/** The "Repeated" section, empty when no check was repeated. */
export function repeatLines(checks: readonly CheckRecord[]): string[] {
  const repeated = checks.filter((c) => c.repeat);
  if (!repeated.length) return [];
  return ["", `Repeated ${repeated[0]!.repetitions?.length ?? 0} times`, ...repeated.flatMap((c) => checkLines(c, c.repeat!))];
}
