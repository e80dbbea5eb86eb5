// A run's result and exit code from what nix did and what happened to each check.
import type { ExitCode } from "../errors.js";
import type { BuildRun } from "../nix/build.js";
import type { RunRecord } from "../runs/record.js";
import type { CheckOutcome } from "./outcomes.js";

export type Result = RunRecord["result"];

export function resultOf(build: BuildRun | undefined, outcomes: readonly CheckOutcome[], cancelled: boolean): Result {
  if (cancelled || build?.cancelled) return "cancellation";
  if (build?.timedOut) return "timeout";
  if (outcomes.some((o) => o.status !== "pass")) {
    // nix failed without any build or evaluation failing: not a test result but a nix problem (e.g. bad --builders).
    const testFailed = (build?.tracker.builds.some((b) => b.failed) ?? false) || outcomes.some((o) => o.errorType === "eval_failed");
    return testFailed || !build || build.exitCode === 0 ? "failure" : "error";
  }
  return "success";
}

export const EXIT: Record<Result, ExitCode> = { success: 0, failure: 1, timeout: 1, error: 2, cancellation: 2 };

/** When nix failed before building anything (result `error`), no check failed: the ones that did not
 * pass were not run, so they are skipped (`cancelled`, no error type), and the run carries nix's message. */
export const notBlamed = (result: Result, outcomes: readonly CheckOutcome[]): CheckOutcome[] =>
  outcomes.map((o) => {
    if (result !== "error" || o.status === "pass" || o.errorType !== "dependency_failed") return o;
    const { errorType: _blame, ...rest } = o;
    return { ...rest, status: "cancelled", logTail: [] };
  });
