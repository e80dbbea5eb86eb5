// The span tree as the page's script needs it (see page-data.ts): parents before children, times in ms
// from the start of the trace. Embedded as JSON; everything else on the page is rendered on the server.
import { SpanStatusCode } from "@opentelemetry/api";
import type { Trace, TraceNode } from "../../runs/read-trace.js";
import type { PageRole, WaterfallData, WaterfallSpan } from "./page-data.js";
import { pageRoleOf } from "./page-role.js";
import { isOnCriticalPath } from "../../spans/critical-path-mark.js";

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const MAX_EVENTS = 50;
/** What a check's test span (named like the check) is called in its row. */
const TEST_SPAN_LABEL = "testScript";

/** How far a child is drawn outside its parent, when it is (beyond rounding to a microsecond). A moved
 * span was put at its parent's start on purpose and says so itself. */
function outsideOf(node: TraceNode, parent: TraceNode | undefined): WaterfallSpan["outside"] {
  if (!parent || node.shifted) return undefined;
  const beforeMs = round(Math.max(0, parent.startMs - node.startMs));
  const afterMs = round(Math.max(0, node.endMs - parent.endMs));
  return beforeMs > 0 || afterMs > 0 ? { beforeMs, afterMs } : undefined;
}

interface Placed {
  parent: TraceNode | undefined;
  parentIndex: number;
  role: PageRole;
  parentRole: PageRole | undefined;
  /** run.json's critical path: builds written before the run knew it carry no mark of their own. */
  critical: ReadonlySet<string>;
}

function toSpan(trace: Trace, node: TraceNode, { parent, parentIndex, role, parentRole, critical }: Placed): WaterfallSpan {
  const { span } = node;
  const failed = span.status.code === SpanStatusCode.ERROR;
  // Event times move with their span when the span was moved.
  const shiftNs = BigInt(Math.round(node.startMs * 1e6)) - (span.startNs - trace.originNs);
  const outside = outsideOf(node, parent);
  return {
    parent: parentIndex,
    depth: node.depth,
    role,
    name: span.name,
    ...(parentRole === "check" && parent?.span.name === span.name ? { label: TEST_SPAN_LABEL } : {}),
    startMs: round(node.startMs),
    endMs: round(node.endMs),
    ...(failed ? { failed } : {}),
    ...(node.shifted ? { moved: true } : {}),
    ...(role === "check" && span.attributes["nix.cached"] === true ? { cached: true } : {}),
    ...(isOnCriticalPath(span.attributes, critical) ? { critical: true } : {}),
    ...(outside ? { outside } : {}),
    ...(failed && span.status.message ? { statusMessage: span.status.message } : {}),
    // A list is shown without JSON: an exact int64 in it is a bigint, which JSON cannot hold.
    attributes: Object.entries(span.attributes).map(([key, value]) => [
      key,
      Array.isArray(value) ? `[${value.map(String).join(", ")}]` : String(value),
    ]),
    events: span.events
      .slice(0, MAX_EVENTS)
      .map((event) => ({ name: event.name, atMs: round(Number((event.timeNs + shiftNs - trace.originNs) / 1000n) / 1000) })),
  };
}

export function waterfallData(trace: Trace, critical: ReadonlySet<string> = new Set()): WaterfallData {
  const index = new Map(trace.nodes.map((node, i) => [node, i]));
  const parentOf = new Map(trace.nodes.flatMap((node) => node.children.map((child) => [child, node] as const)));
  const roles = trace.nodes.map(pageRoleOf);
  const spans = trace.nodes.map((node, i) => {
    const parent = parentOf.get(node);
    const parentIndex = parent ? (index.get(parent) ?? -1) : -1;
    return toSpan(trace, node, { parent, parentIndex, role: roles[i]!, parentRole: roles[parentIndex], critical });
  });
  return { endMs: round(trace.endMs), spans };
}
