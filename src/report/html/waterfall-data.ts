// The span tree as the page's script needs it: compact, parents before children, times in ms from
// the start of the trace. Embedded as JSON; everything else on the page is rendered on the server.
import type { Trace } from "../../runs/read-trace.js";

export interface WaterfallSpan {
  /** Index of the parent in `spans`, -1 for a root. */
  p: number;
  d: number;
  /** Role: run, check, build, subtest, test. */
  r: string;
  n: string;
  s: number;
  e: number;
  /** Flags: 1 failed, 2 moved from another time (a cached result), 4 cached check. */
  f: number;
  /** Attributes as [key, value] pairs, for the details panel. */
  a: [string, string][];
  /** Events as [name, ms from the trace start]. */
  v: [string, number][];
  /** Status message, when the span failed with one. */
  m?: string;
}

export interface WaterfallData {
  endMs: number;
  spans: WaterfallSpan[];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const MAX_EVENTS = 50;

export function waterfallData(trace: Trace): WaterfallData {
  const index = new Map(trace.nodes.map((node, i) => [node, i]));
  const parentOf = new Map(trace.nodes.flatMap((node) => node.children.map((child) => [child, node] as const)));
  const spans = trace.nodes.map((node): WaterfallSpan => {
    const { span } = node;
    const parent = parentOf.get(node);
    // Event times move with their span when the span was moved.
    const shiftNs = BigInt(Math.round(node.startMs * 1e6)) - (span.startNs - trace.originNs);
    const flags =
      (span.status.code === 2 ? 1 : 0) | (node.shifted ? 2 : 0) | (node.role === "check" && span.attributes["nix.cached"] === true ? 4 : 0);
    return {
      p: parent ? (index.get(parent) ?? -1) : -1,
      d: node.depth,
      r: node.role,
      n: span.name,
      s: round(node.startMs),
      e: round(node.endMs),
      f: flags,
      a: Object.entries(span.attributes).map(([key, value]) => [
        key,
        Array.isArray(value) ? `[${value.map(String).join(", ")}]` : String(value),
      ]), // bigints: no JSON
      v: span.events
        .slice(0, MAX_EVENTS)
        .map((event) => [event.name, round(Number((event.timeNs + shiftNs - trace.originNs) / 1000n) / 1000)]),
      ...(span.status.code === 2 && span.status.message ? { m: span.status.message } : {}),
    };
  });
  return { endMs: round(trace.endMs), spans };
}
