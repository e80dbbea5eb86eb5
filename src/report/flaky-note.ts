// How a retried, repeated or quarantined check reads in a summary line (`nixotel run`, `nixotel report`).
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { plain } from "./plain.js";

/** A check's line's ending under --retries, --repeat or quarantine: `flaky: passed on build 2 of 2`,
 * `6/10 repetitions passed`, `quarantined: why`. */
export function flakyNote(c: CheckRecord): string {
  const builds = c.attempts?.length ?? 1;
  const retried = builds > 1 ? (c.flaky ? ` flaky: passed on build ${builds} of ${builds}` : ` failed all ${builds} builds`) : "";
  const repeated = c.repeat ? ` ${c.repeat.passed}/${c.repeat.runs} repetitions passed` : "";
  return `${retried}${repeated}${c.quarantine !== undefined ? ` quarantined: ${plain(c.quarantine)}` : ""}`;
}

export const flakyTally = (record: RunRecord) => {
  const flaky = record.checks.filter((c) => c.flaky).length;
  const quarantined = record.checks.filter((c) => c.quarantine !== undefined && c.status !== "pass").length;
  return `${flaky ? `, ${flaky} flaky` : ""}${quarantined ? ` (${quarantined} failed in quarantine)` : ""}`;
};
