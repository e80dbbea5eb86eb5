// The store's word on the builds nix reported: a pure step from the stream's builds to settled ones.
import type { BuildActivity } from "../nix/builds.js";

declare const settled: unique symbol;
/** Builds whose verdicts the store has confirmed; only `settleBuilds` makes them, so outcomes can only
 * be judged after it ran. */
export type SettledBuilds = readonly Readonly<BuildActivity>[] & { readonly [settled]: true };

/** Once the store is asked, its word wins over nix's progress counters (they cannot tell which of several
 * builds ending in one pass of nix's loop ended how): a check's build with its output passed; one nix
 * counted as failed without it failed; one counted as done without it was mistaken for another, so it
 * ended like the builds nix never finished: cut short when nix was stopped, else failed. */
export function settleBuilds(
  builds: readonly BuildActivity[],
  checks: readonly { drvPath: string; outPath: string }[],
  valid: ReadonlySet<string>,
  stopped: boolean,
): SettledBuilds {
  const outPathOf = new Map(checks.map((c) => [c.drvPath, c.outPath]));
  return builds.map((build): BuildActivity => {
    const outPath = outPathOf.get(build.drvPath);
    if (outPath === undefined) return { ...build };
    if (valid.has(outPath)) return { ...build, failed: false, interrupted: false, completed: true };
    if (build.completed && !build.failed) return { ...build, completed: false, ...(stopped ? { interrupted: true } : { failed: true }) };
    return { ...build };
  }) as unknown as SettledBuilds;
}
