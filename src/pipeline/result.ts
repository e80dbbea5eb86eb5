// A run's result and exit code from what nix did and what happened to each check.
import type { ExitCode } from "../errors.js";
import type { RunRecord } from "../runs/record.js";
import type { Driven } from "./driven.js";
import type { CheckOutcome } from "./outcomes.js";
import type { SettledBuilds } from "./settle.js";

export type Result = RunRecord["result"];

export function resultOf(driven: Driven, builds: SettledBuilds, outcomes: readonly CheckOutcome[]): Result {
  if (driven.cancelled) return "cancellation";
  if (driven.timedOut) return "timeout";
  const built = driven.exitCode !== undefined;
  if (outcomes.some((o) => o.status !== "pass")) {
    // nix failed without any build or evaluation failing: not a test result but a nix problem (e.g. bad --builders).
    const testFailed = builds.some((b) => b.failed) || outcomes.some((o) => o.errorType === "eval_failed");
    return testFailed || !built || driven.exitCode === 0 ? "failure" : "error";
  }
  // nix failed though every check passed (an error nixotel does not attribute): not a success.
  return built && driven.exitCode !== 0 ? "error" : "success";
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
