// The span tree's promises: unique ids, no self-parents, no cycles; each repair named.
import { expect, it } from "vitest";
import { buildTrace } from "../runs/read-trace.js";
import { repairTree, treeProblems } from "./invariants.js";
import type { SpanData } from "./model.js";
import { bareSpan } from "../../tests/support/bare-span.js";

const span = (spanId: string, parentSpanId?: string): SpanData => bareSpan({ spanId, ...(parentSpanId ? { parentSpanId } : {}) });

it("keeps a good tree as it is", () => {
  const tree = [span("1"), span("2", "1"), span("3", "2")];
  expect(repairTree(tree)).toEqual({ spans: tree, problems: [] });
});

it("gives a repeated id a fresh one, makes a self-parent a root, breaks a cycle", () => {
  const { spans, problems } = repairTree([span("1"), span("1"), span("2", "2"), span("3", "4"), span("4", "3")]);
  expect(new Set(spans.map((s) => s.spanId)).size).toBe(5);
  expect(spans[2]!.parentSpanId).toBeUndefined();
  expect(spans.filter((s) => s.spanId === "3" || s.spanId === "4").filter((s) => s.parentSpanId === undefined)).toHaveLength(1);
  expect(problems).toEqual([
    expect.stringMatching(/"s1" \(id 1\): id used by an earlier span/),
    expect.stringMatching(/"s2" \(id 2\): its own parent/),
    expect.stringMatching(/its parents lead back to it/),
  ]);
  expect(treeProblems(spans)).toEqual([]);
});

it("lets a report show a run whose spans break the promises (an old file) without looping", () => {
  const trace = buildTrace([span("1", "1"), span("2", "3"), span("3", "2")]);
  expect(trace.nodes).toHaveLength(3);
});
