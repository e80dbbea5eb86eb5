// Each line's own part of its OTLP log record, made once, as nix reports the line (while the build
// still runs, when nixotel mostly waits): the clean body, severity, machine, and the record's JSON from
// `{"timeUnixNano"` to the body's closing quote, as UTF-8. What depends on the span tree (the span's
// ids, the subtest, attributes) is known only when the check settles; then each record is the line's
// bytes plus its span's, copied (src/logs/log-chunk.ts), and protobuf takes the body's bytes from here too.
import { OTLP_LOG_PREFIX } from "../ingest/ingest.js";
import type { Writer } from "../export/otlp-protobuf.js";
import type { BuildListener, LogLine } from "../nix/builds.js";
import { lineFacts } from "./line.js";
import { SEVERITY_NUMBER, type Severity } from "./model.js";

/** `@nixotel-otlp` lines are spans in transit (read into the trace); `@nix` lines a builder's words to nix
 * (phases), which a stored log keeps verbatim: neither is something a person printed. */
export const isMachineTalk = (text: string) => text.startsWith(OTLP_LOG_PREFIX) || text.startsWith("@nix ");

/** What follows the times in a record's JSON, by severity, up to the body's opening quote. */
const AFTER_TIMES: Record<Severity, string> = {
  INFO: `","severityNumber":${SEVERITY_NUMBER.INFO},"severityText":"INFO","body":{"stringValue":`,
  WARN: `","severityNumber":${SEVERITY_NUMBER.WARN},"severityText":"WARN","body":{"stringValue":`,
  ERROR: `","severityNumber":${SEVERITY_NUMBER.ERROR},"severityText":"ERROR","body":{"stringValue":`,
};

/** What JSON must escape in a string (quote, backslash, control characters) or cannot hold as it is (a
 * lone surrogate: JSON.stringify writes it as \\uXXXX). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;
const QUOTE = 0x22;

/** Bytes of JSON kept in one buffer: the first small (most checks print little), each next one twice
 * the last, up to 1 MiB (a longer line gets one of its own). */
const FIRST_BLOCK = 16 << 10;
const LARGEST_BLOCK = 1 << 20;

export class EncodedLines {
  readonly times: bigint[] = [];
  /** What the build printed (the limits count these bytes), and the same cleaned (ANSI codes and a
   * `vm-test-run-NAME> ` prefix stripped): the record's body. */
  readonly texts: string[] = [];
  readonly bodies: string[] = [];
  readonly severities: Severity[] = [];
  /** The machine a line names (`NAME: …`, `NAME # …`). */
  readonly machines: (string | undefined)[] = [];
  /** `prelude` for the prelude's own messages, `nix` for nix's, `nixotel` for the note on a cut. */
  readonly sources: (string | undefined)[] = [];
  /** The lines' JSON, in blocks never moved once written: line i is `blocks[block[i]]` from `starts[i]`
   * to `ends[i]`, its body's bytes from `bodyStarts[i]` (after the quote); -1: the body needed escaping,
   * so its JSON bytes are not its UTF-8 bytes. */
  private readonly blocks: Buffer[] = [];
  private readonly block: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly bodyStarts: number[] = [];
  private used = 0;
  private readonly machineNames = new Map<string, string>();
  /** Lines of the build looked at so far (machine talk included). */
  private consumed = 0;
  /** The last line's time and the JSON before its body, by severity: lines come many to a moment. */
  private lastTime = -1n;
  private heads: Partial<Record<Severity, Buffer>> = {};

  get length(): number {
    return this.times.length;
  }

  /** Encodes the lines not looked at yet: one at a time as they arrive, or all at once. */
  consume(lines: readonly LogLine[]): this {
    for (; this.consumed < lines.length; this.consumed++) {
      const { text, timeNs } = lines[this.consumed]!;
      if (isMachineTalk(text)) continue;
      const facts = lineFacts(text);
      this.add(timeNs, text, facts.body, facts.severity, this.one(facts.machine), facts.source);
    }
    return this;
  }

  /** The machine's name as first seen: a run keeps one string per machine, not one per line. */
  private one(machine: string | undefined): string | undefined {
    if (machine === undefined) return undefined;
    let kept = this.machineNames.get(machine);
    if (kept === undefined) this.machineNames.set(machine, (kept = machine));
    return kept;
  }

  /** One record's own part; its index. */
  add(timeNs: bigint, text: string, body: string, severity: Severity, machine?: string, source?: string): number {
    const head = this.headOf(timeNs, severity);
    const plain = !NEEDS_ESCAPING.test(body);
    const quoted = plain ? body : JSON.stringify(body);
    const most = head.length + 3 * quoted.length + 2; // a UTF-16 code unit is at most 3 bytes of UTF-8
    const last = this.blocks.at(-1);
    if (!last || this.used + most > last.length) {
      const next = last ? Math.min(LARGEST_BLOCK, 2 * last.length) : FIRST_BLOCK;
      this.blocks.push(Buffer.allocUnsafe(Math.max(next, most)));
      this.used = 0;
    }
    const block = this.blocks.at(-1)!;
    this.block.push(this.blocks.length - 1);
    this.starts.push(this.used);
    block.set(head, this.used);
    this.used += head.length;
    if (plain) {
      block[this.used++] = QUOTE;
      this.bodyStarts.push(this.used);
      this.used += block.write(body, this.used, "utf8");
      block[this.used++] = QUOTE;
    } else {
      this.bodyStarts.push(quoted.length === body.length + 2 ? this.used + 1 : -1); // escaped: not its UTF-8
      this.used += block.write(quoted, this.used, "utf8");
    }
    this.ends.push(this.used);
    this.times.push(timeNs);
    this.texts.push(text);
    this.bodies.push(body);
    this.severities.push(severity);
    this.machines.push(machine);
    this.sources.push(source);
    return this.times.length - 1;
  }

  private headOf(timeNs: bigint, severity: Severity): Buffer {
    if (timeNs !== this.lastTime) [this.lastTime, this.heads] = [timeNs, {}];
    const known = this.heads[severity];
    if (known) return known;
    const time = timeNs.toString();
    return (this.heads[severity] = Buffer.from(
      `{"timeUnixNano":"${time}","observedTimeUnixNano":"${time}${AFTER_TIMES[severity]}`,
      "latin1",
    ));
  }

  /** Bytes of line i's JSON, `{"timeUnixNano"…"body":{"stringValue":"…"`: the record without its span's part. */
  jsonSize(i: number): number {
    return this.ends[i]! - this.starts[i]!;
  }

  /** Copies line i's JSON into `target` at `at`; the bytes copied. */
  copyJson(i: number, target: Buffer, at: number): number {
    return this.blocks[this.block[i]!]!.copy(target, at, this.starts[i], this.ends[i]);
  }

  /** Bytes of line i's body as UTF-8. */
  bodySize(i: number): number {
    const at = this.bodyStarts[i]!;
    return at >= 0 ? this.ends[i]! - 1 - at : Buffer.byteLength(this.bodies[i]!, "utf8");
  }

  /** Writes line i's body as UTF-8 (copied from its JSON when that holds it unescaped). */
  writeBody(i: number, w: Writer): void {
    const at = this.bodyStarts[i]!;
    if (at >= 0) w.copyFrom(this.blocks[this.block[i]!]!, at, this.ends[i]! - 1);
    else w.utf8(this.bodies[i]!);
  }
}

/** The encoding of a build's lines, kept with its lines array (which a build's copies share): made
 * line by line while nix builds (src/pipeline/drive-build.ts), caught up with whatever came after. */
const byLines = new WeakMap<readonly LogLine[], EncodedLines>();

/** Lets go of a build's encoding once its records are written (a run may hold thousands of builds). */
export const releaseEncodedLines = (lines: readonly LogLine[]) => void byLines.delete(lines);

export function encodedLinesOf(lines: readonly LogLine[]): EncodedLines {
  let encoded = byLines.get(lines);
  if (!encoded) byLines.set(lines, (encoded = new EncodedLines()));
  return encoded.consume(lines);
}

/** Encodes each build's lines as nix reports them (the records are made from them when the check settles). */
export const encodeLinesAsTheyCome: BuildListener = { line: (build) => void encodedLinesOf(build.lines) };
