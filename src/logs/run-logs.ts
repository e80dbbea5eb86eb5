// Each check's log records, from its outcome (the lines its build printed, or its stored log) and its
// part of the run's span tree. One check at a time, so they can be written as each check settles.
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { SpanData } from "../spans/model.js";
import { ATTR, Role } from "../spans/vocabulary.js";
import type { LogLimits, LogRecordData } from "./model.js";
import { childrenIndex } from "./innermost.js";
import { checkLogRecords } from "./records.js";
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

/** The check span of an outcome: the first check span with its attribute path not yet taken. */
export function checkSpanFinder(spans: readonly SpanData[]): (outcome: CheckOutcome) => SpanData | undefined {
  const taken = new Set<SpanData>();
  const checks = spans.filter((s) => s.attributes[ATTR.role] === Role.check);
  return (outcome) => {
    const span = checks.find((s) => !taken.has(s) && s.attributes[ATTR.nixAttr] === outcome.check.attr);
    if (span) taken.add(span);
    return span;
  };
}

/** nix's messages that name the check's derivation (`error: builder for '…' failed …`). */
export const nixMessagesAbout = (outcome: CheckOutcome, nixErrors: readonly string[]) =>
  outcome.check.drvPath ? nixErrors.filter((e) => e.includes(outcome.check.drvPath)) : [];

/** One check's records; `spans` is the check's subtree (subtrees). */
export function outcomeLogRecords(
  outcome: CheckOutcome,
  check: SpanData,
  spans: readonly SpanData[],
  nixErrors: readonly string[],
  limits: LogLimits,
): LogRecordData[] {
  const lines = outcome.build?.lines ?? (outcome.storedLog ? timeStoredLines(outcome.storedLog, check, spans) : []);
  return checkLogRecords({
    checkName: outcome.check.name,
    lines,
    nixMessages: nixMessagesAbout(outcome, nixErrors),
    check,
    spans,
    limits,
  });
}
