// `nixotel run`: evaluate the checks, build them in one nix call, report the run as spans,
// run.json, JUnit and a summary. Orchestration only; each step lives in its own module.
import { resolve } from "node:path";
import type { RunOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { type ExitCode } from "../errors.js";
import { exporterSettings } from "../export/config.js";
import { buildChecks, evalArgs, storeArgs, type BuildRun } from "../nix/build.js";
import { nowNs } from "../nix/builds.js";
import { currentSystem, discoverChecks } from "../nix/checks.js";
import { validPaths } from "../nix/store.js";
import { junitXml } from "../report/junit.js";
import { progressListener, summary } from "../report/terminal.js";
import { newRunId, resolveOutDir, runPaths, writeAtomic } from "../runs/files.js";
import type { RunRecord } from "../runs/record.js";
import { buildRecordOf, checkRecordOf, isoOf, makeRunRecord } from "../runs/summary.js";
import { newTraceId } from "../spans/model.js";
import { checkOutcome, type CheckOutcome } from "../spans/outcomes.js";
import { gitFacts, runResource } from "../spans/resource.js";
import { runSpans, type RunFacts } from "../spans/tree.js";

type Result = RunRecord["result"];

function resultOf(build: BuildRun | undefined, outcomes: readonly CheckOutcome[], cancelled: boolean): Result {
  if (cancelled || build?.cancelled) return "cancellation";
  if (build?.timedOut) return "timeout";
  if (outcomes.some((o) => o.status !== "pass")) {
    // nix failed without any build failing: not a test result but a nix problem (e.g. bad --builders).
    const testFailed = build?.tracker.builds.some((b) => b.failed) ?? false;
    return testFailed || !build || build.exitCode === 0 ? "failure" : "error";
  }
  return "success";
}

const EXIT: Record<Result, ExitCode> = { success: 0, failure: 1, timeout: 1, error: 2, cancellation: 2 };

export async function run(options: RunOptions, context: Context): Promise<ExitCode> {
  const startNs = nowNs();
  const where = { cwd: context.cwd, env: context.env };
  const vcs = gitFacts(where); // in parallel with everything else; never fails
  // The OTel SDK takes ~0.2 s to load: load it while nix evaluates and builds.
  const exporting = import("../export/export-run.js");
  const settings = exporterSettings(context.env); // bad OTEL_* settings fail before anything is built
  const system = options.system ?? (await currentSystem(where));
  const checks = await discoverChecks({ flake: options.flake, system, names: options.checks, evalArgs: evalArgs(options) }, where);
  const cachedBefore = await validPaths(checks.map((c) => c.outPath), storeArgs(options), where);
  const queriedNs = nowNs();

  const toBuild = checks.filter((c) => !cachedBefore.has(c.outPath));
  const byDrv = new Map(checks.map((c) => [c.drvPath, c.name]));
  const progress = progressListener(context, (drv) => byDrv.get(drv));
  const build =
    toBuild.length > 0 && !context.signal.aborted
      ? await buildChecks(toBuild.map((c) => c.installable), { ...where, settings: options, signal: context.signal, ...(options.timeout ? { timeoutSeconds: options.timeout } : {}), listener: progress })
      : undefined;
  progress.done();
  const cancelled = context.signal.aborted;
  const validAfter = await validPaths(checks.map((c) => c.outPath), storeArgs(options), where);
  const endNs = nowNs();

  const facts = {
    builds: build?.tracker.builds ?? [],
    nixErrors: build?.tracker.errors ?? [],
    cachedBefore,
    validAfter,
    startNs: queriedNs,
    endNs,
    timedOut: build?.timedOut ?? false,
    cancelled,
  };
  const outcomes = await Promise.all(checks.map((check) => checkOutcome(check, facts, options.store === undefined)));
  const result = resultOf(build, outcomes, cancelled);
  const dependencyBuilds = facts.builds.filter((b) => !byDrv.has(b.drvPath));

  const runId = newRunId(new Date(Number(startNs / 1_000_000n)));
  const paths = runPaths(resolveOutDir(context.cwd, options.out), runId);
  const run: RunFacts = { runId, traceId: newTraceId(), flake: options.flake, system, startNs, endNs, result, dependencyBuilds };
  const resource = runResource(context.env, await vcs);
  const exported = await (await exporting).exportRun(runSpans(run, outcomes), resource, settings, paths, context);

  const record = makeRunRecord({
    runId,
    traceId: run.traceId,
    command: "run",
    flake: options.flake,
    system,
    startedAt: isoOf(startNs),
    endedAt: isoOf(endNs),
    result,
    checks: outcomes.map(checkRecordOf),
    builds: dependencyBuilds.map(buildRecordOf),
    export: {
      endpoint: exported.endpoint,
      protocol: exported.protocol,
      delivered: exported.delivered,
      spooled: exported.spooled,
      spans: exported.spans,
      ...(exported.error !== undefined ? { error: exported.error } : {}),
    },
  });
  await writeAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);
  const junitFile = options.junit ? resolve(context.cwd, options.junit) : undefined;
  if (junitFile) await writeAtomic(junitFile, junitXml(record));

  if (result === "error") context.stderr(`nixotel: nix build failed before any test ran:\n${facts.nixErrors.join("\n")}\n`);
  context.stdout(summary(record, { spansFile: paths.spans, ...(junitFile ? { junitFile } : {}), ...exported }));
  return EXIT[result];
}
