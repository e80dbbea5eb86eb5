// Log records in the SDK's form (ReadableLogRecord) and as OTLP JSON lines: one ExportLogsServiceRequest
// a line, encoded by the SDK's own JsonLogsSerializer (the http/json body and the logs.jsonl line are
// the same bytes), and read back (report, flush) into the plain form.
import type { HrTime } from "@opentelemetry/api";
import { JsonLogsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { SCOPE, type Attributes } from "../spans/model.js";
import { SEVERITY_NUMBER, type LogRecordData, type Severity } from "./model.js";

/** Records per request line and per OTLP request. */
export const LOG_CHUNK_SIZE = 1024;

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
// The serializer groups records by resource and scope object: one of each for a whole run.
const scope = { ...SCOPE };
const SAMPLED = 1;

export function toReadableLogs(records: readonly LogRecordData[], resourceAttributes: Attributes): ReadableLogRecord[] {
  const resource: Resource = resourceFromAttributes(resourceAttributes as Record<string, string>);
  return records.map((r) => ({
    hrTime: hrTime(r.timeNs),
    hrTimeObserved: hrTime(r.timeNs),
    spanContext: { traceId: r.traceId, spanId: r.spanId, traceFlags: SAMPLED },
    severityText: r.severity,
    severityNumber: SEVERITY_NUMBER[r.severity],
    body: r.body,
    resource,
    instrumentationScope: scope,
    attributes: r.attributes,
    droppedAttributesCount: 0,
  }));
}

const decoder = new TextDecoder();
/** One ExportLogsServiceRequest as a JSON line (without the newline). */
export const toOtlpLogLine = (records: readonly ReadableLogRecord[]) =>
  decoder.decode(JsonLogsSerializer.serializeRequest(records as ReadableLogRecord[]));

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
