// Which span was open when a line was printed: the deepest one whose window holds the moment (the
// later-started of two equally deep, e.g. a subtest over its check's build), else the check itself.
// Lines come in time order, so one sweep over the spans sorted by start serves them all.
import type { SpanData } from "../spans/model.js";

export interface SpanAt {
  span: SpanData;
  depth: number;
}

/** Each span's children, by the parent's span id. */
export function childrenIndex(spans: readonly SpanData[]): Map<string, SpanData[]> {
  const children = new Map<string, SpanData[]>();
  for (const span of spans) {
    if (span.parentSpanId === undefined) continue;
    const list = children.get(span.parentSpanId);
    if (list) list.push(span);
    else children.set(span.parentSpanId, [span]);
  }
  return children;
}

/** Depth of each span under `root` (root 0); spans not under it are left out. */
function depths(root: SpanData, spans: readonly SpanData[]): Map<string, number> {
  const children = childrenIndex(spans);
  const depth = new Map([[root.spanId, 0]]);
  const queue = [root];
  for (let span = queue.shift(); span; span = queue.shift())
    for (const child of children.get(span.spanId) ?? []) {
      if (depth.has(child.spanId)) continue; // a repaired tree has no cycles; this only guards the walk
      depth.set(child.spanId, depth.get(span.spanId)! + 1);
      queue.push(child);
    }
  return depth;
}

/** A function giving the innermost span at a time; fastest when asked in non-decreasing order. */
export function innermostSweep(root: SpanData, spans: readonly SpanData[]): (timeNs: bigint) => SpanAt {
  const depthOf = depths(root, spans);
  const inside = spans
    .filter((s) => s !== root && depthOf.has(s.spanId))
    .map((span) => ({ span, depth: depthOf.get(span.spanId)! }))
    .sort((a, b) => (a.span.startNs < b.span.startNs ? -1 : a.span.startNs > b.span.startNs ? 1 : 0));
  const rootAt = { span: root, depth: 0 };
  let next = 0;
  let open: SpanAt[] = [];
  let last: bigint | undefined;
  let lastBest = rootAt;
  return (timeNs) => {
    if (timeNs === last) return lastBest; // many lines share a moment (nix stamps them to the millisecond)
    if (last !== undefined && timeNs < last) [next, open] = [0, []]; // back in time: sweep again from the start
    last = timeNs;
    while (next < inside.length && inside[next]!.span.startNs <= timeNs) open.push(inside[next++]!);
    if (open.some((o) => o.span.endNs < timeNs)) open = open.filter((o) => o.span.endNs >= timeNs);
    let best = rootAt;
    // `open` is in start order: of equal depth, the later-started wins.
    for (const candidate of open) if (candidate.depth >= best.depth) best = candidate;
    return (lastBest = best);
  };
}
