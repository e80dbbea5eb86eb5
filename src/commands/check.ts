// `nixotel check`: one `nix flake check --keep-going` (every output evaluated, the current system's
// checks built), reported like `nixotel run`; outputs that fail to evaluate are failed checks.
import type { CheckOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, NixotelError, type ExitCode } from "../errors.js";
import { drvName } from "../nix/activity.js";
import { evalArgs, nixStreamOptions, storeArgs } from "../nix/build.js";
import { storedBuildLog } from "../nix/build-log.js";
import { nowNs, settleFailures } from "../nix/builds.js";
import { currentSystem } from "../nix/checks.js";
import { flakeCheck, type EvalError, type FlakeCheckTracker } from "../nix/flake-check.js";
import { flakeCheckChecks, type FlakeChecks } from "../nix/flake-check-checks.js";
import { validPaths } from "../nix/store.js";
import { brokenCheckNames, evalFailure } from "../pipeline/eval-failures.js";
import { startTelemetry } from "../pipeline/telemetry.js";
import { resultOf } from "../pipeline/result.js";
import { progressListener } from "../report/terminal.js";
import { checkOutcome } from "../pipeline/outcomes.js";
import type { Phase } from "../spans/tree.js";

export async function check(options: CheckOptions, context: Context): Promise<ExitCode> {
  const startNs = nowNs();
  const where = { cwd: context.cwd, env: context.env };
  const telemetry = startTelemetry(context, options.flake);
  // Asking nix for its system is an evaluation of its own: it runs beside `nix flake check`, and its
  // failure is handled where the system is awaited (not an unhandled rejection meanwhile).
  const asking = options.system !== undefined ? Promise.resolve(options.system) : currentSystem(where);
  asking.catch(() => undefined);

  // Which derivation is which check is known only afterwards: label builds by derivation name.
  const progress = progressListener(context, drvName);
  const nix = await flakeCheck(options.flake, nixStreamOptions(options, context, progress));
  progress.done();
  const cancelled = context.signal.aborted;
  const { evalErrors, outputs } = nix.flakeCheck;
  const builds = nix.tracker.builds;
  if (nix.exitCode !== 0 && !cancelled && !nix.timedOut && outputs.length === 0 && builds.length === 0) {
    // The flake itself could not be loaded (missing, syntax error, `outputs` throws): as with `run`, exit 2.
    throw environmentError(
      `nix flake check ${options.flake} failed before checking any output (nix exited ${nix.exitCode}):\n${nix.tracker.errors.join("\n")}`,
    );
  }

  const system = await asking;
  const errors: EvalError[] = [...evalErrors];
  let found: FlakeChecks = { checks: [], unevaluated: [] };
  if (!cancelled && outputs.some((o) => o.output === "checks")) {
    try {
      found = await flakeCheckChecks(options.flake, system, brokenCheckNames(evalErrors, system), evalArgs(options), where);
    } catch (error) {
      if (!(error instanceof NixotelError)) throw error;
      errors.push({ attr: `checks.${system}`, output: "checks", message: error.message, timeNs: nowNs() });
    }
  }
  for (const name of found.unevaluated)
    errors.push({
      attr: `checks.${system}.${name}`,
      output: "checks",
      message: "error: evaluation failed (caught by tryEval)",
      timeNs: nowNs(),
    });

  const outPaths = found.checks.map((c) => c.outPath);
  const validAfter = await validPaths(outPaths, storeArgs(options), where);
  const endNs = nowNs();
  settleFailures(builds, found.checks, validAfter, cancelled || nix.timedOut);
  const built = new Set(builds.map((b) => b.drvPath));
  const substituted = new Set(nix.cache.substitutions.map((s) => s.storePath));
  const facts = {
    builds,
    nixErrors: nix.tracker.errors,
    // nix flake check builds or substitutes what is missing: a check valid now that nix neither built nor substituted was cached.
    cachedBefore: new Set(
      found.checks.filter((c) => validAfter.has(c.outPath) && !built.has(c.drvPath) && !substituted.has(c.outPath)).map((c) => c.outPath),
    ),
    validAfter,
    startNs,
    endNs,
    timedOut: nix.timedOut,
    cancelled,
  };
  const outcomes = [
    ...(await Promise.all(
      found.checks.map((c) => checkOutcome(c, facts, options.store === undefined, (drv) => storedBuildLog(drv, storeArgs(options), where))),
    )),
    ...errors.map((e) => evalFailure(e, { flake: options.flake, system, outputs })),
  ];
  for (const outcome of outcomes)
    if (outcome.message) context.stderr(`nixotel: ${outcome.check.attr} failed to evaluate: ${outcome.message}\n`);

  const byDrv = new Set(found.checks.map((c) => c.drvPath));
  const result = resultOf(nix, outcomes, cancelled);
  return (await telemetry.finishing).finishRun(
    {
      command: "check",
      options,
      system,
      startNs,
      endNs,
      // nix failed though every check passed (an error nixotel does not attribute): not a success.
      result: result === "success" && nix.exitCode !== 0 ? "error" : result,
      outcomes,
      dependencyBuilds: builds.filter((b) => !byDrv.has(b.drvPath)),
      cache: nix.cache,
      nixErrors: nix.tracker.errors,
      ...evaluationOf(nix.flakeCheck, options.flake, system, endNs),
    },
    telemetry,
    context,
  );
}

/** nix's "evaluating flake" activity and its "checking flake output 'X'" ones, as spans (when nix printed them). */
function evaluationOf(tracker: FlakeCheckTracker, flake: string, system: string, endNs: bigint): { evaluation?: Phase } {
  const evaluating = tracker.evaluating;
  if (!evaluating) return {};
  const children = tracker.outputs.map((o) => ({
    name: `checking flake output '${o.output}'`,
    startNs: o.startNs,
    endNs: o.endNs ?? evaluating.endNs ?? endNs,
    attributes: { "nix.flake.output": o.output },
  }));
  const attributes = { "nix.flake": flake, "nix.system": system, "nix.flake.outputs.count": children.length };
  return { evaluation: { name: "evaluating flake", startNs: evaluating.startNs, endNs: evaluating.endNs ?? endNs, attributes, children } };
}
