// How `nixotel run` drives nix: evaluate the checks once (`nix eval`), ask the store which are cached,
// then ONE `nix build --keep-going --log-format internal-json` of the rest, followed live. nix builds
// the derivations the evaluation produced (not `<flake>#<attr>`), so no check is evaluated twice and
// any name nix accepts (quotes, backslashes, unicode) can be built.
import { encodeLinesAsTheyCome } from "../logs/encoded-lines.js";
import { buildChecks, nixStreamOptions, storeArgs } from "../nix/build.js";
import { allListeners } from "../nix/builds.js";
import { derivationInstallable, discoverChecksOf, type Discovered } from "../nix/checks.js";
import { validPaths } from "../nix/store.js";
import type { ToolEnvironment } from "../process.js";
import { evaluatingText, stepProgress, type StepProgress } from "../report/step-progress.js";
import { progressListener } from "../report/terminal.js";
import { ATTR } from "../spans/vocabulary.js";
import type { Driven, Driver, Evaluated } from "./driven.js";
import { discoveryOf } from "./early-discovery.js";
import { logsEnabled, type RunDependencies, type RunRequest } from "./request.js";
import { earlySettler } from "./settle-early.js";
import { forShard } from "./shard.js";

export const driveBuild: Driver = (request, deps) =>
  driveDiscovered((where) => discoverChecksOf(discoveryOf(request), where))(request, deps);

/** A discovery started before this module loaded (src/pipeline/early-discovery.ts): when it started,
 * and the progress that already said so. */
export interface Announced {
  startNs: bigint;
  steps: StepProgress;
}

/** Builds the checks `discover` finds (cut to the request's shard). */
export const driveDiscovered =
  (discover: (where: ToolEnvironment) => Promise<Discovered & { system: string }>, announced?: Announced): Driver =>
  (request, deps) =>
    driveEvaluated(request, deps, async (where) => forShard(await discover(where), request.shard, request.out, deps.context), announced);

/** Evaluates (the caller's way), then builds what is not cached in one `nix build`. */
export async function driveEvaluated(
  request: RunRequest,
  deps: RunDependencies,
  evaluate: (where: ToolEnvironment) => Promise<Evaluated>,
  announced?: Announced,
): Promise<Driven> {
  const { context, clock, stream } = deps;
  const startNs = announced?.startNs ?? clock();
  const where = { cwd: context.cwd, env: context.env };
  const steps = announced?.steps ?? stepProgress(context);
  if (!announced) steps.say(evaluatingText(request.flake));
  const { system, checks, nixVersion, shard } = await evaluate(where);
  const outPaths = checks.map((c) => c.outPath);
  const cachedBefore = await validPaths(outPaths, storeArgs(request), where);
  const buildStartNs = clock();
  stream?.planned(system, checks, shard);
  // Each check is recorded as it ends (when the run is recorded as it goes), not all at the end; under
  // --repeat a check is recorded once all its repetitions are gathered, at the end.
  const settler = stream && !request.repeat ? earlySettler(request, deps, stream, checks, cachedBefore) : undefined;

  const toBuild = checks.filter((c) => !cachedBefore.has(c.outPath));
  steps.say(`${checks.length} check${checks.length === 1 ? "" : "s"}: ${cachedBefore.size} cached, ${toBuild.length} to build`);
  steps.done();
  const byDrv = new Map(checks.map((c) => [c.drvPath, c.name]));
  const progress = progressListener(context, (drv) => byDrv.get(drv));
  const listener = allListeners(progress, ...(settler ? [settler.listener] : []), ...(logsEnabled(request) ? [encodeLinesAsTheyCome] : []));
  const build =
    toBuild.length > 0 && !context.signal.aborted
      ? await buildChecks(
          toBuild.map((c) => derivationInstallable(c.drvPath, nixVersion)),
          nixStreamOptions(request, context, listener),
        )
      : undefined;
  progress.done();
  // The checks settled early are still being written (their spans, their logs) while the store is asked
  // which outputs are valid; nothing built: the store is as it was (a second query would only cost time).
  const [settled, validAfter] = await Promise.all([
    settler?.drained(),
    build ? validPaths(outPaths, storeArgs(request), where) : cachedBefore,
  ]);
  return {
    system,
    checks,
    builds: build?.tracker.builds ?? [],
    ...(build ? { cache: build.cache } : {}),
    nixErrors: build?.tracker.errors ?? [],
    cachedBefore,
    validAfter,
    startNs,
    buildStartNs,
    endNs: clock(),
    exitCode: build?.exitCode,
    timedOut: build?.timedOut ?? false,
    cancelled: context.signal.aborted || (build?.cancelled ?? false),
    // Evaluation and the first store query: the time before nix starts building.
    evaluation: {
      name: "evaluate checks",
      startNs,
      endNs: buildStartNs,
      attributes: { [ATTR.nixFlake]: request.flake, [ATTR.nixSystem]: system, [ATTR.nixChecksCount]: checks.length },
    },
    evalFailures: [],
    outputsReadable: request.store === undefined,
    ...(shard ? { shard } : {}),
    ...(settled ? { settled } : {}),
    evaluated: { system, checks, nixVersion },
  };
}

/** Builds some of an evaluation's checks again, by the derivations it produced: nothing is evaluated
 * twice (--retries). */
export const rebuildEvaluated =
  (evaluated: Evaluated): Driver =>
  (request, deps) =>
    driveEvaluated(request, deps, async () => ({ ...evaluated, checks: evaluated.checks.filter((c) => request.checks.includes(c.name)) }));
