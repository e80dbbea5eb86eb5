// logs.jsonl written check by check as each settles (a CheckSink of src/pipeline/streaming-record.ts),
// after the spans the records point at; the records are kept for the export at the end of the run.
// nix's messages about a check judged while nix still built (src/pipeline/settle-early.ts) may come
// after it was written: they are added at the end of the run (nixSaid).
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { CheckSink } from "../pipeline/streaming-record.js";
import type { RunPaths } from "../runs/files.js";
import type { WriteAttempts } from "../runs/write-attempts.js";
import type { Attributes, SpanData } from "../spans/model.js";
import { appendLogRecords } from "./append.js";
import { DEFAULT_LOG_LIMITS, type LogLimits, type LogRecordData } from "./model.js";
import { toReadableLogs } from "./otlp-logs.js";
import { checkLogRecords, LOG_SOURCE } from "./records.js";
import { outcomeLogRecords } from "./run-logs.js";

export interface RecordedLogs {
  readable: ReadableLogRecord[];
  /** Checks whose log was cut by the limits. */
  cut: number;
}

export class LogSink implements CheckSink {
  readonly recorded: RecordedLogs = { readable: [], cut: 0 };
  /** Each written check's span, and the nix messages its records hold. */
  private readonly written: { outcome: CheckOutcome; check: SpanData }[] = [];

  constructor(
    private readonly paths: RunPaths,
    private readonly resource: Attributes,
    private readonly attempts: WriteAttempts,
    /** nixotel.json's `logs`; the defaults without one. */
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {}

  /** `spans`: the check's spans as written, its check span first. */
  async checkSettled(outcome: CheckOutcome, spans: readonly SpanData[]): Promise<void> {
    const check = spans[0];
    if (!this.limits.enabled || !check) return;
    this.written.push({ outcome, check });
    const records = outcomeLogRecords(outcome, check, spans, this.limits);
    if (records.some((r) => r.attributes[LOG_SOURCE] === "nixotel")) this.recorded.cut += 1;
    await this.append(records);
  }

  /** The run's nix messages at its end: those naming a written check's derivation that its records do
   * not hold yet become records on its check span. */
  async nixSaid(nixErrors: readonly string[]): Promise<void> {
    if (!this.limits.enabled) return;
    for (const { outcome, check } of this.written) {
      const drvPath = outcome.check.drvPath;
      const held = new Set(outcome.nixMessages ?? []);
      const late = drvPath ? nixErrors.filter((e) => e.includes(drvPath) && !held.has(e)) : [];
      if (late.length)
        await this.append(
          checkLogRecords({ checkName: outcome.check.name, lines: [], nixMessages: late, check, spans: [check], limits: this.limits }),
        );
    }
  }

  private async append(records: readonly LogRecordData[]): Promise<void> {
    const readable = toReadableLogs(records, this.resource);
    await this.attempts.attempt(this.paths.logs, () => appendLogRecords(this.paths.logs, readable));
    for (const record of readable) this.recorded.readable.push(record);
  }
}
