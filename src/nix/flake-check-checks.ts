// After `nix flake check`: each check's drv path, out path and suite, to join builds and store
// results to check names. Checks nix already reported as failing evaluation are skipped, the rest
// are wrapped in tryEval, so one broken check does not hide the others.
import type { CheckInfo } from "./checks.js";
import { checkAttr, DEFAULT_SUITE, installableOf, nixString } from "./checks.js";
import { nixOutput, type ToolEnvironment } from "./process.js";

const detailsExpr = (system: string, skip: readonly string[]) => `all: let
  cs = all.\${${nixString(system)}} or { };
  skip = [ ${skip.map(nixString).join(" ")} ];
  names = builtins.filter (n: !(builtins.elem n skip)) (builtins.attrNames cs);
  detail = c: let d = { drv = c.drvPath; out = c.outPath; suite = if c ? nixotel && c.nixotel ? suite then c.nixotel.suite else null; };
    r = builtins.tryEval (builtins.deepSeq d d); in if r.success then r.value else null;
in builtins.listToAttrs (map (n: { name = n; value = detail cs.\${n}; }) names)`;

export interface FlakeChecks {
  checks: CheckInfo[];
  /** Checks whose evaluation failed here though nix did not say so (tryEval caught it). */
  unevaluated: string[];
}

export async function flakeCheckChecks(
  flake: string,
  system: string,
  skip: readonly string[],
  evalArgs: readonly string[],
  where: ToolEnvironment,
): Promise<FlakeChecks> {
  const json = await nixOutput(
    ["eval", ...evalArgs, "--json", `${flake}#checks`, "--apply", detailsExpr(system, skip)],
    where,
    `Evaluating the checks of ${flake}`,
  );
  const details = JSON.parse(json) as Record<string, { drv: string; out: string; suite: string | null } | null>;
  const checks: CheckInfo[] = [];
  const unevaluated: string[] = [];
  for (const [name, detail] of Object.entries(details)) {
    if (!detail) {
      unevaluated.push(name);
      continue;
    }
    const attr = checkAttr(system, name);
    checks.push({
      name,
      attr,
      installable: installableOf(flake, attr),
      drvPath: detail.drv,
      outPath: detail.out,
      suite: detail.suite ?? DEFAULT_SUITE,
    });
  }
  return { checks, unevaluated };
}
