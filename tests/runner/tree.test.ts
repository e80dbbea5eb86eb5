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

// Driver actions from the log go under the subtest they ran in: the driver's subtest span, or, when the
// prelude recorded the subtests, the prelude's span of that name (the log is the actions' one source).
const action = (verb: string, from: number, to: number, subtest?: { index: number; name: string }) => ({
  verb,
  machine: "m",
  startNs: s(from),
  endNs: s(to),
  status: "pass" as const,
  ...(subtest ? { subtest } : {}),
  children: [],
});
const parentsOf = (o: CheckOutcome) => {
  const spans = runSpans(run, [o]);
  const name = (id?: string) => spans.find((x) => x.spanId === id)?.name;
  return spans.filter((x) => x.attributes["nixotel.role"] === "action").map((x) => `${name(x.parentSpanId)} > ${x.name}`);
};

test("actions hang under their subtest by the order subtests opened, outside any under the check", () => {
  const withActions = { ...outcome(true), actions: [action("start", 4, 4), action("wait_for_unit", 10, 11, { index: 1, name: "inner" })] };
  expect(parentsOf(withActions)).toEqual(["test.s.t > start", "subtest: inner > wait_for_unit"]);
});

test("with the prelude's subtest spans, actions hang under the prelude's span of their subtest", () => {
  const prelude = (name: string, spanId: string, from: number, to: number) => ({
    traceId: "1".repeat(32),
    spanId,
    name: `subtest: ${name}`,
    kind: 0,
    startNs: s(from),
    endNs: s(to),
    attributes: { "nixos.test.subtest": name },
    events: [],
    links: [],
    status: { code: 0 },
  });
  const withPrelude: CheckOutcome = {
    ...outcome(false),
    subtests: [],
    ingested: { source: "out", problems: [], spans: [prelude("second", "b".repeat(16), 8, 9), prelude("first", "a".repeat(16), 6, 7)] },
    actions: [action("succeed", 6, 7, { index: 0, name: "first" }), action("wait_for_file", 8, 9, { index: 1, name: "second" })],
  };
  expect(parentsOf(withPrelude)).toEqual(["subtest: first > succeed", "subtest: second > wait_for_file"]);
});
