// What the critical path and the build-slot chart need from nix besides the builds it reported: which
// built derivation needed which (the store's .drv references) and --max-jobs as nix resolved it. Asked
// once nix has built; a question nix cannot answer leaves that part unknown (said in the report), never
// the run unrecorded.
import { storeArgs } from "../nix/build.js";
import type { BuildActivity } from "../nix/builds.js";
import { builtDerivationInputs } from "../nix/derivation-inputs.js";
import { maxJobsOf } from "../nix/max-jobs.js";
import { NixotelError } from "../errors.js";
import type { Asked, TimingFacts } from "../timing/run-timing.js";
import type { Driven } from "./driven.js";
import type { RunDependencies, RunRequest } from "./request.js";

async function ask<T>(question: () => Promise<T>): Promise<Asked<T>> {
  try {
    return { value: await question() };
  } catch (error) {
    if (error instanceof NixotelError) return { problem: error.message.split("\n")[0] ?? error.message };
    throw error;
  }
}

export async function gatherTiming(
  request: RunRequest,
  driven: Driven,
  builds: readonly Readonly<BuildActivity>[],
  endNs: bigint,
  { context }: RunDependencies,
): Promise<TimingFacts> {
  const where = { cwd: context.cwd, env: context.env };
  const built = [...new Set(builds.map((b) => b.drvPath))];
  // An interrupted run is recorded at once: nix is not asked again.
  const notAsked = { problem: context.signal.aborted ? "the run was interrupted" : "nothing was built" };
  const [inputs, maxJobs] =
    built.length && !context.signal.aborted
      ? await Promise.all([ask(() => builtDerivationInputs(built, storeArgs(request), where)), ask(() => maxJobsOf(request.jobs, where))])
      : [notAsked, notAsked];
  return {
    startNs: driven.startNs,
    buildStartNs: driven.buildStartNs,
    endNs,
    builds,
    checkNames: new Map(driven.checks.map((c) => [c.drvPath, c.name])),
    inputs,
    maxJobs,
    maxJobsFrom: request.jobs === undefined ? "nix" : "--max-jobs",
    substitutions: driven.cache?.substitutions ?? [],
  };
}
