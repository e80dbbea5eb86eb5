// The parsers on recorded samples: nix 2.8's internal-json stream and the driver's log lines.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { drvPathsIn, parseNixLine } from "../../src/nix/activity.js";
import { BuildTracker, type LogLine } from "../../src/nix/builds.js";
import { parseDriverLog } from "../../src/ingest/driver-log.js";
import { reparent } from "../../src/ingest/ingest.js";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";

// Recorded from `nix build --keep-going --log-format internal-json` of the mixed fixture (Nix 2.8).
const SAMPLE = readFileSync(join(import.meta.dirname, "samples", "nix-2.8-mixed.internal-json"), "utf8")
  .trim()
  .split("\n");

function replay(lines: readonly string[]) {
  let tick = 0n;
  const tracker = new BuildTracker({}, () => (tick += 1_000_000n)); // each line 1 ms after the previous
  for (const line of lines) tracker.handle(parseNixLine(line));
  tracker.closeOpen();
  return tracker;
}

describe("internal-json", () => {
  test("parses start, stop, result and msg lines; other lines are plain", () => {
    expect(parseNixLine('@nix {"action":"stop","id":7}')).toEqual({ action: "stop", id: 7 });
    expect(parseNixLine("warning: something")).toEqual({ action: "plain", text: "warning: something" });
    expect(parseNixLine("@nix {broken")).toEqual({ action: "plain", text: "@nix {broken" });
    expect(drvPathsIn("error: builder for '\x1b[35;1m/nix/store/abc-fail.drv\x1b[0m' failed")).toEqual(["/nix/store/abc-fail.drv"]);
  });

  test("finds every build with its log lines, phases and failure", () => {
    const tracker = replay(SAMPLE);
    const name = (drv: string) => drv.replace(/^.*\/[0-9a-z]{32}-/, "");
    expect(tracker.builds.map((b) => name(b.drvPath))).toEqual(["shared-dep.drv", "fail.drv", "pass.drv", "slow.drv"]);
    const [shared, fail, pass, slow] = tracker.builds;
    expect(fail?.failed).toBe(true);
    expect([shared, pass, slow].map((b) => b?.failed)).toEqual([false, false, false]);
    expect(pass?.phases.map((p) => p.name)).toEqual(["buildPhase", "installPhase"]);
    expect(pass?.lines.map((l) => l.text)).toContain("subtest: start the machine"); // ANSI stripped
    expect(tracker.errors.some((e) => e.startsWith("error: builder for"))).toBe(true);
  });

  test("ends top-level builds when nix's progress says so, not at nix's late stop", () => {
    const tracker = replay(SAMPLE);
    const stopIndex = (drv: string) => {
      const start = SAMPLE.find((l) => l.includes('"type":105') && l.includes(drv))!;
      const id = JSON.parse(start.slice(5)).id;
      return SAMPLE.findIndex((l) => l === `@nix {"action":"stop","id":${id}}`);
    };
    const fail = tracker.builds[1]!;
    // Nix 2.8 stops fail's activity only at the very end; its end must come well before that.
    expect(Number(fail.endNs! / 1_000_000n)).toBeLessThan(stopIndex("fail.drv"));
    for (const build of tracker.builds) expect(build.endNs! >= build.startNs).toBe(true);
  });
});

describe("a build stopped by --timeout (Nix 2.8 prints no failure message before it is killed)", () => {
  // Recorded: `nix build --keep-going --max-jobs 3` of the interrupt fixture's fail and slow, SIGTERM after 3 s.
  const stopped = readFileSync(join(import.meta.dirname, "samples", "nix-2.8-timeout.internal-json"), "utf8")
    .trim()
    .split("\n");

  test("the failed counter marks the build that just ended as failed; the one cut short is interrupted", () => {
    const tracker = replay(stopped);
    tracker.stopped();
    expect(tracker.errors.some((e) => e.includes("builder for"))).toBe(false);
    const [fail, slow] = tracker.builds;
    expect(fail?.drvPath).toMatch(/-fail\.drv$/);
    expect([fail?.failed, fail?.interrupted]).toEqual([true, undefined]);
    expect([slow?.failed, slow?.interrupted]).toEqual([false, true]);
    // slow started before fail printed anything: the build heard from last is the one that ended.
    expect(fail!.endNs! < slow!.endNs!).toBe(true);
  });

  test("a fresh line of another build read in the same pass as the failed one's end does not take the blame", () => {
    // nix reads fail's EOF and slow's first line in one pass, then counts the failure.
    const waiting = stopped.find((l) => l.includes("subtest: wait for it"))!;
    const failedCount = stopped.findIndex((l) => l.includes('"fields":[0,1,1,1]'));
    const raced = stopped.filter((l) => l !== waiting);
    raced.splice(failedCount - 1, 0, waiting);
    const tracker = replay(raced);
    tracker.stopped();
    const [fail, slow] = tracker.builds;
    expect([fail?.failed, slow?.failed, slow?.interrupted]).toEqual([true, false, true]);
  });
});

const at = (lines: string[]): LogLine[] => lines.map((text, i) => ({ text, timeNs: BigInt(i) * 1_000_000_000n }));

describe("driver log lines", () => {
  test("nested subtests with durations from the finished lines", () => {
    const log = parseDriverLog(
      at([
        "\x1b[1;32msubtest: outer\x1b[0m",
        "machine: must succeed: true",
        "subtest: inner",
        "(finished: subtest: inner, in 0.25 seconds)",
        "(finished: subtest: outer, in 3.00 seconds)",
      ]),
      10_000_000_000n,
      false,
    );
    expect(log.subtests).toEqual([
      {
        name: "outer",
        startNs: 0n,
        endNs: 3_000_000_000n,
        status: "pass",
        children: [{ name: "inner", startNs: 2_000_000_000n, endNs: 2_250_000_000n, status: "pass", children: [] }],
      },
    ]);
  });

  test("a failing subtest has no finished line: it fails with the error, ending at that line", () => {
    const log = parseDriverLog(
      at(["subtest: a", "(finished: subtest: a, in 0.50 seconds)", "subtest: b", '\x1b[31m!!! \x1b[0mTest "b" failed with error: "x"']),
      9n * 1_000_000_000n,
      true,
    );
    expect(log.subtests.map((s) => [s.name, s.status, s.error, s.endNs])).toEqual([
      ["a", "pass", undefined, 500_000_000n],
      ["b", "fail", 'Test "b" failed with error: "x"', 3_000_000_000n],
    ]);
    expect(log.errors).toEqual(['Test "b" failed with error: "x"']);
  });

  test("older drivers print errors without `!!! `; -L prefixes are removed", () => {
    const log = parseDriverLog(at(["vm-test-run-x> subtest: c", 'Test "c" failed with error: "y"']), 5_000_000_000n, true);
    expect(log.subtests[0]).toMatchObject({ name: "c", status: "fail", error: 'Test "c" failed with error: "y"' });
  });
});

describe("OTLP JSON ingestion", () => {
  const line = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "vm" } }] },
        scopeSpans: [
          {
            scope: { name: "s" },
            spans: [
              {
                traceId: "0af7651916cd43dd8448eb211c80319c",
                spanId: "b7ad6b7169203331",
                name: "root",
                startTimeUnixNano: "10",
                endTimeUnixNano: "20",
                attributes: [{ key: "n", value: { intValue: "3" } }],
              },
              {
                traceId: "CvdlGRbNQ92ESOshHIAxnA==",
                spanId: "t61rcWkgMzI=",
                parentSpanId: "b7ad6b7169203331",
                name: "child",
                startTimeUnixNano: "11",
                endTimeUnixNano: "12",
              },
              { traceId: "nope", spanId: "b7ad6b7169203333", name: "bad", startTimeUnixNano: "1" },
            ],
          },
        ],
      },
    ],
  });

  test("reads hex and base64 ids, int values and the resource; reports bad spans", () => {
    const { spans, problems } = parseOtlpJsonLine(line);
    expect(spans.map((s) => [s.name, s.traceId, s.spanId, s.parentSpanId])).toEqual([
      ["root", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", undefined],
      ["child", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203332", "b7ad6b7169203331"],
    ]);
    expect(spans[0]?.attributes).toEqual({ n: 3 });
    expect(spans[0]?.resource).toEqual({ "service.name": "vm" });
    expect(problems).toEqual([
      'span "bad": no valid traceId (expected ids of 32 and 16 hex digits, a name, times as unsigned 64-bit nanoseconds); left out',
    ]);
  });

  test("re-parenting: the run's trace id, fresh ids, roots under the check, duplicates dropped", () => {
    const { spans } = parseOtlpJsonLine(line);
    const out = reparent([...spans, spans[0]!], "f".repeat(32), "c".repeat(16));
    expect(out).toHaveLength(2);
    expect(out.every((s) => s.traceId === "f".repeat(32))).toBe(true);
    expect(out[0]?.parentSpanId).toBe("c".repeat(16));
    expect(out[1]?.parentSpanId).toBe(out[0]?.spanId);
    expect(out.map((s) => s.spanId)).not.toContain("b7ad6b7169203331");
    expect([out[0]?.startNs, out[0]?.endNs]).toEqual([10n, 20n]);
  });
});
