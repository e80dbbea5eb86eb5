// logs.jsonl of a run → log records, for the report. A run recorded before logs were has none; a last line
// a killed run left torn counts as absent, as in spans.jsonl.
import { readFile } from "node:fs/promises";
import { NixotelError } from "../errors.js";
import { isErrno } from "../files.js";
import type { LogRecordData } from "../logs/model.js";
import { parseOtlpLogLine } from "../logs/otlp-logs.js";
import { wholeLines } from "./whole-lines.js";

/** The run's log records; undefined when it has no logs.jsonl. */
export async function readRunLogs(path: string): Promise<LogRecordData[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw new NixotelError("ENVIRONMENT", `Cannot read the logs of the run: ${path}.`, {
      problems: [`${path}: ${(error as Error).message}`],
      cause: error,
    });
  }
  const records: LogRecordData[] = [];
  for (const [index, line] of wholeLines(text).entries()) {
    if (!line.trim()) continue;
    try {
      for (const record of parseOtlpLogLine(line).records) records.push(record);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw new NixotelError(
        "ENVIRONMENT",
        `Expected ${path} to hold OTLP JSON lines (one ExportLogsServiceRequest a line), as \`nixotel run\` writes. Rerun \`nixotel run\`, or fix or remove the file.`,
        { problems: [`${path}:${index + 1}: ${error.message}`], cause: error },
      );
    }
  }
  return records;
}
