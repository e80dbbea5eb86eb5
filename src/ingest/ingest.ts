// Spans a test recorded itself ($out/otel/*.jsonl or `@nixotel-otlp ` log lines) joined to the run:
// the run's trace id, fresh span ids (two checks may carry the same ids), roots under the check span.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { LogLine } from "../nix/builds.js";
import { newSpanId, type SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR, Role, type SpanRole } from "../spans/vocabulary.js";
import { parseOtlpJsonLine } from "./otlp-json.js";
import { isRealFolder, MAX_TEST_FILE_BYTES, readRegularFile } from "./read-bounded.js";

export const OTLP_LOG_PREFIX = "@nixotel-otlp ";
/** At most this many spans are read from one check's files (100 000); the rest are named as not read. */
export const MAX_TEST_SPANS = 100_000;
const SPAN_LIMIT = `spans beyond ${MAX_TEST_SPANS} not read (from here on)`;

export interface Ingested {
  spans: SpanData[];
  /** `file:line: problem` for every line or span that could not be read. */
  problems: string[];
}

/** Reads `<outPath>/otel/*.jsonl`; undefined when the folder does not exist. Symlinks, devices and
 * FIFOs are refused, files are read up to MAX_TEST_FILE_BYTES, spans up to MAX_TEST_SPANS. */
export async function readOtelDir(outPath: string): Promise<Ingested | undefined> {
  const dir = join(outPath, "otel");
  const kind = await isRealFolder(dir);
  if (kind === "missing") return undefined; // the test wrote no spans there
  if (kind !== "folder") return { spans: [], problems: [`${dir}: not a folder but a symlink or file, not read`] };
  const names = (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
  const result: Ingested = { spans: [], problems: [] };
  for (const name of names) {
    const file = join(dir, name);
    const read = await readRegularFile(file);
    if (read.kind === "missing") continue;
    if (read.kind === "refused") {
      result.problems.push(`${file}: ${read.why}`);
      continue;
    }
    const lines = read.text.split("\n");
    // A cut file ends in half a line: that line is part of what was not read.
    if (read.truncatedBytes > 0) {
      lines.pop();
      result.problems.push(`${file}: only the first ${MAX_TEST_FILE_BYTES} bytes read; ${read.truncatedBytes} more bytes not read`);
    }
    addLines(result, lines, file);
  }
  return result;
}

/** Reads the `@nixotel-otlp ` lines of a build log; undefined when there are none. */
export function readOtlpLogLines(lines: readonly LogLine[]): Ingested | undefined {
  const payloads = lines.filter((l) => l.text.startsWith(OTLP_LOG_PREFIX)).map((l) => l.text.slice(OTLP_LOG_PREFIX.length));
  if (payloads.length === 0) return undefined;
  const result: Ingested = { spans: [], problems: [] };
  addLines(result, payloads, "build log");
  return result;
}

function addLines(result: Ingested, lines: readonly string[], source: string): void {
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    if (result.spans.length >= MAX_TEST_SPANS) {
      if (!result.problems.at(-1)?.endsWith(SPAN_LIMIT)) result.problems.push(`${source}:${index + 1}: ${SPAN_LIMIT}`);
      return;
    }
    const parsed = parseOtlpJsonLine(line);
    result.spans.push(...parsed.spans.slice(0, MAX_TEST_SPANS - result.spans.length));
    for (const problem of parsed.problems) result.problems.push(`${source}:${index + 1}: ${problem}`);
  });
}

/** The role of a span a test recorded: a subtest, a driver action (the prelude's, `nixos.test.action`) or
 * in-test, whatever it claims (a test cannot pose as a check). */
const ingestedRole = (span: SpanData): SpanRole =>
  subtestOf(span) !== undefined ? Role.subtest : isActionSpan(span) ? Role.action : Role.inTest;

/** A driver action the prelude recorded (scripts/nixotel_prelude.py wraps the driver's Machine methods). */
export const isActionSpan = (span: Pick<SpanData, "attributes">) => typeof span.attributes[ATTR.action] === "string";

/** Rewrites ids so the spans join the run's trace under `parentSpanId`; times are kept as recorded.
 * Spans already in the run's trace (an interactive run passed TRACEPARENT down, and they may have been
 * sent live too) keep their ids, so a second delivery is the same span, not a copy. */
export function reparent(spans: readonly SpanData[], traceId: string, parentSpanId: string): SpanData[] {
  // Ids are unique only within a trace: two traces a test wrote may share a span id.
  const key = (trace: string, span: string) => `${trace}/${span}`;
  const ids = new Map<string, string>();
  for (const span of spans) {
    const k = key(span.traceId, span.spanId);
    if (!ids.has(k)) ids.set(k, span.traceId === traceId ? span.spanId : newSpanId());
  }
  const seen = new Set<string>();
  const out: SpanData[] = [];
  for (const span of spans) {
    // The emitter's spool and the prelude's copy may hold the same span twice: keep one of each.
    const k = key(span.traceId, span.spanId);
    if (seen.has(k)) continue;
    seen.add(k);
    const parent = span.parentSpanId === undefined ? undefined : ids.get(key(span.traceId, span.parentSpanId));
    out.push({
      ...span,
      traceId,
      spanId: ids.get(k) ?? newSpanId(),
      parentSpanId: parent ?? parentSpanId,
      attributes: { ...span.attributes, [ATTR.role]: ingestedRole(span) },
      links: span.links.map((link) => {
        const linked = ids.get(key(link.traceId, link.spanId));
        return { ...link, traceId: linked ? traceId : link.traceId, spanId: linked ?? link.spanId };
      }),
    });
  }
  return out;
}
