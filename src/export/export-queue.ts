// Sending while the run goes on: batches of one signal's requests (a check's spans, a check's log
// records, as it settles) queue up and go to the exporter one after another; what the collector does not
// accept is appended to the spool at once, what it refuses for good to rejected.jsonl. Once one batch
// could not be delivered, the later ones are spooled without trying (the collector is away: waiting out
// the retries again would only delay). Spans and log records each have their queue.
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context.js";
import type { RunPaths } from "../runs/files.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";
import type { ExporterSettings } from "./config.js";
import type { ExportOutcome } from "./export-run.js";
import { toOtlpJsonLine } from "./otlp-lines.js";
import { sendChunks, SPANS, type SendResult, type SignalKind, type Chunk } from "./send.js";
import { appendChunksToSpool, keepRejected, SPOOL_NAME } from "./spool.js";

/** Chunks (requests of up to 512 spans, or up to 4096 log records and about 4 MiB) waiting to be sent before a new batch waits
 * for the sending: bounds memory. */
export const MAX_WAITING_CHUNKS = 16;

/** One signal as the queue sends it: its exporter, its spool file's name, and a chunk as an OTLP JSON
 * line (the spool's, rejected.jsonl's and the console's form). */
export interface QueuedSignal<C extends Chunk> {
  kind: SignalKind<C>;
  spoolName: string;
  toLine: (chunk: C) => string;
}

export const SPAN_SIGNAL: QueuedSignal<ReadableSpan[]> = { kind: SPANS, spoolName: SPOOL_NAME, toLine: toOtlpJsonLine };

const itemCount = (chunks: readonly Chunk[]) => chunks.reduce((sum, c) => sum + c.length, 0);

export class ExportQueue<C extends Chunk> {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private items = 0;
  private spooled = 0;
  private rejected = 0;
  private error: string | undefined;
  private refusal: string | undefined;
  /** Chunks dealt with (delivered, refused or spooled), in the order they were pushed. */
  handledChunks = 0;

  constructor(
    private readonly signal: QueuedSignal<C>,
    private readonly settings: ExporterSettings,
    private readonly paths: RunPaths,
    private readonly context: Context,
    private readonly attempts: WriteAttempts = throwingAttempts,
    /** Told after each batch is dealt with (run.json records how far the export got). */
    private readonly onHandled: () => void = () => undefined,
  ) {}

  /** Queues a batch; waits only when too many chunks are already waiting. */
  async push(chunks: C[]): Promise<void> {
    this.waiting += chunks.length;
    this.items += itemCount(chunks);
    this.tail = this.tail.then(() => this.send(chunks));
    if (this.waiting > MAX_WAITING_CHUNKS) await this.tail;
  }

  /** Waits for every batch, then says how the export went. */
  async finish(): Promise<ExportOutcome> {
    await this.tail;
    const base = { spans: this.items, spooled: this.spooled };
    const { settings } = this;
    if (settings.kind === "none") return { ...base, endpoint: null, protocol: null, delivered: false };
    if (settings.kind === "console") return { ...base, endpoint: null, protocol: null, delivered: true };
    return {
      ...base,
      endpoint: settings.url,
      protocol: settings.protocol,
      delivered: this.spooled === 0 && this.rejected === 0,
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.rejected ? { rejected: this.rejected, rejection: this.refusal ?? "refused" } : {}),
    };
  }

  private async send(chunks: C[]): Promise<void> {
    const { settings, paths, signal } = this;
    if (settings.kind === "console") this.context.stdout(chunks.map((c) => `${signal.toLine(c)}\n`).join(""));
    if (settings.kind === "otlp") {
      const result: SendResult<C> =
        this.error === undefined
          ? await sendChunks(chunks, settings, this.context.signal, signal.kind)
          : { unsent: chunks, refused: [], accepted: 0 };
      this.error ??= result.error;
      this.refusal = result.refusal ?? this.refusal;
      this.rejected += result.refused.reduce((sum, c) => sum + c.rejected, 0);
      // What cannot be written (disk full) is named by `attempts`; items not written to the spool are lost.
      const spoolFile = join(paths.spool, `${signal.spoolName}.jsonl`);
      this.spooled +=
        (await this.attempts.attempt(spoolFile, () => appendChunksToSpool(paths.spool, result.unsent, signal.spoolName, signal.toLine))) ??
        0;
      // A partly refused request is kept whole: the collector says how many of its items it refused, not which.
      const refusedLines = result.refused.map((c) => signal.toLine(c.spans));
      await this.attempts.attempt(paths.rejected, () => keepRejected(paths.rejected, refusedLines));
    }
    this.waiting -= chunks.length;
    this.handledChunks += chunks.length;
    this.onHandled();
  }
}
