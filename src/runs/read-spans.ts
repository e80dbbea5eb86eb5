// spans.jsonl of a run → SpanData, with every unreadable line or span reported as `path:line: problem`.
import { readFile } from "node:fs/promises";
import { NixotelError } from "../errors.js";
import type { SpanData } from "../spans/model.js";
import { parseOtlpJsonLine } from "../ingest/otlp-json.js";
import { isErrno } from "../files.js";
import { wholeLines } from "./whole-lines.js";

const SHOWN_PROBLEMS = 10;

/** The run's spans; undefined when the run has no spans.jsonl (a run cut short before writing it). */
export async function readRunSpans(path: string): Promise<SpanData[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw new NixotelError("ENVIRONMENT", `Cannot read the spans of the run: ${path}.`, {
      problems: [`${path}: ${(error as Error).message}`],
      cause: error,
    });
  }
  const spans: SpanData[] = [];
  const problems: string[] = [];
  wholeLines(text).forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseOtlpJsonLine(line);
    spans.push(...parsed.spans);
    for (const problem of parsed.problems) problems.push(`${path}:${index + 1}: ${problem}`);
    // parseOtlpJsonLine accepts any JSON object; a line of a run file must be a request.
    if (!parsed.problems.length && !line.includes('"resourceSpans"'))
      problems.push(`${path}:${index + 1}: not an ExportTraceServiceRequest (no "resourceSpans")`);
  });
  if (problems.length) {
    const more = problems.length > SHOWN_PROBLEMS ? [`… and ${problems.length - SHOWN_PROBLEMS} more`] : [];
    throw new NixotelError(
      "ENVIRONMENT",
      `Expected ${path} to hold OTLP JSON lines (one ExportTraceServiceRequest a line), as \`nixotel run\` writes; ${problems.length} problem(s) found. Rerun \`nixotel run\`, or fix or remove the file.`,
      { problems: [...problems.slice(0, SHOWN_PROBLEMS), ...more] },
    );
  }
  return spans;
}
