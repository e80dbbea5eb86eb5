// A cached check's log comes from `nix log`, which keeps no times. Its lines are timed by the span
// tree of that check: `subtest: NAME` takes the start of that subtest's span, `(finished: subtest:
// NAME, …)` its end, every other line the time of the line before it; lines before the first subtest
// take the earliest start under the check. So a stored line lands in the subtest that printed it.
import { subtestOpenedBy } from "../ingest/driver-log.js";
import type { LogLine } from "../nix/builds.js";
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { stripAnsi } from "../nix/activity.js";

const FINISHED = /^\(finished: subtest: (.+), in \d+(?:\.\d+)? seconds\)$/;

export function timeStoredLines(texts: readonly string[], check: SpanData, spans: readonly SpanData[]): LogLine[] {
  const subtests = spans.filter((s) => s !== check && subtestOf(s) !== undefined).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const earliest = spans.reduce((low, s) => (s.startNs < low ? s.startNs : low), check.startNs);
  const opened = new Set<SpanData>();
  const closed = new Set<SpanData>();
  let clock = earliest;
  return texts.map((text) => {
    const name = subtestOpenedBy(text);
    if (name !== undefined) {
      const span = subtests.find((s) => !opened.has(s) && subtestOf(s) === name);
      if (span) {
        opened.add(span);
        if (span.startNs > clock) clock = span.startNs;
      }
    }
    const finished = FINISHED.exec(stripAnsi(text).trimEnd())?.[1];
    if (finished !== undefined) {
      const span = subtests.find((s) => opened.has(s) && !closed.has(s) && subtestOf(s) === finished);
      if (span) {
        closed.add(span);
        if (span.endNs > clock) clock = span.endNs;
      }
    }
    return { timeNs: clock, text };
  });
}
