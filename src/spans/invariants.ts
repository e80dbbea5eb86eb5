// What every span tree nixotel writes or shows keeps, whatever the spans it was given: unique span ids,
// no span its own parent, no cycles. One function repairs a tree and names each repair; run, check,
// flush and report all go through it.
import { newSpanId, type SpanData } from "./model.js";

export interface RepairedTree {
  spans: SpanData[];
  /** One line per repair, e.g. `span "x" (id …): its own parent; made a root`. */
  problems: string[];
}

const named = (span: SpanData) => `span ${JSON.stringify(span.name)} (id ${span.spanId})`;

/** Span ids in use: a Set, or the last ids written (src/spans/recent-ids.ts). */
export interface IdsTaken {
  has(id: string): boolean;
  add(id: string): unknown;
}

/** The spans with their ids made unique, self-parents and cycles broken (the span made a root).
 * `taken`: ids of spans written before (a run appends its tree check by check); it gets these spans' ids. */
export function repairTree(input: readonly SpanData[], taken: IdsTaken = new Set()): RepairedTree {
  const problems: string[] = [];
  const seen = taken;
  const spans = input.map((span) => {
    let out = span;
    if (seen.has(span.spanId)) {
      out = { ...span, spanId: newSpanId() };
      problems.push(`${named(span)}: id used by an earlier span; given id ${out.spanId}`);
    }
    seen.add(out.spanId);
    if (out.parentSpanId === out.spanId) {
      problems.push(`${named(out)}: its own parent; made a root`);
      const { parentSpanId: _self, ...root } = out;
      out = root;
    }
    return out;
  });
  const byId = new Map(spans.map((span, index) => [span.spanId, index]));
  const settled = new Set<string>(); // spans whose ancestry is known to end at a root
  spans.forEach((_, start) => {
    const path: number[] = [];
    const onPath = new Set<number>();
    for (let index: number | undefined = start; index !== undefined;) {
      const span: SpanData = spans[index]!;
      if (settled.has(span.spanId)) break;
      if (onPath.has(index)) {
        problems.push(`${named(span)}: its parents lead back to it; made a root`);
        const { parentSpanId: _cycle, ...root } = span;
        spans[index] = root;
        break;
      }
      path.push(index);
      onPath.add(index);
      index = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    }
    for (const index of path) settled.add(spans[index]!.spanId);
  });
  return { spans, problems };
}

/** What `repairTree` would repair, for tests that assert a tree keeps the promise. */
export const treeProblems = (spans: readonly SpanData[]) => repairTree(spans).problems;
