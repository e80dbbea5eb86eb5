// The middle of the run pipeline: what nix did, settled against the store, judged check by check.
// Used once per run, and once more per round of --retries.
import { countingReads, storedLogReader } from "../nix/build-log.js";
import { storeArgs } from "../nix/build.js";
import { stepProgress } from "../report/terminal.js";
import type { Driven } from "./driven.js";
import { checkOutcome, type CheckOutcome } from "./outcomes.js";
import { logsEnabled, type RunDependencies, type RunRequest } from "./request.js";
import { settleBuilds, type SettledBuilds } from "./settle.js";

/** What nix did, settled against the store and judged check by check. */
export async function judgeDriven(
  request: RunRequest,
  driven: Driven,
  deps: RunDependencies,
): Promise<{ builds: SettledBuilds; outcomes: CheckOutcome[] }> {
  const { context } = deps;
  const builds = settleBuilds(driven.builds, driven.checks, driven.validAfter, driven.cancelled || driven.timedOut);
  const facts = { ...driven, builds, startNs: driven.buildStartNs };
  const where = { cwd: context.cwd, env: context.env };
  // Cached checks without spans of their own: their stored logs, read as they are needed.
  const progress = stepProgress(context);
  const readStoredLog = countingReads(storedLogReader(storeArgs(request), where), (done, asked) => {
    if (done === 0 && asked === 1) progress.say("reading the stored build logs of cached checks");
    progress.update(`reading the stored build logs of cached checks: ${done}/${asked}`);
  });
  const sources = { outputsReadable: driven.outputsReadable, readStoredLog, logRecords: logsEnabled(request) };
  // Checks recorded as they settled (settle-early.ts) keep the outcome they were written with.
  const judged = await Promise.all(
    driven.checks.map(async (check) => driven.settled?.get(check.drvPath) ?? checkOutcome(check, facts, sources)),
  );
  progress.done();
  const completed = driven.completeOutcome ? await Promise.all(judged.map(driven.completeOutcome)) : judged;
  const grouped = driven.regroup ? driven.regroup(completed) : completed;
  return { builds, outcomes: [...grouped, ...driven.evalFailures] };
}
