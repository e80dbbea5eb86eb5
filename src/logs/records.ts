// A check's captured log → OTLP log records, each carrying the trace and span id of the innermost span
// open when the line was printed, the subtest around it, the machine that printed it and the check's
// name. Pure: the same lines and span tree give the same records.
import type { LogLine } from "../nix/builds.js";
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR } from "../spans/vocabulary.js";
import { cutToLimits } from "./cap.js";
import { spanAssigner } from "./assign.js";
import { EncodedLines, encodedLinesOf } from "./encoded-lines.js";
import { lineFacts } from "./line.js";
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

/** What a record takes from the span tree: its ids and attributes. One object serves every record of one
 * span, machine and source (100 000 lines make few of them), so its encoding is made once. */
export interface RecordTail {
  attributes: Record<string, string>;
  traceId: string;
  spanId: string;
}

/** A check's records, in order: record k is line `index[k]` of `from[k]` with `tails[k]`. */
export interface PlacedRecords {
  from: EncodedLines[];
  index: number[];
  tails: RecordTail[];
  /** The limits cut the log (one record says so). */
  cut: boolean;
}

function tailsFor(checkName: string, check: SpanData, spans: readonly SpanData[]) {
  const subtestIn = subtestLookup(spans);
  const shared = new Map<string, RecordTail>();
  let last: { span: SpanData; machine: string | undefined; source: string | undefined; tail: RecordTail } | undefined;
  return (span: SpanData, machine: string | undefined, source: string | undefined): RecordTail => {
    if (last && last.span === span && last.machine === machine && last.source === source) return last.tail;
    const key = `${span.spanId}\0${machine ?? ""}\0${source ?? ""}`;
    let tail = shared.get(key);
    if (!tail) {
      const subtest = subtestIn(span);
      const attributes: Record<string, string> = { [ATTR.taskName]: checkName };
      if (machine !== undefined) attributes[ATTR.machine] = machine;
      if (subtest !== undefined) attributes[ATTR.subtest] = subtest;
      if (source !== undefined) attributes[LOG_SOURCE] = source;
      shared.set(key, (tail = { attributes, traceId: check.traceId, spanId: span.spanId }));
    }
    last = { span, machine, source, tail };
    return tail;
  };
}

/** Where each record of a check goes: every line is placed (the subtest structure runs through the whole
 * log), then the limits cut. The lines' own parts were encoded as they came (src/logs/encoded-lines.ts). */
export function placeCheckLog(log: CheckLog): PlacedRecords {
  const { check, spans } = log;
  const lines = encodedLinesOf(log.lines);
  const assign = spanAssigner(check, spans);
  const placed: SpanData[] = [];
  for (let i = 0; i < lines.length; i++) placed.push(assign(lines.times[i]!, lines.bodies[i]!));
  // nix's messages about the check, at its end, on its span; then the note on the cut, if any.
  const extra = new EncodedLines();
  for (const text of log.nixMessages ?? []) {
    const facts = lineFacts(text);
    extra.add(check.endNs, text, facts.body, facts.severity, facts.machine, "nix");
  }
  const texts = extra.length ? [...lines.texts, ...extra.texts] : lines.texts;
  // Record i of the whole: a line of the build's, or after them one of `extra`.
  const fromOf = (i: number) => (i < lines.length ? lines : extra);
  const indexOf = (i: number) => (i < lines.length ? i : i - lines.length);
  const spanAt = (i: number) => (i < lines.length ? placed[i]! : check);
  const cut = cutToLimits(texts, log.limits);
  const tailOf = tailsFor(log.checkName, check, spans);
  const spanMachine = (span: SpanData) => {
    const machine = span.attributes[ATTR.machine];
    return typeof machine === "string" ? machine : undefined;
  };
  const result: PlacedRecords = { from: [], index: [], tails: [], cut: cut.cutLines > 0 };
  const take = (i: number) => {
    const from = fromOf(i);
    const j = indexOf(i);
    const span = spanAt(i);
    result.from.push(from);
    result.index.push(j);
    result.tails.push(tailOf(span, from.machines[j] ?? spanMachine(span), from.sources[j]));
  };
  for (let i = 0; i < cut.head; i++) take(i);
  if (cut.cutLines > 0) {
    // The note stands where the cut is, in the span of the first line left out.
    const span = spanAt(cut.head);
    const body =
      `nixotel: ${cut.cutLines} lines (${cut.cutBytes} bytes) of this check's log cut here: it keeps at most ` +
      `${log.limits.maxLinesPerCheck} lines and ${log.limits.maxBytesPerCheck} bytes (nixotel.json logs.maxLinesPerCheck, logs.maxBytesPerCheck)`;
    const note = extra.add(fromOf(cut.head).times[indexOf(cut.head)]!, body, body, "WARN", undefined, "nixotel");
    result.from.push(extra);
    result.index.push(note);
    result.tails.push(tailOf(span, spanMachine(span), "nixotel"));
  }
  for (let i = texts.length - cut.tail; i < texts.length; i++) take(i);
  return result;
}

/** The plain form of placed records (what a reader of logs.jsonl gets back). */
export const plainRecords = (placed: PlacedRecords): LogRecordData[] =>
  placed.index.map((i, k) => {
    const from = placed.from[k]!;
    const { attributes, traceId, spanId } = placed.tails[k]!;
    return { timeNs: from.times[i]!, severity: from.severities[i]!, body: from.bodies[i]!, attributes, traceId, spanId };
  });

export const checkLogRecords = (log: CheckLog): LogRecordData[] => plainRecords(placeCheckLog(log));
