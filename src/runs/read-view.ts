// One run as the reports show it: run.json's summary joined with the span tree (when there is one).
// Subtests and log tails come from run.json; when it has none, from the spans themselves.
import type { SpanData } from "../spans/model.js";
import { ATTR, EVENT, Role } from "../spans/vocabulary.js";
import { isRunning } from "../process.js";
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

/** A run nixotel did not finish recording: what it has is shown, and what never finished is named. */
export interface IncompleteView {
  /** The nixotel writing it still runs (the run goes on), or it was stopped before the end. */
  stillRunning: boolean;
  /** One line: `incomplete: …; never finished: a (running), b (waiting)`. */
  note: string;
  unfinished: string[];
}

export function incompleteOf(record: RunRecord): IncompleteView | undefined {
  if (record.complete !== false) return undefined;
  const progress = record.progress;
  const stillRunning = progress !== undefined && isRunning(progress.pid);
  const unfinished = [...(progress?.running ?? []).map((n) => `${n} (running)`), ...(progress?.waiting ?? []).map((n) => `${n} (waiting)`)];
  const state = stillRunning
    ? `incomplete: still running (nixotel pid ${progress?.pid}), shown as it stands`
    : "incomplete: nixotel stopped before the end of the run (killed?); what had finished is shown";
  return { stillRunning, note: `${state}${unfinished.length ? `; never finished: ${unfinished.join(", ")}` : ""}`, unfinished };
}

export interface RunView {
  record: RunRecord;
  /** Set when run.json says the run is not complete. */
  incomplete?: IncompleteView;
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
  const incomplete = incompleteOf(record);
  return {
    record,
    ...(incomplete ? { incomplete } : {}),
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
