// The run's log records at the end of a run: each check's, built from its outcome and the span tree,
// appended to logs.jsonl check by check (appendLogRecords, which a run that records checks as they
// settle calls the same way), then returned for the export.
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { RunPaths } from "../runs/files.js";
import type { WriteAttempts } from "../runs/write-attempts.js";
import type { Attributes, SpanData } from "../spans/model.js";
import { appendLogRecords } from "./append.js";
import type { LogLimits } from "./model.js";
import { toReadableLogs } from "./otlp-logs.js";
import { LOG_SOURCE } from "./records.js";
import { checkSpanFinder, outcomeLogRecords, subtrees } from "./run-logs.js";

export interface RecordedLogs {
  readable: ReadableLogRecord[];
  /** Checks whose log was cut by the limits. */
  cut: number;
}

export async function recordLogs(
  outcomes: readonly CheckOutcome[],
  spans: readonly SpanData[],
  nixErrors: readonly string[],
  resource: Attributes,
  limits: LogLimits,
  paths: RunPaths,
  attempts: WriteAttempts,
): Promise<RecordedLogs> {
  const checkSpanOf = checkSpanFinder(spans);
  const subtreeOf = subtrees(spans);
  const result: RecordedLogs = { readable: [], cut: 0 };
  if (!limits.enabled) return result;
  for (const outcome of outcomes) {
    const check = checkSpanOf(outcome);
    if (!check) continue; // a check the repaired tree does not hold has no span to correlate with
    const records = outcomeLogRecords(outcome, check, subtreeOf(check), nixErrors, limits);
    if (records.some((r) => r.attributes[LOG_SOURCE] === "nixotel")) result.cut += 1;
    const readable = toReadableLogs(records, resource);
    await attempts.attempt(paths.logs, () => appendLogRecords(paths.logs, readable));
    for (const record of readable) result.readable.push(record);
  }
  return result;
}
