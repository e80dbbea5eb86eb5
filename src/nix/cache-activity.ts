// The time nix spends not building: asking binary caches which paths they have, and substituting
// paths from them. Follows the same internal-json stream as BuildTracker (recorded in
// tests/runner/samples/nix-2.8-substitute.internal-json and nix-2.8-offline-substituter.*).
import { ActivityType, drvName, type NixEvent } from "./activity.js";
import { nowNs, type Clock } from "../clock.js";
import { ATTR } from "../spans/vocabulary.js";

const QUERY_MISSING = "querying info about missing paths";

export interface Substitution {
  storePath: string;
  substituter: string;
  startNs: bigint;
  endNs?: bigint;
}

/** One stretch of cache queries: from the first query nix opens until none is open. */
export interface CacheQuery {
  startNs: bigint;
  endNs?: bigint;
  /** QueryPathInfo activities (one per path and cache). */
  paths: number;
  /** nix really asked a cache (a QueryPathInfo or a download); with no substituters it asks none. */
  askedCache: boolean;
}

/** What a run hands on to its trace. */
export interface CacheActivities {
  readonly substitutions: readonly Substitution[];
  readonly queries: readonly CacheQuery[];
}

/** Shorter activities are left out of the trace (a local cache answers in about a millisecond). */
export const MIN_CACHE_SPAN_NS = 10_000_000n;

export class CacheTracker implements CacheActivities {
  readonly substitutions: Substitution[] = [];
  readonly queries: CacheQuery[] = [];
  private readonly openSubstitutions = new Map<number, Substitution>();
  private readonly openQueries = new Set<number>();
  private burst?: CacheQuery;

  constructor(private readonly clock: Clock = nowNs) {}

  handle(event: NixEvent): void {
    if (event.action === "start") {
      if (event.type === ActivityType.Substitute) {
        const [storePath, substituter] = event.fields.map(String);
        const substitution = { storePath: storePath ?? "", substituter: substituter ?? "", startNs: this.clock() };
        this.substitutions.push(substitution);
        this.openSubstitutions.set(event.id, substitution);
      } else if (event.type === ActivityType.QueryPathInfo || (event.type === 0 && event.text === QUERY_MISSING)) {
        if (!this.burst) this.queries.push((this.burst = { startNs: this.clock(), paths: 0, askedCache: false }));
        this.openQueries.add(event.id);
        if (event.type === ActivityType.QueryPathInfo) Object.assign(this.burst, { paths: this.burst.paths + 1, askedCache: true });
      } else if (event.type === ActivityType.FileTransfer && this.burst) {
        this.burst.askedCache = true; // e.g. `nix-cache-info` of an http cache, retried while offline
      }
    } else if (event.action === "stop") {
      const substitution = this.openSubstitutions.get(event.id);
      if (substitution) {
        substitution.endNs = this.clock();
        this.openSubstitutions.delete(event.id);
      }
      if (this.openQueries.delete(event.id) && this.openQueries.size === 0) this.endBurst(this.clock());
    }
  }

  /** nix ended (or was killed) with activities still open: they end now. */
  closeOpen(): void {
    const time = this.clock();
    for (const substitution of this.openSubstitutions.values()) substitution.endNs = time;
    this.openSubstitutions.clear();
    this.openQueries.clear();
    this.endBurst(time);
  }

  private endBurst(time: bigint): void {
    if (this.burst) this.burst.endNs = time;
    this.burst = undefined;
  }
}

/** A finished stretch of cache work worth a span: `substitute <name>` or `nix: query binary caches`. */
export interface CacheSpan {
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number>;
}

export function cacheSpans(cache: CacheActivities): CacheSpan[] {
  const long = <T extends { startNs: bigint; endNs?: bigint }>(a: T): a is T & { endNs: bigint } =>
    a.endNs !== undefined && a.endNs - a.startNs >= MIN_CACHE_SPAN_NS;
  return [
    ...cache.queries
      .filter(long)
      .filter((q) => q.askedCache)
      .map((q) => ({
        name: "nix: query binary caches",
        startNs: q.startNs,
        endNs: q.endNs,
        attributes: { [ATTR.nixQueryPaths]: q.paths },
      })),
    ...cache.substitutions.filter(long).map((s) => ({
      name: `substitute ${drvName(s.storePath)}`,
      startNs: s.startNs,
      endNs: s.endNs,
      attributes: { [ATTR.nixStorePath]: s.storePath, [ATTR.nixSubstituter]: s.substituter },
    })),
  ].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
}
