// logs.jsonl written and sent check by check as each settles (a CheckSink of
// src/pipeline/streaming-record.ts), after the spans the records point at: each check's records become
// OTLP requests (src/logs/log-chunk.ts), each appended to logs.jsonl as a whole line then queued
// for export (src/export/export-queue.ts), so a run holds no more records than its queue bounds.
// nix's messages about a check judged while nix still built (src/pipeline/settle-early.ts) may come
// after it was written: they are added at the end of the run (nixSaid).
import type { ExportQueue } from "../export/export-queue.js";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { CheckSink } from "../pipeline/streaming-record.js";
import type { RunPaths } from "../runs/files.js";
import type { WriteAttempts } from "../runs/write-attempts.js";
import type { Attributes, SpanData } from "../spans/model.js";
import { releaseEncodedLines } from "./encoded-lines.js";
import { appendLogChunks, placedChunks, type LogChunk } from "./log-chunk.js";
import { DEFAULT_LOG_LIMITS, type LogLimits } from "./model.js";
import { placeCheckLog, type PlacedRecords } from "./records.js";
import { outcomeLogRecords } from "./run-logs.js";

/** What a written check's late nix messages need: its derivation, what its records hold, its span. */
interface WrittenCheck {
  name: string;
  drvPath?: string;
  held: ReadonlySet<string>;
  check: SpanData;
}

/** Requests queued at once: each batch is sent over one connection (src/export/send.ts). */
const CHUNKS_PER_BATCH = 2;

export class LogSink implements CheckSink {
  /** Records written (and queued for export) so far. */
  records = 0;
  /** Checks whose log was cut by the limits. */
  cut = 0;
  private readonly written: WrittenCheck[] = [];

  constructor(
    private readonly paths: RunPaths,
    private readonly resource: Attributes,
    private readonly attempts: WriteAttempts,
    private readonly queue: ExportQueue<LogChunk>,
    /** nixotel.json's `logs`; the defaults without one. */
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
  ) {}

  /** `spans`: the check's spans as written, its check span first. */
  async checkSettled(outcome: CheckOutcome, spans: readonly SpanData[]): Promise<void> {
    const check = spans[0];
    if (!this.limits.enabled || !check) return;
    const { name, drvPath } = outcome.check;
    this.written.push({ name, ...(drvPath ? { drvPath } : {}), held: new Set(outcome.nixMessages ?? []), check });
    const placed = outcomeLogRecords(outcome, check, spans, this.limits);
    if (placed.cut) this.cut += 1;
    await this.append(placed);
    if (outcome.build) releaseEncodedLines(outcome.build.lines);
  }

  /** The run's nix messages at its end: those naming a written check's derivation that its records do
   * not hold yet become records on its check span. */
  async nixSaid(nixErrors: readonly string[]): Promise<void> {
    if (!this.limits.enabled) return;
    for (const { name, drvPath, held, check } of this.written) {
      const late = drvPath ? nixErrors.filter((e) => e.includes(drvPath) && !held.has(e)) : [];
      if (late.length)
        await this.append(placeCheckLog({ checkName: name, lines: [], nixMessages: late, check, spans: [check], limits: this.limits }));
    }
  }

  private async append(placed: PlacedRecords): Promise<void> {
    const chunks = placedChunks(placed, this.resource);
    // A few requests at a time: each batch composed while the one before is being written, then
    // appended and queued, so those are sent while the next are written.
    let writing: { batch: LogChunk[]; written: Promise<unknown> } | undefined;
    for (let i = 0; i < chunks.length; i += CHUNKS_PER_BATCH) {
      const batch = chunks.slice(i, i + CHUNKS_PER_BATCH);
      for (const chunk of batch) chunk.json();
      if (writing) await this.appended(writing);
      writing = { batch, written: this.attempts.attempt(this.paths.logs, () => appendLogChunks(this.paths.logs, batch)) };
      writing.written.catch(() => undefined); // met when awaited, even if composing the next batch throws first
    }
    if (writing) await this.appended(writing);
  }

  /** A batch appended to logs.jsonl (or its write noted as failed): counted and queued for export. */
  private async appended({ batch, written }: { batch: LogChunk[]; written: Promise<unknown> }): Promise<void> {
    await written;
    this.records += batch.reduce((sum, chunk) => sum + chunk.length, 0);
    await this.queue.push(batch);
  }
}
