// Reads an OTLP JSON line of log records (logs.jsonl, the spool: one ExportLogsServiceRequest a line,
// written by src/logs/log-chunk.ts) back into the plain form, for the report and `nixotel flush`.
import type { LogRecordData, Severity } from "./model.js";

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);
const objects = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter(isObject) : []);
const SEVERITIES = new Set<string>(["INFO", "WARN", "ERROR"]);

function stringAttributes(raw: unknown): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const kv of objects(raw)) {
    const value = isObject(kv.value) ? kv.value.stringValue : undefined;
    if (typeof kv.key === "string" && typeof value === "string") attributes[kv.key] = value;
  }
  return attributes;
}

export interface ParsedLogLine {
  records: LogRecordData[];
  /** The resource of the request's first resourceLogs (nixotel writes one per run). */
  resource: Record<string, string>;
}

/** Reads a line nixotel wrote (logs.jsonl, the spool); throws a SyntaxError on a line that is not one. */
export function parseOtlpLogLine(line: string): ParsedLogLine {
  const request: unknown = JSON.parse(line);
  if (!isObject(request) || !Array.isArray(request.resourceLogs)) throw new SyntaxError("not an ExportLogsServiceRequest");
  const resourceLogs = objects(request.resourceLogs);
  const first = resourceLogs[0]?.resource;
  const records = resourceLogs.flatMap((rl) =>
    objects(rl.scopeLogs).flatMap((sl) =>
      objects(sl.logRecords).map((r): LogRecordData => {
        const time = r.timeUnixNano;
        if ((typeof time !== "string" && typeof time !== "number") || !/^[0-9]+$/.test(String(time)))
          throw new SyntaxError(`a log record without a timeUnixNano: ${JSON.stringify(time)}`);
        const body = isObject(r.body) && typeof r.body.stringValue === "string" ? r.body.stringValue : "";
        const severity = typeof r.severityText === "string" && SEVERITIES.has(r.severityText) ? (r.severityText as Severity) : "INFO";
        return {
          timeNs: BigInt(time),
          severity,
          body,
          attributes: stringAttributes(r.attributes),
          traceId: typeof r.traceId === "string" ? r.traceId : "",
          spanId: typeof r.spanId === "string" ? r.spanId : "",
        };
      }),
    ),
  );
  return { records, resource: isObject(first) ? stringAttributes(first.attributes) : {} };
}
