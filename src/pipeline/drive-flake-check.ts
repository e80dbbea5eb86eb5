// How `nixotel check` drives nix: ONE `nix flake check --keep-going` (every output evaluated, the
// current system's checks built); which derivation is which check is asked afterwards, and outputs
// that failed to evaluate become failed checks.
import type { Context } from "../context.js";
import { environmentError, NixotelError } from "../errors.js";
import { drvName } from "../nix/activity.js";
import { evalArgs, nixStreamOptions, storeArgs } from "../nix/build.js";
import { allListeners } from "../nix/builds.js";
import { currentSystem } from "../nix/checks.js";
import { encodeLinesAsTheyCome } from "../logs/encoded-lines.js";
import { flakeCheck, type EvalError, type FlakeCheckTracker } from "../nix/flake-check.js";
import { flakeCheckChecks, type FlakeChecks } from "../nix/flake-check-checks.js";
import { validPaths } from "../nix/store.js";
import { progressListener } from "../report/terminal.js";
import type { Phase } from "../spans/tree.js";
import { ATTR } from "../spans/vocabulary.js";
import type { Driver } from "./driven.js";
import { logsEnabled } from "./request.js";
import { brokenCheckNames, byCause, evalFailure } from "./eval-failures.js";

export const driveFlakeCheck: Driver = async (request, { context, clock }) => {
  const startNs = clock();
  const where = { cwd: context.cwd, env: context.env };
  // Asking nix for its system is an evaluation of its own: it runs beside `nix flake check`, and its
  // failure is handled where the system is awaited (not an unhandled rejection meanwhile).
  const asking = request.system !== undefined ? Promise.resolve(request.system) : currentSystem(where);
  asking.catch(() => undefined);

  // Which derivation is which check is known only afterwards: label builds by derivation name.
  const progress = progressListener(context, drvName);
  const listener = logsEnabled(request) ? allListeners(progress, encodeLinesAsTheyCome) : progress;
  const nix = await flakeCheck(request.flake, nixStreamOptions(request, context, listener));
  progress.done();
  const cancelled = context.signal.aborted;
  const { evalErrors, outputs } = nix.flakeCheck;
  const builds = nix.tracker.builds;
  if (nix.exitCode !== 0 && !cancelled && !nix.timedOut && outputs.length === 0 && builds.length === 0) {
    // The flake itself could not be loaded (missing, syntax error, `outputs` throws): as with `run`, exit 2.
    throw environmentError(
      `nix flake check ${request.flake} failed before checking any output (nix exited ${nix.exitCode}):\n${nix.tracker.errors.join("\n")}`,
    );
  }

  const system = await asking;
  const errors: EvalError[] = [...evalErrors];
  let found: FlakeChecks = { checks: [], unevaluated: [] };
  // When the `checks` output itself failed, asking for its checks again only repeats nix's error.
  const checksFailed = evalErrors.some((e) => e.attr === "checks" || e.attr === `checks.${system}`);
  if (!cancelled && !checksFailed && outputs.some((o) => o.output === "checks")) {
    try {
      found = await flakeCheckChecks(request.flake, system, brokenCheckNames(evalErrors, system), evalArgs(request), where);
    } catch (error) {
      if (!(error instanceof NixotelError)) throw error;
      errors.push({ attr: `checks.${system}`, output: "checks", message: error.message, timeNs: clock() });
    }
  }
  for (const name of found.unevaluated)
    errors.push({
      attr: `checks.${system}.${name}`,
      output: "checks",
      message: "error: evaluation failed (caught by tryEval)",
      timeNs: clock(),
    });

  const validAfter = await validPaths(
    found.checks.map((c) => c.outPath),
    storeArgs(request),
    where,
  );
  const endNs = clock();
  const built = new Set(builds.map((b) => b.drvPath));
  const substituted = new Set(nix.cache.substitutions.map((s) => s.storePath));
  const evalFailures = byCause(errors).map((e) => evalFailure(e, { flake: request.flake, system, outputs }));
  reportEvalFailures(context, evalFailures);
  return {
    system,
    checks: found.checks,
    builds,
    cache: nix.cache,
    nixErrors: nix.tracker.errors,
    // nix flake check builds or substitutes what is missing: a check valid now that nix neither built nor substituted was cached.
    cachedBefore: new Set(
      found.checks.filter((c) => validAfter.has(c.outPath) && !built.has(c.drvPath) && !substituted.has(c.outPath)).map((c) => c.outPath),
    ),
    validAfter,
    startNs,
    buildStartNs: startNs,
    endNs,
    exitCode: nix.exitCode,
    timedOut: nix.timedOut,
    cancelled,
    ...evaluationOf(nix.flakeCheck, request.flake, system, endNs),
    evalFailures,
    outputsReadable: request.store === undefined,
    // What --retries builds again, without evaluating the flake a second time.
    ...(found.nixVersion !== undefined ? { evaluated: { system, checks: found.checks, nixVersion: found.nixVersion } } : {}),
  };
};

function reportEvalFailures(context: Context, failures: readonly { check: { attr: string }; message?: string }[]): void {
  for (const failure of failures)
    if (failure.message) context.stderr(`nixotel: ${failure.check.attr} failed to evaluate: ${failure.message}\n`);
}

/** nix's "evaluating flake" activity and its "checking flake output 'X'" ones, as spans (when nix printed them). */
function evaluationOf(tracker: FlakeCheckTracker, flake: string, system: string, endNs: bigint): { evaluation?: Phase } {
  const evaluating = tracker.evaluating;
  if (!evaluating) return {};
  const children = tracker.outputs.map((o) => ({
    name: `checking flake output '${o.output}'`,
    startNs: o.startNs,
    endNs: o.endNs ?? evaluating.endNs ?? endNs,
    attributes: { [ATTR.nixFlakeOutput]: o.output },
  }));
  const attributes = { [ATTR.nixFlake]: flake, [ATTR.nixSystem]: system, [ATTR.nixFlakeOutputsCount]: children.length };
  return { evaluation: { name: "evaluating flake", startNs: evaluating.startNs, endNs: evaluating.endNs ?? endNs, attributes, children } };
}
