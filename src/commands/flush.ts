// `nixotel flush`: resend every run's spooled spans, delete what the collector accepted, move what it
// refused for good (HTTP 400/413) and lines that cannot be read to the run's rejected.jsonl, and bring
// each run.json up to date.
// Exit 0 when no spool is left (refused spans are reported, never retried: resending cannot help),
// 1 when spans still wait (collector away, busy, or refusing the settings; flush interrupted: worth a
// later flush) or a spool line could not be read (named on stderr as `file:line: why`),
// 2 when nothing is configured.
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { FlushOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { NixotelError, configError, type ExitCode } from "../errors.js";
import { exporterSettings, type OtlpSettings } from "../export/config.js";
import { toReadableSpans } from "../export/readable.js";
import { sendChunks, type SendResult } from "../export/send.js";
import { keepRejected, keepSpoolLines, readSpoolLines, spoolFiles } from "../export/spool.js";
import { writeFileAtomic } from "../files.js";
import { resolveOutDir, runPaths, type RunPaths } from "../runs/files.js";
import { listRunIds, readRunRecord } from "../runs/read-run.js";
import { runRecord, type RunRecord } from "../runs/record.js";
import { parseOtlpJsonLine } from "../ingest/otlp-json.js";

interface Flushed {
  sent: number;
  left: number;
  refused: number;
  /** Spool lines that could not be read, one `file:line: why` each: moved to rejected.jsonl, never sent. */
  unreadable: string[];
  /** Why spans are left; once set, the rest are kept without trying (each try waits out the retries). */
  error?: string;
  refusal?: string;
}

const spanCount = (chunks: readonly ReadableSpan[][]) => chunks.reduce((sum, c) => sum + c.length, 0);

/** One spool file through one exporter: each readable line is one request, as it was spooled. */
async function flushFile(file: string, paths: RunPaths, settings: OtlpSettings, run: Flushed, signal: AbortSignal): Promise<void> {
  const lineOf = new Map<ReadableSpan[], string>();
  const unreadable: string[] = [];
  for (const line of await readSpoolLines(file)) {
    const { spans, problems } = parseOtlpJsonLine(line.text);
    // nixotel never spools a request without spans; a line with any unreadable span is kept whole.
    const why = spans.length === 0 && problems.length === 0 ? ["no spans in it"] : problems;
    if (why.length) {
      unreadable.push(line.text);
      run.unreadable.push(`${file}:${line.number}: ${why.join("; ")}`);
    } else lineOf.set(toReadableSpans(spans, {}), line.text);
  }
  const chunks = [...lineOf.keys()];
  const result: SendResult =
    run.error === undefined ? await sendChunks(chunks, settings, signal) : { unsent: chunks, refused: [], accepted: 0 };
  run.sent += result.accepted;
  run.left += spanCount(result.unsent);
  run.refused += spanCount(result.refused);
  if (result.unsent.length) run.error ??= result.error ?? "export failed";
  run.refusal = result.refusal ?? run.refusal;
  const lines = (chunks: readonly ReadableSpan[][]) => chunks.map((c) => lineOf.get(c) ?? "");
  // Lines are kept in rejected.jsonl before they leave the spool: a crash in between duplicates, never loses.
  await keepRejected(paths.rejected, [...unreadable, ...lines(result.refused)]);
  await keepSpoolLines(file, lines(result.unsent));
}

/** run.json's export part after a flush, written atomically; a missing or damaged record is only reported. */
async function updateRecord(paths: RunPaths, settings: OtlpSettings, run: Flushed, context: Context): Promise<void> {
  let previous: RunRecord;
  try {
    previous = await readRunRecord(paths.record);
  } catch (error) {
    if (!(error instanceof NixotelError)) throw error;
    context.stderr(`nixotel: ${error.problems.join("; ")}; its export status was not updated\n`);
    return;
  }
  const { error: _previousError, rejected: previouslyRejected = 0, rejection, ...kept } = previous.export;
  const rejected = previouslyRejected + run.refused;
  const error = run.left
    ? run.error
    : run.unreadable.length
      ? `${run.unreadable.length} unreadable spool line(s) in rejected.jsonl`
      : undefined;
  const record = {
    ...previous,
    export: {
      ...kept,
      endpoint: settings.url,
      protocol: settings.protocol,
      spooled: run.left,
      delivered: run.left === 0 && rejected === 0 && run.unreadable.length === 0,
      ...(error !== undefined ? { error } : {}),
      ...(rejected ? { rejected, rejection: run.refusal ?? rejection ?? "refused" } : {}),
    },
  };
  await writeFileAtomic(paths.record, `${JSON.stringify(runRecord.parse(record), null, 2)}\n`);
}

export async function flush(options: FlushOptions, context: Context): Promise<ExitCode> {
  const settings = exporterSettings(context.env);
  const outDir = resolveOutDir(context.cwd, options.out);
  const runs = (
    await Promise.all(
      (await listRunIds(outDir)).map(async (id) => {
        const paths = runPaths(outDir, id);
        return { paths, files: await spoolFiles(paths.spool) };
      }),
    )
  ).filter((r) => r.files.length > 0);
  if (runs.length === 0) {
    context.stdout(`Nothing to flush in ${join(outDir, "runs")}.\n`);
    return 0;
  }
  if (settings.kind !== "otlp") {
    throw configError(
      `${runs.flatMap((r) => r.files).length} spool file(s) wait in ${outDir}, but no collector is configured. Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) and run nixotel flush again.`,
    );
  }
  const total: Flushed = { sent: 0, left: 0, refused: 0, unreadable: [] };
  const refusedFiles: string[] = [];
  const unreadableFiles: string[] = [];
  for (const { paths, files } of runs) {
    const run: Flushed = { sent: 0, left: 0, refused: 0, unreadable: [], ...(total.error !== undefined ? { error: total.error } : {}) };
    for (const file of files) await flushFile(file, paths, settings, run, context.signal);
    await updateRecord(paths, settings, run, context);
    total.sent += run.sent;
    total.left += run.left;
    total.refused += run.refused;
    total.unreadable.push(...run.unreadable);
    total.error ??= run.error;
    total.refusal = run.refusal ?? total.refusal;
    if (run.refused) refusedFiles.push(paths.rejected);
    if (run.unreadable.length) unreadableFiles.push(paths.rejected);
  }
  const parts = [`flushed ${total.sent} spans to ${settings.url}`];
  if (total.left) parts.push(`${total.left} still spooled (${total.error}): run \`nixotel flush\` again later`);
  if (total.refused)
    parts.push(`${total.refused} refused by the collector for good (${total.refusal}), not retried: kept in ${refusedFiles.join(", ")}`);
  if (total.unreadable.length)
    parts.push(`${total.unreadable.length} spool line(s) unreadable, not sent: kept in ${unreadableFiles.join(", ")}`);
  context.stdout(`${parts.join("; ")}\n`);
  if (total.unreadable.length)
    context.stderr(
      `nixotel: spool lines that cannot be read (moved to rejected.jsonl, not sent):\n${total.unreadable.map((p) => `  - ${p}\n`).join("")}`,
    );
  return total.left === 0 && total.unreadable.length === 0 ? 0 : 1;
}
