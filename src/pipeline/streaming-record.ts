// The run recorded as it goes, so a nixotel killed mid-run (SIGKILL, OOM) leaves every check that
// had settled on disk: each check's spans are appended to spans.jsonl (and sent) as it settles, run.json
// says what is done, running and waiting (written atomically, `complete: false`), and the run span
// comes last, at the end (a spans.jsonl without it is an incomplete run). docs/runner.md: Failure modes.
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import type { ExporterSettings } from "../export/config.js";
import type { ExportOutcome } from "../export/export-run.js";
import type { SpanStream } from "../export/span-stream.js";
import type { ExportQueue } from "../export/export-queue.js";
import type { LogChunk } from "../logs/log-chunk.js";
import type { LogSink } from "../logs/log-sink.js";
import { writeFileAtomic } from "../files.js";
import type { CheckInfo } from "../nix/checks.js";
import type { RunPaths } from "../runs/files.js";
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { checkRecordOf, isoOf, makeRunRecord } from "../runs/summary.js";
import { writeAttempts, type WriteAttempts } from "../runs/write-attempts.js";
import { newSpanId, newTraceId, type Attributes, type SpanData } from "../spans/model.js";
import type { CriticalPathRecord } from "../runs/timing-record.js";
import { markCriticalPath } from "../spans/critical-path-mark.js";
import { checkSpans, runPhaseSpans, runRootSpan, type RunFacts } from "../spans/tree.js";
import type { CheckOutcome } from "./outcomes.js";
import type { RunRequest, RunStream } from "./request.js";
import type { ShardFacts } from "./shard.js";

/** What is written for each check as it settles, beside spans.jsonl and after its spans (logs.jsonl:
 * src/logs/log-sink.ts). `spans` are the check's spans as written (check span first), for records that point at them. */
export interface CheckSink {
  checkSettled(outcome: CheckOutcome, spans: readonly SpanData[]): Promise<void>;
}

export interface StreamSetup {
  runId: string;
  paths: RunPaths;
  settings: ExporterSettings;
  /** Where the log records go, check by check (run.json says so while the run goes on: a killed run's are flushed). */
  logSettings: ExporterSettings;
  request: RunRequest;
  context: Context;
  clock: Clock;
  /** The CI job's span (TRACEPARENT): the run joins its trace. */
  parent?: { traceId: string; spanId: string };
  resource: Promise<Attributes>;
}

/** The log records' end: how their export went, how many, how many checks' logs were cut. */
export interface FinishedLogs {
  exported: ExportOutcome;
  records: number;
  cut: number;
}

const keyOf = (outcome: CheckOutcome) => outcome.check.attr;

export class StreamingRecord implements RunStream {
  /** Chosen when the run starts: checks written as they settle name the run span as their parent. */
  traceId: string;
  readonly runSpanId = newSpanId();
  readonly attempts: WriteAttempts = writeAttempts();
  private readonly startNs: bigint;
  private system = "";
  private shard: ShardFacts | undefined;
  private planChecks: readonly CheckInfo[] = [];
  private readonly running = new Set<string>();
  /** run.json's records of the checks settled so far, by attribute. */
  private readonly done = new Map<string, CheckRecord>();
  private opened:
    | Promise<{ spans: SpanStream; queue: ExportQueue<ReadableSpan[]>; logQueue: ExportQueue<LogChunk>; logs: LogSink; sinks: CheckSink[] }>
    | undefined;
  private saving: Promise<void> | undefined;
  private dirty = false;
  private closed = false;
  private saveError: unknown;

  constructor(private readonly setup: StreamSetup) {
    this.traceId = setup.parent?.traceId ?? newTraceId();
    this.startNs = setup.clock();
  }

  /** The CI job's span the run span is a child of, when TRACEPARENT named one. */
  get parentSpanId(): string | undefined {
    return this.setup.parent?.spanId;
  }

  /** Spans written so far. */
  spans = 0;

  planned(system: string, checks: readonly CheckInfo[], shard?: ShardFacts): void {
    this.system = system;
    this.planChecks = checks;
    this.shard = shard;
    this.saveProgress();
    // The writers load while nix builds, not when the first check settles; a failure to load is met
    // where they are first used.
    this.open().catch(() => undefined);
  }

  building(check: CheckInfo): void {
    this.running.add(check.attr);
    this.saveProgress();
  }

  settled(outcome: CheckOutcome): Promise<void> {
    return this.write(outcome, { traceId: this.traceId });
  }

  private async write(outcome: CheckOutcome, run: Pick<RunFacts, "traceId" | "cache">, criticalPath?: CriticalPathRecord): Promise<void> {
    const { spans: stream, sinks } = await this.open();
    this.done.set(keyOf(outcome), checkRecordOf(outcome));
    this.running.delete(outcome.check.attr);
    const spans = markCriticalPath(checkSpans(run, this.runSpanId, outcome), criticalPath);
    this.spans += spans.length;
    const written = await stream.append(spans);
    for (const sink of sinks) await sink.checkSettled(outcome, written);
    this.saveProgress();
  }

  /** A driver that had to know the trace id before the run (interactive) chose it: only before any line is written. */
  adoptTraceId(traceId: string): void {
    if (traceId === this.traceId) return;
    if (this.done.size) throw new Error(`the run's trace id changed after spans were written (${this.traceId} → ${traceId})`);
    this.traceId = traceId;
  }

  /** Writes the checks not settled yet, then the run's own spans with the run span last. The critical path
   * is known only now: it marks what is written now; checks written earlier are marked by readers from
   * run.json's `timing` (src/report/html/waterfall-data.ts). */
  async writeRest(outcomes: readonly CheckOutcome[], run: RunFacts, criticalPath?: CriticalPathRecord): Promise<void> {
    for (const outcome of outcomes) if (!this.done.has(keyOf(outcome))) await this.write(outcome, run, criticalPath);
    const { spans } = await this.open();
    const own = markCriticalPath([...runPhaseSpans(run, this.runSpanId), runRootSpan(run, this.runSpanId)], criticalPath);
    this.spans += own.length;
    await spans.append(own);
  }

  /** Waits for the export of everything written; no run.json is written by the stream after this. */
  async finish(): Promise<ExportOutcome> {
    const exported = await (await this.open()).queue.finish();
    this.closed = true;
    await this.saving;
    if (this.saveError) throw this.saveError;
    return exported;
  }

  /** Writes the last log records (`nixErrors`: the run's nix messages, those about checks written early),
   * waits for the export of all of them, and says how it went. */
  async logs(nixErrors: readonly string[]): Promise<FinishedLogs> {
    const { logs, logQueue } = await this.open();
    await logs.nixSaid(nixErrors);
    return { exported: await logQueue.finish(), records: logs.records, cut: logs.cut };
  }

  private open() {
    this.opened ??= (async () => {
      const [{ SpanStream }, { ExportQueue, SPAN_SIGNAL }, { LogSink }, { LOG_SIGNAL }] = await Promise.all([
        import("../export/span-stream.js"),
        import("../export/export-queue.js"),
        import("../logs/log-sink.js"),
        import("../export/export-logs.js"),
      ]);
      const { paths, settings, logSettings, context, request } = this.setup;
      const resource = await this.setup.resource;
      const saved = () => this.saveProgress();
      const queue = new ExportQueue(SPAN_SIGNAL, settings, paths, context, this.attempts, saved);
      const logQueue = new ExportQueue(LOG_SIGNAL, logSettings, paths, context, this.attempts, saved);
      const spans = new SpanStream(paths, resource, queue, this.attempts, context);
      const logs = new LogSink(paths, resource, this.attempts, logQueue, request.logLimits);
      return { spans, queue, logQueue, logs, sinks: [logs] };
    })();
    return this.opened;
  }

  /** run.json as it stands; one write at a time, the latest state written after the one under way. */
  private saveProgress(): void {
    if (this.closed) return;
    this.dirty = true;
    this.saving ??= (async () => {
      while (this.dirty && !this.closed) {
        this.dirty = false;
        const text = `${JSON.stringify(await this.progressRecord(), null, 2)}\n`;
        await this.attempts.attempt(this.setup.paths.record, () => writeFileAtomic(this.setup.paths.record, text));
      }
    })()
      .catch((error: unknown) => void (this.saveError = error))
      .finally(() => (this.saving = undefined));
  }

  private async progressRecord(): Promise<RunRecord> {
    const { request, settings, logSettings, runId } = this.setup;
    const opened = this.opened ? await this.opened : undefined;
    const handled = opened?.queue.handledChunks ?? 0;
    const waiting = this.planChecks.filter((c) => !this.done.has(c.attr) && !this.running.has(c.attr)).map((c) => c.name);
    const running = this.planChecks.filter((c) => !this.done.has(c.attr) && this.running.has(c.attr)).map((c) => c.name);
    return makeRunRecord({
      runId,
      traceId: this.traceId,
      ...(this.setup.parent ? { parentSpanId: this.setup.parent.spanId } : {}),
      ...(this.shard ? { shard: this.shard } : {}),
      command: request.command,
      flake: request.flake,
      system: this.system,
      startedAt: isoOf(this.startNs),
      endedAt: isoOf(this.setup.clock()),
      // Not over: if nixotel is killed now, this is what a reader finds, and the run did not complete.
      result: "cancellation",
      checks: [...this.done.values()],
      builds: [],
      export: {
        endpoint: settings.kind === "otlp" ? settings.url : null,
        protocol: settings.kind === "otlp" ? settings.protocol : null,
        delivered: false,
        spooled: 0,
        spans: 0,
      },
      logs: {
        endpoint: logSettings.kind === "otlp" ? logSettings.url : null,
        protocol: logSettings.kind === "otlp" ? logSettings.protocol : null,
        delivered: false,
        spooled: 0,
        records: opened?.logs.records ?? 0,
      },
      complete: false,
      progress: { pid: process.pid, running, waiting, exportedLines: handled, exportedLogLines: opened?.logQueue.handledChunks ?? 0 },
    });
  }
}
