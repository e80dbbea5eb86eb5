// The span tree's timing rules, on hand-made outcomes (no nix needed).
import { expect, test } from "vitest";
import type { CheckOutcome } from "../../src/pipeline/outcomes.js";
import { runSpans, type RunFacts } from "../../src/spans/tree.js";

const s = (seconds: number) => BigInt(seconds * 1e9);
const run: RunFacts = {
  command: "run",
  runId: "20260101T000000Z-abcdef",
  traceId: "0af7651916cd43dd8448eb211c80319c",
  flake: "path:/f",
  system: "x86_64-linux",
  startNs: s(0),
  endNs: s(20),
  result: "success",
  dependencyBuilds: [],
};
const check = {
  name: "t",
  attr: "checks.x86_64-linux.t",
  installable: "path:/f#checks.x86_64-linux.t",
  drvPath: "/nix/store/x-t.drv",
  outPath: "/nix/store/x-t",
  suite: "s",
};
// A driver stating durations longer than the build nix saw: the subtests reach past the check.
const outcome = (cached: boolean): CheckOutcome => ({
  check,
  status: "pass",
  cached,
  startNs: s(5),
  endNs: s(10),
  logTail: [],
  problems: [],
  subtests: [
    {
      name: "outer",
      startNs: s(4),
      endNs: s(12),
      status: "pass",
      children: [{ name: "inner", startNs: s(9), endNs: s(11), status: "pass", children: [] }],
    },
  ],
});
const times = (cached: boolean) =>
  Object.fromEntries(
    runSpans(run, [outcome(cached)])
      .filter((span) => span.name.startsWith("subtest: "))
      .map((span) => [span.name, [Number(span.startNs / 1_000_000_000n), Number(span.endNs / 1_000_000_000n)]]),
  );

test("subtests from log lines are clamped into their check span, children into their parent", () => {
  expect(times(false)).toEqual({ "subtest: outer": [5, 10], "subtest: inner": [9, 10] });
});

test("a cached check's subtests keep the driver's durations", () => {
  expect(times(true)).toEqual({ "subtest: outer": [4, 12], "subtest: inner": [9, 11] });
});
