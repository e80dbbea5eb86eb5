// --retries N: a check whose own build failed is built again, up to N times, in the same run. nix
// does not remember failures (unless `cache-failures` is set), so building the same derivation again
// really runs it again; the same drv failing and then passing is proven flaky: only the
// environment changed.
import type { Driver } from "./driven.js";
import type { Attempt, CheckOutcome } from "./outcomes.js";
import type { RunDependencies, RunRequest } from "./request.js";
import { judgeDriven } from "./judge.js";

/** A check is retried when its own build failed: not a dependency, not an evaluation error, not a stop;
 * only `checks.*` outputs (what `nixotel run` can build by name; `check` also builds packages). */
const retriable = (o: CheckOutcome) =>
  o.status === "fail" && o.errorType === "test_failed" && o.check.drvPath !== "" && o.check.attr.startsWith("checks.");

const attemptOf = (o: CheckOutcome): Attempt => ({
  ...(o.build ? { build: o.build } : {}),
  startNs: o.startNs,
  endNs: o.endNs,
  ...(o.errorType ? { errorType: o.errorType } : {}),
  logTail: o.logTail,
});

/** The outcomes after up to `request.retries` more builds of each failed check; a retried check's
 * outcome is its last build's, carrying the failed ones before it. */
export async function retryFailures(
  outcomes: readonly CheckOutcome[],
  request: RunRequest,
  deps: RunDependencies,
  drive: Driver,
): Promise<CheckOutcome[]> {
  let current = [...outcomes];
  for (let retry = 1; retry <= (request.retries ?? 0); retry++) {
    const failed = current.filter(retriable);
    if (!failed.length || deps.context.signal.aborted) break;
    // Just the failed checks, by name: not split again over --shard jobs (this job owns them).
    const { shard: _split, ...unsplit } = request;
    const again = { ...unsplit, command: "run" as const, checks: failed.map((o) => o.check.name) };
    // A retry's outcome carries the attempts before it: recorded at the end, not as its build ends.
    const { stream: _recordedAtTheEnd, ...atTheEnd } = deps;
    const driven = await drive(again, atTheEnd);
    const { outcomes: retried } = await judgeDriven(again, driven, atTheEnd);
    const byDrv = new Map(retried.map((o) => [o.check.drvPath, o]));
    current = current.map((before) => {
      const after = retriable(before) ? byDrv.get(before.check.drvPath) : undefined;
      if (!after) return before;
      const earlierAttempts = [...(before.earlierAttempts ?? []), attemptOf(before)];
      return { ...after, earlierAttempts, flaky: after.status === "pass" };
    });
  }
  return current;
}
