// `nixotel run`: evaluate the checks, build them in one nix call, report the run as spans,
// run.json, JUnit and a summary. Orchestration only; each step lives in its own module.
import type { RunOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { type ExitCode } from "../errors.js";
import { buildChecks, evalArgs, nixStreamOptions, storeArgs } from "../nix/build.js";
import { storedBuildLog } from "../nix/build-log.js";
import { nowNs, settleFailures } from "../nix/builds.js";
import { discoverChecksOf } from "../nix/checks.js";
import { validPaths } from "../nix/store.js";
import { startTelemetry } from "../pipeline/telemetry.js";
import { notBlamed, resultOf } from "../pipeline/result.js";
import { progressListener } from "../report/terminal.js";
import { checkOutcome } from "../pipeline/outcomes.js";

export async function run(options: RunOptions, context: Context): Promise<ExitCode> {
  // --interactive: one check's driver outside the sandbox (src/commands/run-interactive.ts).
  if (options.interactive) return (await import("./run-interactive.js")).runInteractive(options, context);
  const startNs = nowNs();
  const where = { cwd: context.cwd, env: context.env };
  const telemetry = startTelemetry(context, options.flake);
  const { system, checks } = await discoverChecksOf(
    { flake: options.flake, system: options.system, names: options.checks, evalArgs: evalArgs(options) },
    where,
  );
  const cachedBefore = await validPaths(
    checks.map((c) => c.outPath),
    storeArgs(options),
    where,
  );
  const queriedNs = nowNs();

  const toBuild = checks.filter((c) => !cachedBefore.has(c.outPath));
  const byDrv = new Map(checks.map((c) => [c.drvPath, c.name]));
  const progress = progressListener(context, (drv) => byDrv.get(drv));
  const build =
    toBuild.length > 0 && !context.signal.aborted
      ? await buildChecks(
          toBuild.map((c) => c.installable),
          nixStreamOptions(options, context, progress),
        )
      : undefined;
  progress.done();
  const cancelled = context.signal.aborted;
  const validAfter = await validPaths(
    checks.map((c) => c.outPath),
    storeArgs(options),
    where,
  );
  const endNs = nowNs();
  settleFailures(build?.tracker.builds ?? [], checks, validAfter, cancelled || (build?.timedOut ?? false));

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
  const readStoredLog = (drvPath: string) => storedBuildLog(drvPath, storeArgs(options), where);
  const outcomes = await Promise.all(checks.map((check) => checkOutcome(check, facts, options.store === undefined, readStoredLog)));
  const result = resultOf(build, outcomes, cancelled);
  return (await telemetry.finishing).finishRun(
    {
      command: "run",
      options,
      system,
      startNs,
      endNs,
      result,
      outcomes: notBlamed(result, outcomes),
      dependencyBuilds: facts.builds.filter((b) => !byDrv.has(b.drvPath)),
      ...(build ? { cache: build.cache } : {}),
      nixErrors: facts.nixErrors,
      // Evaluation and the first store query: the time before nix starts building.
      evaluation: {
        name: "evaluate checks",
        startNs,
        endNs: queriedNs,
        attributes: { "nix.flake": options.flake, "nix.system": system, "nix.checks.count": checks.length },
      },
    },
    telemetry,
    context,
  );
}
