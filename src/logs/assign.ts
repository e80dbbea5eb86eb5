// The span a log line belongs to. Subtests by the log's own structure: a line between `subtest: NAME`
// and its `(finished: subtest: NAME …)` (or its `Test "NAME" failed`) belongs to that subtest's span,
// whatever the clocks say (nix stamps a line when it reads it; the driver times its own subtests).
// Inside a subtest, or outside any, time picks the innermost span open (an action, an in-test span),
// as long as it lies in that subtest (outside any: in no subtest).
import { openAfterFailure, subtestClosedBy, subtestOpenedBy } from "../ingest/driver-log.js";
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { innermostSweep } from "./innermost.js";

interface OpenSubtest {
  name: string;
  span?: SpanData;
}

/** Only lines starting so can open or close a subtest (`subtest: `, `(finished: `, `Test "`, `!!! `). */
const STRUCTURAL_FIRST = new Set(["s", "(", "T", "!"]);

/** Give it the check's lines in order (when nix reported each, and the line clean: cleanDriverLine); it
 * answers each line's span. */
export function spanAssigner(check: SpanData, spans: readonly SpanData[]): (timeNs: bigint, clean: string) => SpanData {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parentOf = (span: SpanData) => (span === check || span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId));
  const subtestSpans = spans.filter((s) => s !== check && subtestOf(s) !== undefined).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const used = new Set<SpanData>();
  const innermost = innermostSweep(check, spans);
  const stack: OpenSubtest[] = [];

  /** The innermost subtest span around a span (itself, when it is one). */
  const subtestAround = (span: SpanData) => {
    for (let s: SpanData | undefined = span; s; s = parentOf(s)) if (subtestOf(s) !== undefined) return s;
    return undefined;
  };
  /** The span itself when it is in no subtest, else the parent of the outermost subtest around it. */
  const outsideSubtests = (span: SpanData) => {
    let result = span;
    for (let s: SpanData | undefined = span; s; s = parentOf(s)) if (subtestOf(s) !== undefined) result = parentOf(s) ?? check;
    return result;
  };
  const open = (name: string) => {
    const parent = stack.at(-1)?.span;
    const fits = (s: SpanData) => !used.has(s) && subtestOf(s) === name;
    const span = subtestSpans.find((s) => fits(s) && (parent === undefined || s.parentSpanId === parent.spanId)) ?? subtestSpans.find(fits);
    if (span) used.add(span);
    stack.push({ name, ...(span ? { span } : {}) });
  };

  // Lines mostly come many to one span: the last answer is kept while the span and subtest stay.
  let last: { atTime: SpanData; top: OpenSubtest | undefined; byTime: SpanData } | undefined;
  const spanByTime = (timeNs: bigint) => {
    const atTime = innermost(timeNs).span;
    const top = stack.at(-1);
    if (last?.atTime === atTime && last.top === top) return last.byTime;
    const byTime = top?.span ? (subtestAround(atTime) === top.span ? atTime : top.span) : top ? atTime : outsideSubtests(atTime);
    last = { atTime, top, byTime };
    return byTime;
  };

  return (timeNs, clean) => {
    const byTime = spanByTime(timeNs);
    if (!STRUCTURAL_FIRST.has(clean.charAt(0))) return byTime;
    const opened = subtestOpenedBy(clean);
    if (opened !== undefined) {
      open(opened);
      return stack.at(-1)!.span ?? byTime;
    }
    const closed = subtestClosedBy(clean);
    const closing = closed === undefined ? -1 : stack.findLastIndex((s) => s.name === closed);
    const kept =
      closing >= 0
        ? closing
        : openAfterFailure(
            clean,
            stack.map((s) => s.name),
          );
    if (kept < stack.length) {
      const span = stack[kept]!.span;
      stack.splice(kept);
      return span ?? byTime;
    }
    return byTime;
  };
}
