// How `nixotel run --repeat N CHECK…` drives nix: the named checks are evaluated once to know they
// exist, then N repetitions of each (src/nix/repetitions.ts: each its own derivation), and all of them
// are built in one `nix build --keep-going`, in parallel up to --jobs. The outcomes of a check's
// repetitions are gathered back into one per check (src/pipeline/repetitions.ts).
import { randomBytes } from "node:crypto";
import { environmentError, expected } from "../errors.js";
import { evalArgs } from "../nix/build.js";
import { derivationInstallable, discoverChecksOf } from "../nix/checks.js";
import { evaluateRepetitions } from "../nix/repetitions.js";
import { driveEvaluated } from "./drive-build.js";
import type { Driver } from "./driven.js";
import { gatherRepetitions, type RepetitionPlan } from "./repetitions.js";

export const driveRepeat: Driver = async (request, deps) => {
  const count = request.repeat ?? 1;
  let plans: RepetitionPlan[] = [];
  const driven = await driveEvaluated(request, deps, async (where) => {
    const args = evalArgs(request);
    const { system, checks } = await discoverChecksOf(
      { flake: request.flake, system: request.system, names: request.checks, evalArgs: args },
      where,
    );
    const token = randomBytes(6).toString("hex");
    const names = checks.map((c) => c.name);
    const { nixVersion, repetitions } = await evaluateRepetitions(request.flake, { system, checks: names, count, token }, args, where);
    plans = checks.map((base) => {
      const found = repetitions[base.name] ?? [];
      if (found.length !== count)
        throw environmentError(
          expected(`nix to describe ${count} repetitions of ${base.name}`, `${found.length}`, "Please report this as a nixotel bug."),
        );
      // Named `check #i` while they are built (the live progress line); gathered under the check's own name.
      const each = found.map((d, i) => ({
        ...base,
        name: `${base.name} #${i + 1}`,
        drvPath: d.drv,
        outPath: d.out,
        installable: derivationInstallable(d.drv, nixVersion),
      }));
      return { base, repetitions: each };
    });
    return { system, checks: plans.flatMap((p) => p.repetitions), nixVersion };
  });
  return { ...driven, regroup: (outcomes) => gatherRepetitions(plans, outcomes) };
};
