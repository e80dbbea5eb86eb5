// One run as the reports show it: run.json's summary joined with the span tree (when there is one).
// Subtests and log tails come from run.json; when it has none, from the spans themselves.
import type { SpanData } from "../spans/model.js";
import { ATTR, EVENT, Role } from "../spans/vocabulary.js";
import type { CheckRecord, RunRecord } from "./record.js";
import { buildTrace, slowest, subtestsOf, type FlatSubtest, type Trace, type TraceNode } from "./read-trace.js";
import { slowestActions, timeBreakdown, type SlowAction, type TimeBreakdown } from "./time-breakdown.js";

export interface CheckView {
  record: CheckRecord;
  subtests: FlatSubtest[];
  logTail: string[];
  /** The check's span, when the run has spans. */
  node?: TraceNode;
  /** Boot / waiting / commands / the rest, when the check has driver action spans. */
  time?: TimeBreakdown;
}

export interface RunView {
  record: RunRecord;
  trace?: Trace;
  checks: CheckView[];
  counts: { passed: number; failed: number; cancelled: number; cached: number; spans: number };
  elapsedMs: number;
  slowest: TraceNode[];
  /** The run's longest driver actions, longest first. */
  slowestActions: SlowAction[];
}

const SLOWEST = 10;

function logTailOf(node: TraceNode | undefined): string[] {
  const event = node?.span.events.find((e) => e.name === EVENT.logTail);
  const text = event?.attributes[ATTR.logTail];
  return typeof text === "string" && text ? text.split("\n") : [];
}

export function runView(record: RunRecord, spans: readonly SpanData[] | undefined): RunView {
  const trace = spans && spans.length ? buildTrace(spans) : undefined;
  const checkNodes = new Map<string, TraceNode>();
  for (const node of trace?.nodes ?? []) {
    if (node.role === Role.check) checkNodes.set(String(node.span.attributes[ATTR.nixAttr]), node);
  }
  const checks = record.checks.map((check): CheckView => {
    const node = checkNodes.get(check.attr);
    const subtests = check.subtests.length
      ? check.subtests.map((s) => ({ name: s.name, failed: s.status === "fail", durationMs: s.durationMs }))
      : node
        ? subtestsOf(node)
        : [];
    const time = node ? timeBreakdown(node) : undefined;
    return {
      record: check,
      subtests,
      logTail: check.logTail.length ? check.logTail : logTailOf(node),
      ...(node ? { node } : {}),
      ...(time ? { time } : {}),
    };
  });
  const count = (status: CheckRecord["status"]) => record.checks.filter((c) => c.status === status).length;
  return {
    record,
    ...(trace ? { trace } : {}),
    checks,
    counts: {
      passed: count("pass"),
      failed: count("fail"),
      cancelled: count("cancelled"),
      cached: record.checks.filter((c) => c.cached).length,
      spans: spans?.length ?? 0,
    },
    elapsedMs: Math.max(0, Date.parse(record.endedAt) - Date.parse(record.startedAt)),
    slowest: trace ? slowest(trace, SLOWEST) : [],
    slowestActions: slowestActions(
      checks.map((c) => ({ name: `${c.record.suite}.${c.record.name}`, ...(c.node ? { node: c.node } : {}) })),
      SLOWEST,
    ),
  };
}
