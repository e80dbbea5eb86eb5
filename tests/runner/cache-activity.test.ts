// Binary cache queries and substitutions as spans, on recorded Nix 2.8 internal-json streams.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseNixLine } from "../../src/nix/activity.js";
import { CacheTracker, cacheSpans } from "../../src/nix/cache-activity.js";
import type { CheckOutcome } from "../../src/pipeline/outcomes.js";
import { runSpans, type RunFacts } from "../../src/spans/tree.js";

const lines = (file: string) =>
  readFileSync(join(import.meta.dirname, "samples", file), "utf8")
    .trim()
    .split("\n");

function replay(stream: readonly string[], msPerLine: number) {
  let tick = 0n;
  const tracker = new CacheTracker(() => (tick += BigInt(msPerLine) * 1_000_000n));
  for (const line of stream) tracker.handle(parseNixLine(line));
  tracker.closeOpen();
  return tracker;
}

// Recorded: `nix build --option substituters file:///tmp/subst-rec/cache --option require-sigs false`
// of the mixed fixture's `pass`, after `nix copy --to` that cache and `nix store delete` of its output.
const SUBSTITUTE = lines("nix-2.8-substitute.internal-json");
const OUT = "/nix/store/ibf1aw9bxyzr6jb1f2ngrcy843k1glxa-pass";
const CACHE = "file:///tmp/subst-rec/cache";

describe("a path substituted from a binary cache", () => {
  test("is one substitution with its store path and cache, after one query of the cache", () => {
    const tracker = replay(SUBSTITUTE, 20);
    expect(tracker.substitutions).toMatchObject([{ storePath: OUT, substituter: CACHE }]);
    expect(tracker.queries).toMatchObject([{ paths: 1, askedCache: true }]);
    expect(cacheSpans(tracker).map((s) => [s.name, s.attributes])).toEqual([
      ["nix: query binary caches", { "nix.query.paths": 1 }],
      [`substitute pass`, { "nix.store_path": OUT, "nix.substituter": CACHE }],
    ]);
  });

  test("activities shorter than 10 ms leave no span", () => {
    expect(cacheSpans(replay(SUBSTITUTE, 1))).toEqual([]);
  });

  test("marks the check whose output it is as substituted, timed by the substitution, under the run", () => {
    const tracker = replay(SUBSTITUTE, 20);
    const check = {
      name: "pass",
      attr: "checks.x86_64-linux.pass",
      installable: "",
      drvPath: "/nix/store/x-pass.drv",
      outPath: OUT,
      suite: "s",
    };
    const outcome: CheckOutcome = {
      check,
      status: "pass",
      cached: false,
      startNs: 0n,
      endNs: 10n ** 12n,
      logTail: [],
      problems: [],
      subtests: [],
    };
    const ids = { command: "run", runId: "r", traceId: "0af7651916cd43dd8448eb211c80319c", flake: ".", system: "x86_64-linux" } as const;
    const run: RunFacts = { ...ids, startNs: 0n, endNs: 10n ** 12n, result: "success", dependencyBuilds: [], cache: tracker };
    const spans = runSpans(run, [outcome]);
    const root = spans.find((s) => s.name === "nixotel run")!;
    const checkSpan = spans.find((s) => s.name === "test.s.pass")!;
    expect(checkSpan.attributes["nix.substituted"]).toBe(true);
    const substitution = tracker.substitutions[0]!;
    expect([checkSpan.startNs, checkSpan.endNs]).toEqual([substitution.startNs, substitution.endNs]);
    expect(spans.filter((s) => s.parentSpanId === root.spanId).map((s) => s.name)).toEqual([
      "nix: query binary caches",
      "substitute pass",
      "test.s.pass",
    ]);
    // A check nix did not substitute says nothing about it.
    const other = runSpans(run, [{ ...outcome, check: { ...check, outPath: "/nix/store/y-other" } }]);
    expect(other.find((s) => s.name === "test.s.pass")!.attributes).not.toHaveProperty("nix.substituted");
  });
});

describe("an unreachable binary cache (the wait before the first build)", () => {
  // Recorded with each line's arrival time (`<unix seconds> @nix …`): `nix build --option substituters
  // http://127.0.0.1:1` of a fresh `pass`; nix retries `nix-cache-info` for ~4.6 s, then builds.
  const timed = lines("nix-2.8-offline-substituter.timed-internal-json").map((l) => {
    const [seconds = "", ...rest] = l.split(" ");
    return { timeNs: BigInt(seconds.replace(".", "")), line: rest.join(" ") };
  });

  test("is one `nix: query binary caches` span lasting as long as nix waited", () => {
    let index = 0;
    const tracker = new CacheTracker(() => timed[index]!.timeNs);
    for (; index < timed.length; index++) tracker.handle(parseNixLine(timed[index]!.line));
    const query = timed.find((t) => t.line.includes("querying info about missing paths"))!;
    const queryId = JSON.parse(query.line.slice(5)).id;
    const stop = timed.find((t) => t.line === `@nix {"action":"stop","id":${queryId}}`)!;
    expect(cacheSpans(tracker)).toEqual([
      { name: "nix: query binary caches", startNs: query.timeNs, endNs: stop.timeNs, attributes: { "nix.query.paths": 0 } },
    ]);
  });
});

test("no substituters configured: nix's query of missing paths asks no cache and leaves no span", () => {
  const tracker = replay(lines("nix-2.8-mixed.internal-json"), 20);
  expect(tracker.queries.length).toBeGreaterThan(0);
  expect(tracker.queries.every((q) => !q.askedCache)).toBe(true);
  expect(cacheSpans(tracker)).toEqual([]);
});
