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
import { spoolWhatAKilledRunLeft } from "../export/killed-run.js";
import { keepRejected, readSpoolLines, spanCount } from "../export/spool.js";
import { claimSpoolFile, releaseClaim, spoolState, type HeldElsewhere } from "../export/spool-claim.js";
import { writeFileAtomic } from "../files.js";
import { resolveOutDir, runPaths, type RunPaths } from "../runs/files.js";
import { listRunIds, readRunRecord } from "../runs/read-run.js";
import { runRecord, type RunRecord } from "../runs/record.js";
import { parseOtlpJsonLine } from "../ingest/otlp-json.js";
import type { SpanData } from "../spans/model.js";
import { repairTree } from "../spans/invariants.js";

interface Flushed {
  sent: number;
  left: number;
  refused: number;
  /** Spool lines that could not be read, one `file:line: why` each: moved to rejected.jsonl, never sent. */
  unreadable: string[];
  /** Repairs of a request's span tree before sending (duplicate ids, cycles), `file:line: repair` each. */
  repaired: string[];
  /** Why spans are left; once set, the rest are kept without trying (each try waits out the retries). */
  error?: string;
  refusal?: string;
}

/** One spool file through one exporter: each readable line is one request, as it was spooled. The
 * file is claimed first (renamed aside): a file another flush took meanwhile is skipped. */
async function flushFile(
  free: { path: string; file: string },
  paths: RunPaths,
  settings: OtlpSettings,
  run: Flushed,
  signal: AbortSignal,
): Promise<boolean> {
  const claim = await claimSpoolFile(free);
  if (!claim) return false;
  const readable: { spans: SpanData[]; text: string; number: number }[] = [];
  const unreadable: string[] = [];
  for (const line of await readSpoolLines(claim.claimed)) {
    const { spans, problems } = parseOtlpJsonLine(line.text);
    // nixotel never spools a request without spans; a line with any unreadable span is kept whole.
    const why = spans.length === 0 && problems.length === 0 ? ["no spans in it"] : problems;
    if (why.length) {
      unreadable.push(line.text);
      run.unreadable.push(`${claim.file}:${line.number}: ${why.join("; ")}`);
    } else readable.push({ spans, text: line.text, number: line.number });
  }
  // The span-tree invariant, as run and report keep it, request by request (a line spooled twice is
  // the same spans sent again, not new ones): unique ids, no self-parents, no cycles, whoever wrote the
  // spool (an older nixotel, a hand edit). The line itself is kept as it was.
  const lineOf = new Map<ReadableSpan[], string>();
  for (const line of readable) {
    const tree = repairTree(line.spans);
    run.repaired.push(...tree.problems.map((problem) => `${claim.file}:${line.number}: ${problem}`));
    lineOf.set(toReadableSpans(tree.spans, {}), line.text);
  }
  const chunks = [...lineOf.keys()];
  const result: SendResult =
    run.error === undefined ? await sendChunks(chunks, settings, signal) : { unsent: chunks, refused: [], accepted: 0 };
  run.sent += result.accepted;
  run.left += spanCount(result.unsent);
  run.refused += result.refused.reduce((sum, c) => sum + c.rejected, 0);
  if (result.unsent.length) run.error ??= result.error ?? "export failed";
  run.refusal = result.refusal ?? run.refusal;
  const lines = (chunks: readonly ReadableSpan[][]) => chunks.map((c) => lineOf.get(c) ?? "");
  // Lines are kept in rejected.jsonl before they leave the spool: a crash in between duplicates, never loses.
  // A partly refused line goes whole: the collector says how many of its spans it refused, not which.
  await keepRejected(paths.rejected, [...unreadable, ...lines(result.refused.map((c) => c.spans))]);
  await releaseClaim(claim, lines(result.unsent));
  return true;
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

export async function flush(options: FlushOptions, context: Context): Promise<ExitCode> {
  const settings = exporterSettings(context.env);
  const outDir = resolveOutDir(context.cwd, options.out);
  const runs = await spooledRuns(outDir);
  if (runs.length === 0) {
    context.stdout(`Nothing to flush in ${join(outDir, "runs")}.\n`);
    return 0;
  }
  const held = runs.flatMap((r) => r.held);
  if (settings.kind !== "otlp") {
    throw configError(
      `${runs.flatMap((r) => r.free).length + held.length} spool file(s) wait in ${outDir}, but no collector is configured. Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4318) and run nixotel flush again.`,
    );
  }
  const total: Flushed = { sent: 0, left: 0, refused: 0, unreadable: [], repaired: [] };
  const refusedFiles: string[] = [];
  const unreadableFiles: string[] = [];
  let flushedAny = false;
  for (const { paths, free } of runs) {
    const run: Flushed = {
      sent: 0,
      left: 0,
      refused: 0,
      unreadable: [],
      repaired: [],
      ...(total.error !== undefined ? { error: total.error } : {}),
    };
    let flushed = 0;
    for (const file of free) {
      if (await flushFile(file, paths, settings, run, context.signal)) flushed += 1;
      // Taken by another flush between the listing and the claim: that flush sends it.
      else held.push({ file: file.file });
    }
    if (flushed === 0) continue; // another flush has it all, and brings run.json up to date
    flushedAny = true;
    await updateRecord(paths, settings, run, context);
    total.sent += run.sent;
    total.left += run.left;
    total.refused += run.refused;
    total.unreadable.push(...run.unreadable);
    total.repaired.push(...run.repaired);
    total.error ??= run.error;
    total.refusal = run.refusal ?? total.refusal;
    if (run.refused) refusedFiles.push(paths.rejected);
    if (run.unreadable.length) unreadableFiles.push(paths.rejected);
  }
  // A flush that found everything taken by another one only says what it skipped.
  const parts = flushedAny ? [`flushed ${total.sent} spans to ${settings.url}`] : [];
  if (total.left) parts.push(`${total.left} still spooled (${total.error}): run \`nixotel flush\` again later`);
  if (total.refused)
    parts.push(`${total.refused} refused by the collector for good (${total.refusal}), not retried: kept in ${refusedFiles.join(", ")}`);
  if (total.unreadable.length)
    parts.push(`${total.unreadable.length} spool line(s) unreadable, not sent: kept in ${unreadableFiles.join(", ")}`);
  if (total.repaired.length) parts.push(`${total.repaired.length} span tree repair(s) before sending (on stderr)`);
  if (held.length) parts.push(heldLine(held));
  context.stdout(`${parts.join("; ")}\n`);
  if (total.unreadable.length)
    context.stderr(
      `nixotel: spool lines that cannot be read (moved to rejected.jsonl, not sent):\n${total.unreadable.map((p) => `  - ${p}\n`).join("")}`,
    );
  if (total.repaired.length)
    context.stderr(`nixotel: spooled spans repaired before sending:\n${total.repaired.map((p) => `  - ${p}\n`).join("")}`);
  return total.left === 0 && total.unreadable.length === 0 ? 0 : 1;
}
