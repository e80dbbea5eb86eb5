// `nixotel flush`: resend every run's spooled spans, delete what the collector accepted, move what it
// refused for good (HTTP 400/413) to the run's rejected.jsonl, and bring each run.json up to date.
// Exit 0 when no spool is left (refused spans are reported, never retried: resending cannot help),
// 1 when spans still wait (collector away, busy, or refusing the settings: worth a later flush),
// 2 when nothing is configured.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { FlushOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { configError, type ExitCode } from "../errors.js";
import { exporterSettings, type OtlpSettings } from "../export/config.js";
import { toReadableSpans } from "../export/readable.js";
import { sendChunks } from "../export/send.js";
import { keepRejected, keepSpoolLines, readSpoolLines, spoolFiles } from "../export/spool.js";
import { readIfExists } from "../files.js";
import { resolveOutDir, runPaths, writeAtomic, type RunPaths } from "../runs/files.js";
import { runRecord, runsDir } from "../runs/record.js";
import { parseOtlpJsonLine } from "../spans/otlp-json.js";

async function runIds(outDir: string): Promise<string[]> {
  try {
    return (await readdir(runsDir(outDir))).sort();
  } catch {
    return [];
  }
}

interface Flushed {
  sent: number;
  left: number;
  refused: number;
  /** Why spans are left; once set, the rest are kept without trying (each try waits out the retries). */
  error?: string;
  refusal?: string;
}

async function flushRun(paths: RunPaths, files: readonly string[], settings: OtlpSettings, stopped: string | undefined): Promise<Flushed> {
  const run: Flushed = { sent: 0, left: 0, refused: 0, ...(stopped !== undefined ? { error: stopped } : {}) };
  for (const file of files) {
    const keep: string[] = [];
    const refused: string[] = [];
    for (const line of await readSpoolLines(file)) {
      const { spans } = parseOtlpJsonLine(line);
      const result = run.error === undefined ? await sendChunks([toReadableSpans(spans, {})], settings) : undefined;
      if (result && result.unsent.length === 0 && result.refused.length === 0) run.sent += spans.length;
      else if (result && result.refused.length > 0) {
        refused.push(line);
        run.refused += spans.length;
        run.refusal = result.refusal;
      } else {
        keep.push(line);
        run.left += spans.length;
        run.error ??= result?.error ?? "export failed";
      }
    }
    // Refused lines are kept before they leave the spool: a crash in between duplicates, never loses.
    await keepRejected(paths.rejected, refused);
    await keepSpoolLines(file, keep);
  }
  return run;
}

/** run.json's export part after a flush, written atomically; a missing or damaged record is only reported. */
async function updateRecord(paths: RunPaths, settings: OtlpSettings, run: Flushed, context: Context): Promise<void> {
  const text = await readIfExists(paths.record);
  let json: unknown;
  try {
    json = text === undefined ? undefined : JSON.parse(text);
  } catch {
    json = undefined; // reported below as not a valid record
  }
  const parsed = text === undefined ? undefined : runRecord.safeParse(json);
  if (!parsed?.success) {
    context.stderr(
      `nixotel: ${paths.record} is ${text === undefined ? "missing" : "not a valid run record"}; its export status was not updated\n`,
    );
    return;
  }
  const { error: _previousError, rejected: previouslyRejected = 0, rejection, ...kept } = parsed.data.export;
  const rejected = previouslyRejected + run.refused;
  const record = {
    ...parsed.data,
    export: {
      ...kept,
      endpoint: settings.url,
      protocol: settings.protocol,
      spooled: run.left,
      delivered: run.left === 0 && rejected === 0,
      ...(run.left && run.error !== undefined ? { error: run.error } : {}),
      ...(rejected ? { rejected, rejection: run.refusal ?? rejection ?? "refused" } : {}),
    },
  };
  await writeAtomic(paths.record, `${JSON.stringify(runRecord.parse(record), null, 2)}\n`);
}

export async function flush(options: FlushOptions, context: Context): Promise<ExitCode> {
  const settings = exporterSettings(context.env);
  const outDir = resolveOutDir(context.cwd, options.out);
  const runs = (
    await Promise.all(
      (await runIds(outDir)).map(async (id) => ({ paths: runPaths(outDir, id), files: await spoolFiles(runPaths(outDir, id).spool) })),
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
  const total: Flushed = { sent: 0, left: 0, refused: 0 };
  const rejectedFiles: string[] = [];
  for (const { paths, files } of runs) {
    const run = await flushRun(paths, files, settings, total.error);
    await updateRecord(paths, settings, run, context);
    total.sent += run.sent;
    total.left += run.left;
    total.refused += run.refused;
    total.error ??= run.error;
    total.refusal = run.refusal ?? total.refusal;
    if (run.refused) rejectedFiles.push(paths.rejected);
  }
  const parts = [`flushed ${total.sent} spans to ${settings.url}`];
  if (total.left) parts.push(`${total.left} still spooled (${total.error}): run \`nixotel flush\` again later`);
  if (total.refused)
    parts.push(`${total.refused} refused by the collector for good (${total.refusal}), not retried: kept in ${rejectedFiles.join(", ")}`);
  context.stdout(`${parts.join("; ")}\n`);
  return total.left === 0 ? 0 : 1;
}
