// A check's build log as OTLP log records: the plain form nixotel builds (src/logs/records.ts), turned
// into the SDK's ReadableLogRecord only to be written or sent (src/logs/otlp-logs.ts).
import { SeverityNumber } from "@opentelemetry/api-logs";

export type Severity = "INFO" | "WARN" | "ERROR";

/** OTLP's severity numbers for the three levels a build log line gets. */
export const SEVERITY_NUMBER: Record<Severity, SeverityNumber> = {
  INFO: SeverityNumber.INFO,
  WARN: SeverityNumber.WARN,
  ERROR: SeverityNumber.ERROR,
};

export interface LogRecordData {
  /** When nix reported the line (unix ns); for a stored log, see src/logs/stored-times.ts. */
  timeNs: bigint;
  severity: Severity;
  /** The line with ANSI codes stripped. */
  body: string;
  /** nixos.test.machine, nixos.test.subtest, cicd.pipeline.task.name, nixotel.log.source. */
  attributes: Record<string, string>;
  /** The innermost span open when the line was printed (the check's span when none inside it was). */
  traceId: string;
  spanId: string;
}

/** Whether logs are recorded, and how much of one check's log is kept (nixotel.json `logs`): beyond
 * the limits, the middle is cut. */
export interface LogLimits {
  /** false: no log records at all (no logs.jsonl, nothing sent). */
  enabled: boolean;
  maxLinesPerCheck: number;
  maxBytesPerCheck: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { enabled: true, maxLinesPerCheck: 200_000, maxBytesPerCheck: 64 * 1024 * 1024 };
