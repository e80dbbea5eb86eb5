// Where a check's current failing streak began, and the last run before it that passed, each with the
// git revision it tested: the `bad` and `good` of a `git bisect` (when the derivation changed there).
import type { RunRecord } from "../runs/record.js";
import type { Seen } from "./analyse.js";

/** A run as history names it: its id, when it started, the git revision it tested (when run.json has one). */
export interface RunRef {
  runId: string;
  startedAt: string;
  revision?: string;
}

export const runRef = (run: RunRecord): RunRef => ({
  runId: run.runId,
  startedAt: run.startedAt,
  ...(run.vcs?.revision ? { revision: run.vcs.revision } : {}),
});

/** Over every judged run of a check, oldest first: when the latest failed, the first run of that streak
 * and the last passing run before it (none when it never passed). */
export function failingStreak(judged: readonly Seen[]): { failingSince?: RunRef; lastPassed?: RunRef } {
  let start = judged.length;
  while (start > 0 && judged[start - 1]!.check.status === "fail") start--;
  if (start === judged.length) return {};
  const before = judged[start - 1];
  return { failingSince: runRef(judged[start]!.run), ...(before ? { lastPassed: runRef(before.run) } : {}) };
}
