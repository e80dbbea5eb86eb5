// `nixotel flush`: resend every run's spooled spans to the collector and delete what it accepted.
// Exit 0 when nothing is left in any spool, 1 when some spans are still undeliverable (the
// collector is still away: like a failed test, worth retrying later), 2 when nothing is configured.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { FlushOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { configError, type ExitCode } from "../errors.js";
import { exporterSettings } from "../export/config.js";
import { toReadableSpans } from "../export/readable.js";
import { sendChunks } from "../export/send.js";
import { keepSpoolLines, readSpoolLines, spoolFiles } from "../export/spool.js";
import { resolveOutDir, runPaths } from "../runs/files.js";
import { runsDir } from "../runs/record.js";
import { parseOtlpJsonLine } from "../spans/otlp-json.js";

async function runIds(outDir: string): Promise<string[]> {
  try {
    return (await readdir(runsDir(outDir))).sort();
  } catch {
    return [];
  }
}

export async function flush(options: FlushOptions, context: Context): Promise<ExitCode> {
  const settings = exporterSettings(context.env);
  const outDir = resolveOutDir(context.cwd, options.out);
  const files = (await Promise.all((await runIds(outDir)).map((id) => spoolFiles(runPaths(outDir, id).spool)))).flat();
  if (files.length === 0) {
    context.stdout(`Nothing to flush in ${join(outDir, "runs")}.\n`);
    return 0;
  }
  if (settings.kind !== "otlp") {
    throw configError(
      `${files.length} spool file(s) wait in ${outDir}, but no collector is configured. Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) and run nixotel flush again.`,
    );
  }
  let sent = 0;
  let left = 0;
  let lastError: string | undefined;
  for (const file of files) {
    const lines = await readSpoolLines(file);
    const keep: string[] = [];
    for (const line of lines) {
      // Once the collector refuses, keep the rest without trying (each try waits out the retries).
      if (lastError !== undefined) {
        keep.push(line);
        left += parseOtlpJsonLine(line).spans.length;
        continue;
      }
      const { spans } = parseOtlpJsonLine(line);
      const result = await sendChunks([toReadableSpans(spans, {})], settings);
      if (result.rejected.length === 0) sent += spans.length;
      else {
        keep.push(line);
        left += spans.length;
        lastError = result.error ?? "export failed";
      }
    }
    await keepSpoolLines(file, keep);
  }
  context.stdout(`flushed ${sent} spans to ${settings.url}${left ? `; ${left} still spooled (${lastError})` : ""}\n`);
  return left === 0 ? 0 : 1;
}
