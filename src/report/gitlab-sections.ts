// GitLab CI's collapsible log sections, one per failing check: its header (name, error type) in the
// job log, the failed subtests and log tail folded under it. The escape lines are GitLab's
// (docs.gitlab.com, "Custom collapsible sections"): `\e[0Ksection_start:UNIX:NAME[collapsed=true]\r\e[0KHEADER`
// … `\e[0Ksection_end:UNIX:NAME\r\e[0K`. Section names allow only letters, digits, `_`, `.` and `-`.
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { plain } from "./plain.js";

const ERASE = "\x1b[0K";
const TAIL_LINES = 40;

const sectionName = (check: CheckRecord, index: number) =>
  `nixotel_failed_${index + 1}_${check.name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 60)}`;

function section(check: CheckRecord, index: number, unix: number): string[] {
  const name = sectionName(check, index);
  const header = `FAIL ${plain(`${check.suite}.${check.name}`)}${check.errorType ? ` (${plain(check.errorType)})` : ""}`;
  const failed = check.subtests.filter((s) => s.status === "fail");
  return [
    `${ERASE}section_start:${unix}:${name}[collapsed=true]\r${ERASE}${header}`,
    ...failed.map((s) => `  failed subtest: ${plain(s.name)}`),
    ...(check.logTail.length ? check.logTail.slice(-TAIL_LINES).map((l) => `  │ ${plain(l)}`) : ["  (no log lines recorded)"]),
    `${ERASE}section_end:${unix}:${name}\r${ERASE}`,
  ];
}

/** The sections for the job log; empty when nothing failed. Times are the run's end (Unix seconds). */
export function gitlabSections(record: RunRecord): string {
  const unix = Math.floor(Date.parse(record.endedAt) / 1000);
  const lines = record.checks.filter((c) => c.status === "fail").flatMap((c, i) => section(c, i, unix));
  return lines.map((l) => `${l}\n`).join("");
}
