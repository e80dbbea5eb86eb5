// `--shard I/N`: this job builds the I-th of N parts of the checks, so N CI jobs together build each
// check exactly once. Every shard computes the same split from the same input: the check names and,
// when the run folder holds earlier runs, their durations (longest first, each to the least loaded
// shard); without history, round-robin over the sorted names. Shards must see the same history (one
// cache key, or none) to agree; run.json records which basis each used.
import type { Context } from "../context.js";
import type { CheckInfo } from "../nix/checks.js";
import { resolveOutDir } from "../runs/files.js";
import type { Shard } from "./shard-flag.js";
import { incomingParent } from "../spans/trace-context.js";

export type ShardBasis = "durations" | "names";

/** What run.json records of a shard: which part, and what the split was based on. */
export interface ShardFacts extends Shard {
  basis: ShardBasis;
}

/** Which shard (0-based) each name goes to. Durations in ms by name; a name without one counts as the
 * median of the known ones, so a new check does not pile onto one shard. */
export function assignShards(names: readonly string[], count: number, durations: ReadonlyMap<string, number>): Map<string, number> {
  const sorted = [...new Set(names)].sort();
  const assigned = new Map<string, number>();
  const known = sorted.filter((n) => durations.has(n));
  if (known.length === 0) {
    sorted.forEach((name, i) => assigned.set(name, i % count));
    return assigned;
  }
  const values = known.map((n) => durations.get(n)!).sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)]!;
  const cost = (name: string) => durations.get(name) ?? median;
  const load = new Array<number>(count).fill(0);
  // Longest first (ties by name), each to the least loaded shard (ties to the lowest index).
  for (const name of [...sorted].sort((a, b) => cost(b) - cost(a) || (a < b ? -1 : 1))) {
    const target = load.indexOf(Math.min(...load));
    assigned.set(name, target);
    load[target]! += cost(name);
  }
  return assigned;
}

/** The checks of `shard`, and what the split was based on. */
export function checksOfShard(
  checks: readonly CheckInfo[],
  shard: Shard,
  durations: ReadonlyMap<string, number>,
): { checks: CheckInfo[]; basis: ShardBasis } {
  const assigned = assignShards(
    checks.map((c) => c.name),
    shard.count,
    durations,
  );
  const basis = checks.some((c) => durations.has(c.name)) ? "durations" : "names";
  return { checks: checks.filter((c) => assigned.get(c.name) === shard.index - 1), basis };
}

/** The discovered checks cut down to the request's shard (all of them without --shard). Runs of this
 * pipeline (the trace TRACEPARENT names) are not history: a shard run before this one in the same
 * folder must not change the split. */
export async function forShard<T extends { checks: CheckInfo[] }>(
  found: T,
  shard: Shard | undefined,
  out: string | undefined,
  context: Context,
): Promise<T & { shard?: ShardFacts }> {
  if (!shard) return found;
  // Earlier runs are read only for --shard.
  const { checkDurations } = await import("../runs/history.js");
  const durations = await checkDurations(resolveOutDir(context.cwd, out), incomingParent(context.env)?.traceId);
  const { checks, basis } = checksOfShard(found.checks, shard, durations);
  context.stderr(
    `nixotel: shard ${shard.index}/${shard.count}: ${checks.length} of ${found.checks.length} checks (split by ${basis === "durations" ? "earlier durations" : "name"})\n`,
  );
  return { ...found, checks, shard: { ...shard, basis } };
}
