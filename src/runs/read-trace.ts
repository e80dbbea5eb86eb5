// A run's spans as a tree for people to look at: parent/child links, the role each span recorded
// (`nixotel.role`), and display times in ms from the start of the trace.
// Generic on purpose: any span the runner adds later still shows up, under its parent.
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR, isFailed, isRole, Role, TASK_TYPE, type SpanRole } from "../spans/vocabulary.js";

export type { SpanRole };

export interface TraceNode {
  span: SpanData;
  role: SpanRole;
  depth: number;
  children: TraceNode[];
  /** Display times, ms from the trace's origin. */
  startMs: number;
  endMs: number;
  /** True when the subtree was recorded at another time (a cached check's spans) and moved under its parent. */
  shifted: boolean;
}

export interface Trace {
  roots: TraceNode[];
  /** Every node, parents before children, siblings by start time: the order of a waterfall. */
  nodes: TraceNode[];
  originNs: bigint;
  endMs: number;
}

// Spans recorded in a VM may start a little before their parent (clock skew); beyond this, they
// were recorded at another time and are moved to start with their parent.
const SKEW_NS = 1_000_000_000n;
const toMs = (ns: bigint) => Number(ns / 1000n) / 1000;

function roleOf(span: SpanData, isRoot: boolean): SpanRole {
  const recorded = span.attributes[ATTR.role];
  return isRole(recorded) ? recorded : roleOfUnmarked(span, isRoot);
}

/** Runs written before nixotel recorded roles (nixotel 0.1): the role as those spans' attributes imply it. */
function roleOfUnmarked(span: SpanData, isRoot: boolean): SpanRole {
  const a = span.attributes;
  if (isRoot) return Role.run;
  if (a[ATTR.testCaseName] !== undefined && a[ATTR.nixAttr] !== undefined) return Role.check;
  if (a[ATTR.taskType] === TASK_TYPE.build || (a[ATTR.nixDrvPath] !== undefined && a[ATTR.testCaseName] === undefined)) return Role.build;
  const preludeSubtest = span.scope?.name === "nixotel.prelude" && a[ATTR.testCaseName] !== undefined && a[ATTR.source] === undefined;
  if (subtestOf(span) !== undefined || span.name.startsWith("subtest: ") || preludeSubtest) return Role.subtest;
  return Role.inTest;
}

export function buildTrace(spans: readonly SpanData[]): Trace {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map<string, SpanData[]>();
  const roots: SpanData[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId && byId.has(span.parentSpanId) ? span.parentSpanId : undefined;
    if (!parent) roots.push(span);
    else if (children.has(parent)) children.get(parent)?.push(span);
    else children.set(parent, [span]);
  }
  const byStart = (a: SpanData, b: SpanData) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);
  roots.sort(byStart);
  const originNs = roots.reduce((min, s) => (s.startNs < min ? s.startNs : min), roots[0]?.startNs ?? 0n);
  const nodes: TraceNode[] = [];
  let endMs = 0;

  const visit = (span: SpanData, depth: number, offsetNs: bigint, shifted: boolean, isRoot: boolean): TraceNode => {
    const node: TraceNode = {
      span,
      role: roleOf(span, isRoot),
      depth,
      children: [],
      startMs: toMs(span.startNs + offsetNs - originNs),
      endMs: toMs(span.endNs + offsetNs - originNs),
      shifted,
    };
    nodes.push(node);
    endMs = Math.max(endMs, node.endMs);
    const start = span.startNs + offsetNs;
    const end = span.endNs + offsetNs;
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) {
      const outside = child.startNs + offsetNs < start - SKEW_NS || child.startNs + offsetNs > end + SKEW_NS;
      const childOffset = outside ? start - child.startNs : offsetNs;
      node.children.push(visit(child, depth + 1, childOffset, shifted || outside, false));
    }
    return node;
  };
  // A span whose parent is missing from the file (an orphan) is shown as a root, but keeps its role.
  const rootNodes = roots.map((root) => visit(root, 0, 0n, false, !root.parentSpanId));
  return { roots: rootNodes, nodes, originNs, endMs };
}

export const durationMs = (node: TraceNode) => Math.max(0, node.endMs - node.startMs);

/** The longest spans below the roots, longest first. */
export function slowest(trace: Trace, count: number): TraceNode[] {
  return trace.nodes
    .filter((node) => node.depth > 0)
    .sort((a, b) => durationMs(b) - durationMs(a))
    .slice(0, count);
}

export interface FlatSubtest {
  name: string;
  failed: boolean;
  durationMs: number;
}

/** Subtests below a check, nested ones named `outer › inner`, in the order they ran. */
export function subtestsOf(node: TraceNode, prefix = ""): FlatSubtest[] {
  return node.children.flatMap((child) => {
    if (child.role !== Role.subtest) return subtestsOf(child, prefix);
    const name = `${prefix}${subtestOf(child.span) ?? child.span.name.replace(/^subtest: /, "")}`;
    return [{ name, failed: isFailed(child.span), durationMs: durationMs(child) }, ...subtestsOf(child, `${name} › `)];
  });
}
