// Spans a test recorded itself ($out/otel/*.jsonl or `@nixotel-otlp ` log lines) joined to the run:
// the run's trace id, fresh span ids (two checks may carry the same ids), roots under the check span.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { LogLine } from "../nix/builds.js";
import { newSpanId, type SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR, Role, type SpanRole } from "../spans/vocabulary.js";
import { parseOtlpJsonLine } from "./otlp-json.js";
import { isErrno } from "../files.js";

export const OTLP_LOG_PREFIX = "@nixotel-otlp ";

export interface Ingested {
  spans: SpanData[];
  /** `file:line: problem` for every line or span that could not be read. */
  problems: string[];
}

/** Reads `<outPath>/otel/*.jsonl`; undefined when the folder does not exist. */
export async function readOtelDir(outPath: string): Promise<Ingested | undefined> {
  const dir = join(outPath, "otel");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".jsonl")).sort();
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return undefined; // the test wrote no spans there
    return { spans: [], problems: [`${dir}: ${(error as Error).message}`] };
  }
  const result: Ingested = { spans: [], problems: [] };
  for (const name of names) {
    const file = join(dir, name);
    try {
      addLines(result, (await readFile(file, "utf8")).split("\n"), file);
    } catch (error) {
      if (!isErrno(error, "EISDIR", "EACCES", "EPERM", "EIO", "ENOENT")) throw error;
      result.problems.push(`${file}: ${(error as Error).message}`); // e.g. a folder named *.jsonl, no permission
    }
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
    const parsed = parseOtlpJsonLine(line);
    result.spans.push(...parsed.spans);
    for (const problem of parsed.problems) result.problems.push(`${source}:${index + 1}: ${problem}`);
  });
}

/** The role of a span a test recorded: a subtest or in-test, whatever it claims (a test cannot pose as a check). */
const ingestedRole = (span: SpanData): SpanRole => (subtestOf(span) === undefined ? Role.inTest : Role.subtest);

/** Rewrites ids so the spans join the run's trace under `parentSpanId`; times are kept as recorded.
 * Spans already in the run's trace (an interactive run passed TRACEPARENT down, and they may have been
 * sent live too) keep their ids, so a second delivery is the same span, not a copy. */
export function reparent(spans: readonly SpanData[], traceId: string, parentSpanId: string): SpanData[] {
  const ids = new Map<string, string>();
  for (const span of spans) if (!ids.has(span.spanId)) ids.set(span.spanId, span.traceId === traceId ? span.spanId : newSpanId());
  const seen = new Set<string>();
  const out: SpanData[] = [];
  for (const span of spans) {
    // The emitter appends to a spool file and the prelude may copy it: keep one of each span.
    const key = `${span.traceId}/${span.spanId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const parent = span.parentSpanId === undefined ? undefined : ids.get(span.parentSpanId);
    out.push({
      ...span,
      traceId,
      spanId: ids.get(span.spanId) ?? newSpanId(),
      parentSpanId: parent ?? parentSpanId,
      attributes: { ...span.attributes, [ATTR.role]: ingestedRole(span) },
      links: span.links.map((link) => ({
        ...link,
        traceId: ids.has(link.spanId) ? traceId : link.traceId,
        spanId: ids.get(link.spanId) ?? link.spanId,
      })),
    });
  }
  return out;
}
