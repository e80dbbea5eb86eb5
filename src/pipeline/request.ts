// What a run is asked to do, whichever command asked: `run`, `check` or `run --interactive`.
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import type { LogLimits } from "../logs/model.js";
import type { CheckInfo } from "../nix/checks.js";
import type { CheckOutcome } from "./outcomes.js";
import type { ShardFacts } from "./shard.js";
import type { Shard } from "./shard-flag.js";

/** Where the flake is and how nix builds it. */
export interface BuildSettings {
  flake: string;
  system?: string;
  /** nix's --max-jobs: 0 builds only on remote builders, auto one job per core. */
  jobs?: number | "auto";
  junit?: string;
  out?: string;
  timeout?: number;
  builders?: string;
  store?: string;
  evalStore?: string;
}

export interface RunRequest extends BuildSettings {
  command: "run" | "check";
  /** Check names to build; empty for all. */
  checks: readonly string[];
  /** `--shard I/N`: build only this part of the checks. */
  shard?: Shard;
  /** Build a failed check again up to this many times; passing on a retry makes it flaky. */
  retries?: number;
  /** run --repeat N: build each named check N times, each repetition its own derivation. */
  repeat?: number;
  /** A flaky check fails the run (by default it passes, reported flaky). */
  failOnFlaky?: boolean;
  /** Checks known to be flaky, by name, with why (a link): reported, but they do not fail the run. */
  quarantine?: Readonly<Record<string, string>>;
  /** How much of each check's log becomes log records (nixotel.json `logs`); defaults without it. */
  logLimits?: LogLimits;
}

/** Whether the run makes log records of its checks' logs (on unless nixotel.json turns them off). */
export const logsEnabled = (request: RunRequest) => request.logLimits?.enabled !== false;

/** What a run may touch of the outside world, passed in so tests can run it in-process. */
export interface RunDependencies {
  context: Context;
  clock: Clock;
  /** The run's record written as it goes (src/pipeline/streaming-record.ts); drivers that can tell a
   * check's end while nix builds (`run`) report to it. Absent: everything is recorded at the end. */
  stream?: RunStream;
}

/** What a driver tells the record while nix builds. */
export interface RunStream {
  /** The run's trace id, chosen when the run started (the CI job's, under TRACEPARENT). */
  readonly traceId: string;
  /** Evaluation is over: these checks are to be built (run.json lists them as waiting). */
  planned(system: string, checks: readonly CheckInfo[], shard?: ShardFacts): void;
  /** nix started building the check. */
  building(check: CheckInfo): void;
  /** The check's outcome is final: its spans (and later its log records) are appended now. */
  settled(outcome: CheckOutcome): Promise<void>;
}
