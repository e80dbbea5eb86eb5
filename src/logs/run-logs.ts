// Each check's log records, from its outcome (the lines its build printed, or its stored log) and its
// part of the run's span tree. One check at a time, so they can be written as each check settles.
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { SpanData } from "../spans/model.js";
import type { LogLimits } from "./model.js";
import { childrenIndex } from "./innermost.js";
import { placeCheckLog, type PlacedRecords } from "./records.js";
import { timeStoredLines } from "./stored-times.js";

/** For a tree: a span and every span under it (the tree is indexed once). */
export function subtrees(spans: readonly SpanData[]): (root: SpanData) => SpanData[] {
  const children = childrenIndex(spans);
  return (root) => {
    const found = new Set<SpanData>([root]);
    const queue = [root];
    for (let span = queue.shift(); span; span = queue.shift())
      for (const child of children.get(span.spanId) ?? []) if (!found.has(child) && found.add(child)) queue.push(child);
    return [...found];
  };
}

/** One check's records; `spans` is the check's subtree (subtrees). nix's messages about the check are
 * those it had said when the check was judged (`nixMessages`; none for a check without a derivation). */
export function outcomeLogRecords(outcome: CheckOutcome, check: SpanData, spans: readonly SpanData[], limits: LogLimits): PlacedRecords {
  const lines = outcome.build?.lines ?? (outcome.storedLog ? timeStoredLines(outcome.storedLog, check, spans) : []);
  return placeCheckLog({
    checkName: outcome.check.name,
    lines,
    nixMessages: outcome.check.drvPath ? (outcome.nixMessages ?? []) : [],
    check,
    spans,
    limits,
  });
}
