// What flaky and quarantined checks mean for the run's result: a quarantined check is fully reported
// but its failure does not fail the run; a flaky check (failed, then passed on a retry) passes the run
// unless --fail-on-flaky. Under run --repeat N a failed repetition fails the run, quarantined or not:
// the run was asked to measure the check, not to keep CI green.
import type { CheckOutcome } from "./outcomes.js";
import type { RunRequest } from "./request.js";
import type { Result } from "./result.js";

export function withPolicy(
  result: Result,
  outcomes: readonly CheckOutcome[],
  request: Pick<RunRequest, "failOnFlaky" | "quarantine" | "repeat">,
): { result: Result; outcomes: CheckOutcome[] } {
  const marked = outcomes.map((o) => markQuarantined(o, request));
  // A --repeat run is asked to measure: any failed repetition fails it, quarantined or not.
  if (request.repeat) return { result, outcomes: marked };
  const counted = marked.filter((o) => o.quarantine === undefined);
  if (result === "failure" && counted.every((o) => o.status === "pass")) return { result: "success", outcomes: marked };
  if (result === "success" && request.failOnFlaky && counted.some((o) => o.flaky)) return { result: "failure", outcomes: marked };
  return { result, outcomes: marked };
}

/** The outcome with why its check is quarantined (nixotel.json), when it is. */
export function markQuarantined(outcome: CheckOutcome, request: Pick<RunRequest, "quarantine">): CheckOutcome {
  const reason = request.quarantine?.[outcome.check.name];
  return reason === undefined ? outcome : { ...outcome, quarantine: reason };
}
