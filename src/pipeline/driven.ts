// What driving nix (or a test driver) left behind, for the rest of the pipeline to judge: the one seam
// between "how the checks were built" (drive-*.ts) and "what that means" (execute-run.ts).
import type { BuildActivity } from "../nix/builds.js";
import type { CacheActivities } from "../nix/cache-activity.js";
import type { CheckInfo } from "../nix/checks.js";
import type { Phase } from "../spans/tree.js";
import type { CheckOutcome } from "./outcomes.js";
import type { RunDependencies, RunRequest } from "./request.js";
import type { ShardFacts } from "./shard.js";

/** What evaluation gave the build: the system, the derivations to build (one per check, or one per
 * repetition under --repeat), the evaluating nix's version (which installable form it builds) and the
 * part of the checks this job builds (--shard). */
export interface Evaluated {
  system: string;
  checks: CheckInfo[];
  nixVersion: string;
  shard?: ShardFacts;
}

export interface Driven {
  readonly system: string;
  /** The checks whose derivations were (to be) built. */
  readonly checks: readonly CheckInfo[];
  /** Every build nix reported, as the stream left them (not yet settled against the store). */
  readonly builds: readonly BuildActivity[];
  readonly cache?: CacheActivities;
  /** nix's own error messages. */
  readonly nixErrors: readonly string[];
  /** Check outputs valid before building (cached) and after it (passed). */
  readonly cachedBefore: ReadonlySet<string>;
  readonly validAfter: ReadonlySet<string>;
  /** When the command started, when building began, when it ended. */
  readonly startNs: bigint;
  readonly buildStartNs: bigint;
  readonly endNs: bigint;
  /** The exit code of the building command; undefined when nothing needed building. */
  readonly exitCode: number | undefined;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** What happened before the first build, as a span under the run. */
  readonly evaluation?: Phase;
  /** Outputs that could not be evaluated, as failed checks (`nix flake check`). */
  readonly evalFailures: readonly CheckOutcome[];
  /** Whether the checks' output folders can be read here (not with a remote --store). */
  readonly outputsReadable: boolean;
  /** The trace id, when it had to be known before the run (interactive: TRACEPARENT passed down). */
  readonly traceId?: string;
  /** The evaluation the checks were built from (`run`: before `nix build`; `check`: after `nix flake check`),
   * so a check can be built again without evaluating it again. */
  readonly evaluated?: Evaluated;
  /** The part of the checks this run built (`--shard`). */
  readonly shard?: ShardFacts;
  /** Checks judged while nix still built (by derivation), already recorded: judged again, they would differ. */
  readonly settled?: ReadonlyMap<string, CheckOutcome>;
  /** A last touch to each check's outcome, by the driver that knows more (interactive: its driver span). */
  readonly completeOutcome?: (outcome: CheckOutcome) => Promise<CheckOutcome>;
  /** The driver that built several derivations per check (run --repeat) gathers their outcomes back
   * into one per check. */
  readonly regroup?: (outcomes: readonly CheckOutcome[]) => CheckOutcome[];
}

/** Drives nix for a request; `executeRun` does the rest. */
export type Driver = (request: RunRequest, deps: RunDependencies) => Promise<Driven>;
