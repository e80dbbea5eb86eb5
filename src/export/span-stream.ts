// A run's spans.jsonl written as the run goes: each batch (a check's spans when it settles; the run's
// own spans last) is repaired against the ids already in the file, appended as whole OTLP JSON lines in
// ONE write, then queued for export. A line is whole or absent: every batch ends in "\n", and readers
// drop a last line without one (a write cut short by SIGKILL or a full disk, src/runs/read-spans.ts).
import { appendFile } from "node:fs/promises";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context.js";
import type { RunPaths } from "../runs/files.js";
import type { WriteAttempts } from "../runs/write-attempts.js";
import { repairTree } from "../spans/invariants.js";
import type { Attributes, SpanData } from "../spans/model.js";
import { RecentIds } from "../spans/recent-ids.js";
import type { ExportQueue } from "./export-queue.js";
import { chunk, toOtlpJsonLine } from "./otlp-lines.js";
import { toReadableSpans } from "./readable.js";

export class SpanStream {
  /** Ids of the spans written last: the file keeps unique ids whatever a test recorded (bounded: recent-ids.ts). */
  private readonly written = new RecentIds();
  /** Lines appended to spans.jsonl so far (one OTLP request each). */
  lines = 0;

  constructor(
    private readonly paths: RunPaths,
    private readonly resource: Attributes,
    private readonly queue: ExportQueue<ReadableSpan[]>,
    private readonly attempts: WriteAttempts,
    private readonly context: Context,
  ) {}

  /** Returns the spans as written (repaired), for records that point at them. */
  async append(spans: readonly SpanData[]): Promise<readonly SpanData[]> {
    if (spans.length === 0) return spans;
    const tree = repairTree(spans, this.written);
    for (const problem of tree.problems) this.context.stderr(`nixotel: span tree repaired: ${problem}\n`);
    const chunks = chunk(toReadableSpans(tree.spans, this.resource));
    const text = chunks.map((c) => `${toOtlpJsonLine(c)}\n`).join("");
    const wrote = await this.attempts.attempt(this.paths.spans, async () => {
      await appendFile(this.paths.spans, text);
      return true;
    });
    if (wrote) this.lines += chunks.length;
    await this.queue.push(chunks);
    return tree.spans;
  }
}
