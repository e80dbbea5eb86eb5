// run --repeat: the outcomes of a check's repetitions (each judged like a check of its own) gathered
// into one outcome per check. The check failed if any repetition failed; its log tail is the first
// failing repetition's; its window spans them all.
import type { CheckInfo } from "../nix/checks.js";
import type { CheckOutcome } from "./outcomes.js";

/** A check and the derivations of its repetitions, in order (repetition i is at index i - 1). */
export interface RepetitionPlan {
  base: CheckInfo;
  repetitions: readonly CheckInfo[];
}

function statusOf(repetitions: readonly CheckOutcome[]): CheckOutcome["status"] {
  if (repetitions.some((r) => r.status === "fail")) return "fail";
  return repetitions.some((r) => r.status === "cancelled") ? "cancelled" : "pass";
}

function gather(plan: RepetitionPlan, byDrv: ReadonlyMap<string, CheckOutcome>): CheckOutcome {
  const repetitions = plan.repetitions.flatMap((info, i) => {
    const outcome = byDrv.get(info.drvPath);
    return outcome ? [{ ...outcome, repetition: i + 1 }] : [];
  });
  const status = statusOf(repetitions);
  const telling = repetitions.find((r) => r.status === status);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  return {
    check: plan.base,
    status,
    cached: repetitions.length > 0 && repetitions.every((r) => r.cached),
    startNs: repetitions.map((r) => r.startNs).reduce(min, repetitions[0]?.startNs ?? 0n),
    endNs: repetitions.map((r) => r.endNs).reduce(max, 0n),
    ...(telling?.errorType ? { errorType: telling.errorType } : {}),
    ...(telling?.message ? { message: telling.message } : {}),
    logTail: status === "pass" ? [] : (telling?.logTail ?? []),
    subtests: [],
    problems: repetitions.flatMap((r) => r.problems.map((p) => `repetition ${r.repetition}: ${p}`)),
    repetitions,
  };
}

/** One outcome per planned check, in plan order; outcomes of nothing planned pass through. */
export function gatherRepetitions(plans: readonly RepetitionPlan[], outcomes: readonly CheckOutcome[]): CheckOutcome[] {
  const byDrv = new Map(outcomes.map((o) => [o.check.drvPath, o]));
  const planned = new Set(plans.flatMap((p) => p.repetitions.map((r) => r.drvPath)));
  return [...plans.map((plan) => gather(plan, byDrv)), ...outcomes.filter((o) => !planned.has(o.check.drvPath))];
}
