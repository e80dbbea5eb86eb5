// `nixotel flush`: resend every run's spooled spans and log records, delete what the collector accepted, move what it
// refused for good (HTTP 400/413) and lines that cannot be read to the run's rejected.jsonl, and bring
// each run.json up to date.
// Exit 0 when no spool is left (refused spans are reported, never retried: resending cannot help),
// 1 when spans still wait (collector away, busy, or refusing the settings; flush interrupted: worth a
// later flush) or a spool line could not be read (named on stderr as `file:line: why`),
// 2 when nothing is configured.
import { basename, join } from "node:path";
import type { FlushOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { NixotelError, configError, type ExitCode } from "../errors.js";
import { exporterSettings, type OtlpSettings } from "../export/config.js";
import { LOGS_SPOOL_NAME } from "../export/export-logs.js";
import { sendChunks, type SendResult, type Chunk } from "../export/send.js";
import { spoolWhatAKilledRunLeft } from "../export/killed-run.js";
import { keepRejected, readSpoolLines } from "../export/spool.js";
import { claimSpoolFile, releaseClaim, spoolState, type HeldElsewhere } from "../export/spool-claim.js";
import { writeFileAtomic } from "../files.js";
import { resolveOutDir, runPaths, type RunPaths } from "../runs/files.js";
import { listRunIds, readRunRecord } from "../runs/read-run.js";
import { runRecord, type LogsExportRecord, type RunRecord } from "../runs/record.js";
import { LOG_SPOOL, SPAN_SPOOL, type SpoolSignal } from "./flush-signals.js";

interface Flushed {
  sent: number;
  left: number;
  refused: number;
  /** Spool lines that could not be read, one `file:line: why` each: moved to rejected.jsonl, never sent. */
  unreadable: string[];
  /** Span tree repairs made before sending, one `file:line: problem` each. */
  repaired: string[];
  /** Why spans are left; once set, the rest are kept without trying (each try waits out the retries). */
  error?: string;
  refusal?: string;
}

const itemCount = (chunks: readonly Chunk[]) => chunks.reduce((sum, c) => sum + c.length, 0);

/** One spool file through one exporter: each readable line is one request, as it was spooled. The
 * file is claimed first (renamed aside): a file another flush took meanwhile is skipped. */
async function flushFile<C extends Chunk>(
  free: { path: string; file: string },
  paths: RunPaths,
  spool: SpoolSignal<C>,
  settings: OtlpSettings,
  run: Flushed,
  signal: AbortSignal,
): Promise<boolean> {
  const claim = await claimSpoolFile(free);
  if (!claim) return false;
  const lineOf = new Map<C, string>();
  const unreadable: string[] = [];
  for (const line of await readSpoolLines(claim.claimed)) {
    const { items, problems, repaired = [] } = spool.read(line.text);
    // nixotel never spools an empty request; a line with any unreadable item is kept whole.
    const why = items.length === 0 && problems.length === 0 ? [`no ${spool.kind.noun} in it`] : problems;
    if (why.length) {
      unreadable.push(line.text);
      run.unreadable.push(`${claim.file}:${line.number}: ${why.join("; ")}`);
    } else {
      lineOf.set(items, line.text);
      run.repaired.push(...repaired.map((problem) => `${claim.file}:${line.number}: ${problem}`));
    }
  }
  const chunks = [...lineOf.keys()];
  const result: SendResult<C> =
    run.error === undefined ? await sendChunks(chunks, settings, signal, spool.kind) : { unsent: chunks, refused: [], accepted: 0 };
  run.sent += result.accepted;
  run.left += itemCount(result.unsent);
  run.refused += result.refused.reduce((sum, c) => sum + c.rejected, 0);
  if (result.unsent.length) run.error ??= result.error ?? "export failed";
  run.refusal = result.refusal ?? run.refusal;
  const lines = (chunks: readonly C[]) => chunks.map((c) => lineOf.get(c) ?? "");
  // Lines are kept in rejected.jsonl before they leave the spool: a crash in between duplicates, never loses.
  // A partly refused line goes whole: the collector says how many of its spans it refused, not which.
  await keepRejected(paths.rejected, [...unreadable, ...lines(result.refused.map((c) => c.spans))]);
  await releaseClaim(claim, lines(result.unsent));
  return true;
}

/** The export part of run.json (spans' or logs') after a flush. */
function flushedExport<E extends { rejected?: number; rejection?: string; error?: string }>(
  previous: E,
  settings: OtlpSettings,
  run: Flushed,
) {
  const { error: _previousError, rejected: previouslyRejected = 0, rejection, ...kept } = previous;
  const rejected = previouslyRejected + run.refused;
  const error = run.left
    ? run.error
    : run.unreadable.length
      ? `${run.unreadable.length} unreadable spool line(s) in rejected.jsonl`
      : undefined;
  return {
    ...kept,
    endpoint: settings.url,
    protocol: settings.protocol,
    spooled: run.left,
    delivered: run.left === 0 && rejected === 0 && run.unreadable.length === 0,
    ...(error !== undefined ? { error } : {}),
    ...(rejected ? { rejected, rejection: run.refusal ?? rejection ?? "refused" } : {}),
  };
}

/** run.json's export parts after a flush, written atomically; a missing or damaged record is only reported. */
async function updateRecord(paths: RunPaths, flushed: readonly RunFlush[], context: Context): Promise<void> {
  let previous: RunRecord;
  try {
    previous = await readRunRecord(paths.record);
  } catch (error) {
    if (!(error instanceof NixotelError)) throw error;
    context.stderr(`nixotel: ${error.problems.join("; ")}; its export status was not updated\n`);
    return;
  }
  const record = { ...previous };
  for (const { signal, settings, run } of flushed) {
    if (signal === SPAN_SPOOL) record.export = flushedExport(previous.export, settings, run);
    else {
      const logs: LogsExportRecord = previous.logs ?? {
        endpoint: null,
        protocol: null,
        delivered: false,
        records: run.left + run.sent,
        spooled: 0,
      };
      record.logs = flushedExport(logs, settings, run);
    }
  }
  await writeFileAtomic(paths.record, `${JSON.stringify(runRecord.parse(record), null, 2)}\n`);
}

/** Every run with something in its spool: what is free to send, and what another flush holds. A run
 * whose nixotel was killed first spools what its export had not dealt with. */
async function spooledRuns(outDir: string) {
  const runs = await Promise.all(
    (await listRunIds(outDir)).map(async (id) => {
      const paths = runPaths(outDir, id);
      await spoolWhatAKilledRunLeft(paths);
      return { paths, ...(await spoolState(paths.spool)) };
    }),
  );
  return runs.filter((r) => r.free.length > 0 || r.held.length > 0);
}

const heldLine = (held: readonly HeldElsewhere[]) =>
  `skipped ${held.length} spool file(s) another flush is sending: ${held.map((h) => (h.pid === undefined ? h.file : `${h.file} (pid ${h.pid})`)).join(", ")}`;

interface RunFlush {
  signal: SpoolSignal<never>;
  settings: OtlpSettings;
  run: Flushed;
}

/** spool/logs.jsonl (and logs-unexported.jsonl, a killed run's) hold log records; every other file spans. */
const signalOf = (file: string): SpoolSignal<never> =>
  (basename(file).startsWith(LOGS_SPOOL_NAME) ? LOG_SPOOL : SPAN_SPOOL) as SpoolSignal<never>;

/** The collector settings of every signal that waits in a spool; none configured for one is an error. */
function settingsFor(runs: Awaited<ReturnType<typeof spooledRuns>>, context: Context, outDir: string) {
  const waiting = runs.flatMap((r) => [...r.free.map((f) => f.file), ...r.held.map((h) => h.file)]);
  const settings = new Map<SpoolSignal<never>, OtlpSettings>();
  for (const signal of new Set(waiting.map(signalOf))) {
    const configured = exporterSettings(context.env, signal.name);
    if (configured.kind !== "otlp")
      throw configError(
        `${waiting.length} spool file(s) wait in ${outDir}, but no collector is configured for their ${signal.kind.noun}. Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318)${signal === SPAN_SPOOL ? "" : " and leave OTEL_LOGS_EXPORTER unset"} and run nixotel flush again.`,
      );
    settings.set(signal, configured);
  }
  return settings;
}

/** What a flush says about one signal. */
function describe(total: Flushed, noun: string, url: string, refusedFiles: readonly string[]): string[] {
  const parts = [`flushed ${total.sent} ${noun} to ${url}`];
  if (total.left)
    parts.push(`${total.left} ${noun === "spans" ? "" : `${noun} `}still spooled (${total.error}): run \`nixotel flush\` again later`);
  if (total.refused)
    parts.push(`${total.refused} refused by the collector for good (${total.refusal}), not retried: kept in ${refusedFiles.join(", ")}`);
  return parts;
}

const emptyFlush = (error?: string): Flushed => ({
  sent: 0,
  left: 0,
  refused: 0,
  unreadable: [],
  repaired: [],
  ...(error !== undefined ? { error } : {}),
});

export async function flush(options: FlushOptions, context: Context): Promise<ExitCode> {
  const outDir = resolveOutDir(context.cwd, options.out);
  const runs = await spooledRuns(outDir);
  if (runs.length === 0) {
    context.stdout(`Nothing to flush in ${join(outDir, "runs")}.\n`);
    return 0;
  }
  const held = runs.flatMap((r) => r.held);
  const settings = settingsFor(runs, context, outDir);
  // Per signal: what was sent, left and refused over all runs; a collector away stops that signal only.
  const totals = new Map([...settings.keys()].map((signal) => [signal, emptyFlush()]));
  const refusedFiles = new Map([...settings.keys()].map((signal) => [signal, [] as string[]]));
  const unreadable: string[] = [];
  const repaired: string[] = [];
  const unreadableFiles: string[] = [];
  const flushedSignals = new Set<SpoolSignal<never>>();
  for (const { paths, free } of runs) {
    const flushed: RunFlush[] = [];
    for (const file of free) {
      const signal = signalOf(file.file);
      const total = totals.get(signal)!;
      let entry = flushed.find((f) => f.signal === signal);
      if (!entry) flushed.push((entry = { signal, settings: settings.get(signal)!, run: emptyFlush(total.error) }));
      // Taken by another flush between the listing and the claim: that flush sends it.
      if (!(await flushFile(file, paths, signal, entry.settings, entry.run, context.signal))) held.push({ file: file.file });
    }
    const done = flushed.filter((f) => f.run.sent + f.run.left + f.run.refused + f.run.unreadable.length > 0);
    if (done.length === 0) continue; // another flush has it all, and brings run.json up to date
    await updateRecord(paths, done, context);
    for (const { signal, run } of done) {
      flushedSignals.add(signal);
      const total = totals.get(signal)!;
      total.sent += run.sent;
      total.left += run.left;
      total.refused += run.refused;
      total.error ??= run.error;
      total.refusal = run.refusal ?? total.refusal;
      unreadable.push(...run.unreadable);
      repaired.push(...run.repaired);
      if (run.refused) refusedFiles.get(signal)!.push(paths.rejected);
      if (run.unreadable.length) unreadableFiles.push(paths.rejected);
    }
  }
  // A flush that found everything taken by another one only says what it skipped.
  const parts = [...flushedSignals].flatMap((signal) =>
    describe(totals.get(signal)!, signal.kind.noun, settings.get(signal)!.url, refusedFiles.get(signal)!),
  );
  if (unreadable.length)
    parts.push(`${unreadable.length} spool line(s) unreadable, not sent: kept in ${[...new Set(unreadableFiles)].join(", ")}`);
  if (repaired.length) parts.push(`${repaired.length} span tree repair(s) before sending (on stderr)`);
  if (held.length) parts.push(heldLine(held));
  context.stdout(`${parts.join("; ")}\n`);
  if (unreadable.length)
    context.stderr(
      `nixotel: spool lines that cannot be read (moved to rejected.jsonl, not sent):\n${unreadable.map((p) => `  - ${p}\n`).join("")}`,
    );
  if (repaired.length) context.stderr(`nixotel: spooled spans repaired before sending:\n${repaired.map((p) => `  - ${p}\n`).join("")}`);
  const left = [...totals.values()].reduce((sum, t) => sum + t.left, 0);
  return left === 0 && unreadable.length === 0 ? 0 : 1;
}
