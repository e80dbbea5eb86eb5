// The one run pipeline: drive nix → settle the builds against the store → judge each check → the
// run's result → record it (spans, JUnit, export, run.json, summary). `run`, `check` and
// `run --interactive` differ only in how they drive nix (the `Driver` they pass).
import { runTiming } from "../timing/run-timing.js";
import { driveBuild, rebuildEvaluated } from "./drive-build.js";
import type { Driver } from "./driven.js";
import { withPolicy } from "./flaky-policy.js";
import { requireLocalFlake } from "./flake-location.js";
import { judgeDriven } from "./judge.js";
import { startRecorder, type Recorder } from "./recorder.js";
import type { RunResult } from "./record-run.js";
import type { RunDependencies, RunRequest } from "./request.js";
import { notBlamed, resultOf } from "./result.js";
import { retryFailures } from "./retry.js";
import { gatherTiming } from "./gather-timing.js";

export async function executeRun(request: RunRequest, drive: Driver, deps: RunDependencies): Promise<RunResult> {
  await requireLocalFlake(request.flake, deps.context.cwd);
  const recorder = await startRecorder(deps.context, request, deps.clock);
  try {
    return await driveAndJudge(request, drive, deps, recorder);
  } catch (error) {
    await recorder.abandon(); // no record: leave no empty run folder behind
    throw error;
  }
}

async function driveAndJudge(request: RunRequest, drive: Driver, deps: RunDependencies, recorder: Recorder): Promise<RunResult> {
  const driving = drive(request, { ...deps, stream: recorder.stream }); // runs up to its first nix call before the writers load
  recorder.prepare();
  const driven = await driving;
  const { builds, outcomes: judged } = await judgeDriven(request, driven, deps);
  let result = resultOf(driven, builds, judged);
  let outcomes = judged;
  let endNs = driven.endNs;
  // Failed checks are built again (from the run's evaluation when it has one, else by evaluating just
  // them); passing every retry clears the failure.
  if (request.retries && result === "failure") {
    outcomes = await retryFailures(judged, request, deps, driven.evaluated ? rebuildEvaluated(driven.evaluated) : driveBuild);
    if (outcomes.every((o) => o.status === "pass")) result = "success";
    endNs = deps.clock();
  }
  const judgedRun = withPolicy(result, outcomes, request);

  const checkDrvs = new Set(driven.checks.map((c) => c.drvPath));
  const timing = runTiming(await gatherTiming(request, driven, builds, endNs, deps));
  return recorder.record({
    request,
    system: driven.system,
    startNs: driven.startNs,
    endNs,
    result: judgedRun.result,
    outcomes: notBlamed(judgedRun.result, judgedRun.outcomes),
    dependencyBuilds: builds.filter((b) => !checkDrvs.has(b.drvPath)),
    nixErrors: driven.nixErrors,
    timing,
    ...(driven.cache ? { cache: driven.cache } : {}),
    ...(driven.evaluation ? { evaluation: driven.evaluation } : {}),
    ...(driven.traceId ? { traceId: driven.traceId } : {}),
    ...(driven.shard ? { shard: driven.shard } : {}),
  });
}
