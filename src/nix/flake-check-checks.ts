// After `nix flake check`: each check's drv path, out path and suite, to join builds and store
// results to check names. Checks nix already reported as failing evaluation are skipped, the rest
// are wrapped in tryEval, so one broken check does not hide the others.
import { checkDetails } from "./check-details.js";
import { checkAttr, checkInfo, type CheckInfo } from "./checks.js";
import type { ToolEnvironment } from "../process.js";

export interface FlakeChecks {
  checks: CheckInfo[];
  /** Checks whose evaluation failed here though nix did not say so (tryEval caught it). */
  unevaluated: string[];
  /** `builtins.nixVersion` of the evaluating nix (which form of a derivation installable it takes). */
  nixVersion?: string;
}

export async function flakeCheckChecks(
  flake: string,
  system: string,
  skip: readonly string[],
  evalArgs: readonly string[],
  where: ToolEnvironment,
): Promise<FlakeChecks> {
  const query = { system, wanted: null, skip, tolerant: true };
  const { details, nixVersion } = await checkDetails(flake, query, evalArgs, where, `Evaluating the checks of ${flake}`);
  const checks: CheckInfo[] = [];
  const unevaluated: string[] = [];
  for (const [name, detail] of Object.entries(details)) {
    if (detail) checks.push(checkInfo(flake, checkAttr(system, name), name, detail));
    else unevaluated.push(name);
  }
  return { checks, unevaluated, nixVersion };
}
