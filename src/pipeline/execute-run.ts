// The one run pipeline: drive nix → settle the builds against the store → judge each check → the
// run's result → record it (spans, JUnit, export, run.json, summary). `run`, `check` and
// `run --interactive` differ only in how they drive nix (the `Driver` they pass).
import { storedBuildLog } from "../nix/build-log.js";
import { storeArgs } from "../nix/build.js";
import type { Driver } from "./driven.js";
import { checkOutcome } from "./outcomes.js";
import { startRecorder } from "./recorder.js";
import type { RunResult } from "./record-run.js";
import type { RunDependencies, RunRequest } from "./request.js";
import { notBlamed, resultOf } from "./result.js";
import { settleBuilds } from "./settle.js";

export async function executeRun(request: RunRequest, drive: Driver, deps: RunDependencies): Promise<RunResult> {
  const { context } = deps;
  const recorder = startRecorder(context, request.flake);
  const driven = await drive(request, deps);

  const builds = settleBuilds(driven.builds, driven.checks, driven.validAfter, driven.cancelled || driven.timedOut);
  const facts = { ...driven, builds, startNs: driven.buildStartNs };
  const where = { cwd: context.cwd, env: context.env };
  const sources = {
    outputsReadable: driven.outputsReadable,
    readStoredLog: (drvPath: string) => storedBuildLog(drvPath, storeArgs(request), where),
  };
  const judged = await Promise.all(driven.checks.map((check) => checkOutcome(check, facts, sources)));
  const completed = driven.completeOutcome ? await Promise.all(judged.map(driven.completeOutcome)) : judged;
  const outcomes = [...completed, ...driven.evalFailures];
  const result = resultOf(driven, builds, outcomes);

  const checkDrvs = new Set(driven.checks.map((c) => c.drvPath));
  return recorder.record({
    request,
    system: driven.system,
    startNs: driven.startNs,
    endNs: driven.endNs,
    result,
    outcomes: notBlamed(result, outcomes),
    dependencyBuilds: builds.filter((b) => !checkDrvs.has(b.drvPath)),
    nixErrors: driven.nixErrors,
    ...(driven.cache ? { cache: driven.cache } : {}),
    ...(driven.evaluation ? { evaluation: driven.evaluation } : {}),
    ...(driven.traceId ? { traceId: driven.traceId } : {}),
  });
}
