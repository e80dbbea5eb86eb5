// A check's captured log → OTLP log records, each carrying the trace and span id of the innermost span
// open when the line was printed, the subtest around it, the machine that printed it and the check's
// name. Pure: the same lines and span tree give the same records.
import type { LogLine } from "../nix/builds.js";
import { OTLP_LOG_PREFIX } from "../ingest/ingest.js";
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR } from "../spans/vocabulary.js";
import { cleanDriverLine } from "../ingest/driver-verbs.js";
import { cutToLimits } from "./cap.js";
import { spanAssigner } from "./assign.js";
import { machineOf, severityOf, sourceOf } from "./line.js";
import type { LogLimits, LogRecordData } from "./model.js";

/** Where a record came from besides the build's own output (absent: the build printed it). */
export const LOG_SOURCE = "nixotel.log.source";

export interface CheckLog {
  /** The check's name (`cicd.pipeline.task.name`, as on its span). */
  checkName: string;
  /** What the check's build printed, with when nix reported each line, in order. */
  lines: readonly LogLine[];
  /** nix's own messages about the check (`error: builder for '…' failed …`), at the check's end. */
  nixMessages?: readonly string[];
  /** The check's span and every span under it. */
  check: SpanData;
  spans: readonly SpanData[];
  limits: LogLimits;
}

/** The subtest each span lies in: its own (a subtest span) or its nearest subtest ancestor's. */
function subtestLookup(spans: readonly SpanData[]): (span: SpanData) => string | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const known = new Map<string, string | undefined>();
  const of = (span: SpanData, hops = 0): string | undefined => {
    if (known.has(span.spanId)) return known.get(span.spanId);
    const parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    const found = subtestOf(span) ?? (parent && hops < spans.length ? of(parent, hops + 1) : undefined);
    known.set(span.spanId, found);
    return found;
  };
  return of;
}

/** `@nixotel-otlp` lines are spans in transit (read into the trace); `@nix` lines a builder's words to nix
 * (phases), which a stored log keeps verbatim: neither is something a person printed. */
const isMachineTalk = (text: string) => text.startsWith(OTLP_LOG_PREFIX) || text.startsWith(NIX_PREFIX);
const NIX_PREFIX = "@nix ";

/** The records of one span, machine and source share one attributes object: 100 000 lines make few of them. */
function attributesFor(checkName: string, spans: readonly SpanData[]) {
  const subtestIn = subtestLookup(spans);
  const shared = new Map<string, Record<string, string>>();
  let last: { span: SpanData; machine: string | undefined; source: string | undefined; attributes: Record<string, string> } | undefined;
  return (span: SpanData, machine: string | undefined, source: string | undefined) => {
    if (last && last.span === span && last.machine === machine && last.source === source) return last.attributes;
    const key = `${span.spanId}\0${machine ?? ""}\0${source ?? ""}`;
    let attributes = shared.get(key);
    if (!attributes) {
      const subtest = subtestIn(span);
      attributes = { [ATTR.taskName]: checkName };
      if (machine !== undefined) attributes[ATTR.machine] = machine;
      if (subtest !== undefined) attributes[ATTR.subtest] = subtest;
      if (source !== undefined) attributes[LOG_SOURCE] = source;
      shared.set(key, attributes);
    }
    last = { span, machine, source, attributes };
    return attributes;
  };
}

export function checkLogRecords(log: CheckLog): LogRecordData[] {
  const { check, spans } = log;
  const assign = spanAssigner(check, spans);
  // Every line is placed (the subtest structure runs through the whole log), then the limits cut.
  // One entry per line in parallel arrays: no object is made for a line that is not kept.
  const texts: string[] = [];
  const times: bigint[] = [];
  const bodies: string[] = [];
  const placed: SpanData[] = [];
  for (const line of log.lines) {
    if (isMachineTalk(line.text)) continue;
    const body = cleanDriverLine(line.text);
    texts.push(line.text);
    times.push(line.timeNs);
    bodies.push(body);
    placed.push(assign(line.timeNs, body));
  }
  const fromNix = texts.length;
  for (const text of log.nixMessages ?? []) {
    texts.push(text);
    times.push(check.endNs);
    bodies.push(cleanDriverLine(text));
    placed.push(check);
  }
  const cut = cutToLimits(texts, log.limits);
  const attributesOf = attributesFor(log.checkName, spans);
  const record = (i: number): LogRecordData => {
    const span = placed[i]!;
    const body = bodies[i]!;
    const named = machineOf(body);
    const spanMachine = span.attributes[ATTR.machine];
    const machine = named ?? (typeof spanMachine === "string" ? spanMachine : undefined);
    return {
      timeNs: times[i]!,
      severity: severityOf(body, named),
      body,
      attributes: attributesOf(span, machine, i >= fromNix ? "nix" : sourceOf(body)),
      traceId: check.traceId,
      spanId: span.spanId,
    };
  };
  const records: LogRecordData[] = [];
  for (let i = 0; i < cut.head; i++) records.push(record(i));
  if (cut.cutLines > 0) {
    // The note stands where the cut is, in the span of the first line left out.
    const span = placed[cut.head]!;
    const spanMachine = span.attributes[ATTR.machine];
    records.push({
      timeNs: times[cut.head]!,
      severity: "WARN",
      body:
        `nixotel: ${cut.cutLines} lines (${cut.cutBytes} bytes) of this check's log cut here: it keeps at most ` +
        `${log.limits.maxLinesPerCheck} lines and ${log.limits.maxBytesPerCheck} bytes (nixotel.json logs.maxLinesPerCheck, logs.maxBytesPerCheck)`,
      attributes: attributesOf(span, typeof spanMachine === "string" ? spanMachine : undefined, "nixotel"),
      traceId: check.traceId,
      spanId: span.spanId,
    });
  }
  for (let i = texts.length - cut.tail; i < texts.length; i++) records.push(record(i));
  return records;
}
