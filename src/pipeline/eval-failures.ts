// Outputs `nix flake check` could not evaluate, as failed checks: a broken check keeps its check
// name (test.<suite>.<name>), any other output is named by its attribute path in suite "flake".
import { checkAttr, checkInfo } from "../nix/checks.js";
import { headline, type EvalError, type OutputCheck } from "../nix/flake-check.js";
import { LOG_TAIL_LINES, type CheckOutcome } from "./outcomes.js";

export const OUTPUTS_SUITE = "flake";

export interface EvalFailureContext {
  flake: string;
  system: string;
  outputs: readonly OutputCheck[];
}

export function evalFailure(error: EvalError, where: EvalFailureContext): CheckOutcome {
  const prefix = `checks.${where.system}.`;
  const isCheck = error.attr.startsWith(prefix) && error.attr.length > prefix.length;
  const output = where.outputs.find((o) => o.output === error.output);
  const name = isCheck ? error.attr.slice(prefix.length) : error.attr;
  // nix names the attribute unquoted (checks.x86_64-linux.php8.2): quote a check's name again.
  const attr = isCheck ? checkAttr(where.system, name) : error.attr;
  return {
    // Nothing was built: no drv or out path; a broken check stays in the default suite.
    check: checkInfo(where.flake, attr, name, { drv: "", out: "", suite: isCheck ? null : OUTPUTS_SUITE }),
    status: "fail",
    cached: false,
    // From the start of checking its output to when nix reported the error.
    startNs: output?.startNs ?? error.timeNs,
    endNs: error.timeNs,
    errorType: "eval_failed",
    message: headline(error.message),
    logTail: error.message.split("\n").slice(0, LOG_TAIL_LINES),
    subtests: [],
    problems: [],
  };
}

/** The names of checks.<system> that failed to evaluate: nix did not build them. */
export const brokenCheckNames = (errors: readonly EvalError[], system: string) =>
  errors.filter((e) => e.attr.startsWith(`checks.${system}.`)).map((e) => e.attr.slice(`checks.${system}.`.length));
