// Sending while the run goes on: batches of spans (a check's, as it settles) queue up and go to the
// exporter one after another; what the collector does not accept is appended to the spool at once,
// what it refuses for good to rejected.jsonl. Once one batch could not be delivered, the later ones
// are spooled without trying (the collector is away: waiting out the retries again would only delay).
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context.js";
import type { RunPaths } from "../runs/files.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";
import type { ExporterSettings } from "./config.js";
import type { ExportOutcome } from "./export-run.js";
import { toOtlpJsonLine } from "./otlp-lines.js";
import { sendChunks, SPANS, type SendResult } from "./send.js";
import { appendToSpool, keepRejected, spanCount, SPOOL_NAME } from "./spool.js";

/** Chunks (of up to 512 spans) waiting to be sent before a new batch waits for the sending: bounds memory. */
export const MAX_WAITING_CHUNKS = 16;

export class ExportQueue {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;
  private spans = 0;
  private spooled = 0;
  private rejected = 0;
  private error: string | undefined;
  private refusal: string | undefined;
  /** Chunks dealt with (delivered, refused or spooled), in the order they were pushed. */
  handledChunks = 0;

  constructor(
    private readonly settings: ExporterSettings,
    private readonly paths: RunPaths,
    private readonly context: Context,
    private readonly attempts: WriteAttempts = throwingAttempts,
    /** Told after each batch is dealt with (run.json records how far the export got). */
    private readonly onHandled: () => void = () => undefined,
  ) {}

  /** Queues a batch; waits only when too many chunks are already waiting. */
  async push(chunks: ReadableSpan[][]): Promise<void> {
    this.waiting += chunks.length;
    this.spans += spanCount(chunks);
    this.tail = this.tail.then(() => this.send(chunks));
    if (this.waiting > MAX_WAITING_CHUNKS) await this.tail;
  }

  /** Waits for every batch, then says how the export went. */
  async finish(): Promise<ExportOutcome> {
    await this.tail;
    const base = { spans: this.spans, spooled: this.spooled };
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

  private async send(chunks: ReadableSpan[][]): Promise<void> {
    const { settings, paths } = this;
    if (settings.kind === "console") this.context.stdout(chunks.map((c) => `${toOtlpJsonLine(c)}\n`).join(""));
    if (settings.kind === "otlp") {
      const result: SendResult =
        this.error === undefined
          ? await sendChunks(chunks, settings, this.context.signal, SPANS)
          : { unsent: chunks, refused: [], accepted: 0 };
      this.error ??= result.error;
      this.refusal = result.refusal ?? this.refusal;
      this.rejected += result.refused.reduce((sum, c) => sum + c.rejected, 0);
      // What cannot be written (disk full) is named by `attempts`; spans not written to the spool are lost.
      this.spooled +=
        (await this.attempts.attempt(join(paths.spool, `${SPOOL_NAME}.jsonl`), () => appendToSpool(paths.spool, result.unsent))) ?? 0;
      // A partly refused request is kept whole: the collector says how many of its spans it refused, not which.
      const refusedLines = result.refused.map((c) => toOtlpJsonLine(c.spans));
      await this.attempts.attempt(paths.rejected, () => keepRejected(paths.rejected, refusedLines));
    }
    this.waiting -= chunks.length;
    this.handledChunks += chunks.length;
    this.onHandled();
  }
}
