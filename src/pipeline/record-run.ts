// The end of a judged run's record: the checks not written as they settled and the run span →
// spans.jsonl, JUnit, the export's end, the log records' export (logs.jsonl was written check by
// check), run.json (complete, with both exports' results), the terminal summary. Loaded while nix works (src/pipeline/recorder.ts; what is written during the run:
// src/pipeline/streaming-record.ts).
import { resolve } from "node:path";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import type { ExporterSettings } from "../export/config.js";
import type { BuildActivity } from "../nix/builds.js";
import type { CacheActivities } from "../nix/cache-activity.js";
import { summary } from "../report/terminal.js";
import { timeLines } from "../report/time-text.js";
import { runView } from "../runs/read-view.js";
import { readRunSpans } from "../runs/read-spans.js";
import { junitXml } from "../report/junit.js";
import { writeCiReports } from "../report/ci.js";
import { writeFileAtomic } from "../files.js";
import type { RunPaths } from "../runs/files.js";
import { removeIfEmpty } from "../runs/run-folder.js";
import type { RunRecord } from "../runs/record.js";
import type { Attributes } from "../spans/model.js";
import type { TimingRecord } from "../runs/timing-record.js";
import { buildRecordOf, checkRecordOf, isoOf, makeRunRecord, vcsRecordOf } from "../runs/summary.js";
import type { CheckOutcome } from "./outcomes.js";
import type { Phase, RunFacts } from "../spans/tree.js";
import type { StreamingRecord } from "./streaming-record.js";
import type { RunRequest } from "./request.js";
import type { ShardFacts } from "./shard.js";
import { EXIT, type Result } from "./result.js";

export interface FinishedRun {
  request: RunRequest;
  system: string;
  startNs: bigint;
  endNs: bigint;
  result: Result;
  outcomes: readonly CheckOutcome[];
  dependencyBuilds: readonly BuildActivity[];
  /** nix's binary cache queries and substitutions (spans under the run; marks substituted checks). */
  cache?: CacheActivities;
  /** nix's own error messages, shown when nix failed before any test ran. */
  nixErrors: readonly string[];
  /** Evaluation before the first build, as a child span of the run. */
  evaluation?: Phase;
  /** The run's trace id when it had to be known before the run (interactive: TRACEPARENT passed down). */
  traceId?: string;
  /** The part of the checks this run built (`--shard I/N`). */
  shard?: ShardFacts;
  /** The critical path and build-slot use (src/timing); its builds' spans are marked. */
  timing?: TimingRecord;
}

const notSentYet = (spans: number): RunRecord["export"] => ({ endpoint: null, protocol: null, delivered: false, spooled: 0, spans });

/** What the recording needs besides the run: loaded and asked for while nix worked. */
export interface RecordingTools {
  settings: ExporterSettings;
  /** Where the log records go (OTEL_LOGS_EXPORTER, OTEL_EXPORTER_OTLP_LOGS_*). */
  logSettings: ExporterSettings;
  /** The run's id and folder, made (and proven writable) before nix started. */
  runId: string;
  paths: RunPaths;
  /** What was written while nix built (each settled check's spans); the rest goes through it too. */
  stream: StreamingRecord;
  /** The flake's git facts (revision, repository), for run.json. */
  vcs: Attributes;
}

/** The run as recorded: its result, the exit code it means, and run.json's content. */
export interface RunResult {
  readonly result: Result;
  readonly exitCode: ExitCode;
  readonly record: RunRecord;
}

export async function recordRun(done: FinishedRun, tools: RecordingTools, context: Context): Promise<RunResult> {
  const { request: options, result } = done;
  const { runId, paths, stream, settings } = tools;
  // A write that fails now (disk full) is named in the summary; the run still ends with the tests' exit code.
  const { attempts } = stream;
  if (done.traceId) stream.adoptTraceId(done.traceId);
  const parentSpanId = stream.parentSpanId;
  const run: RunFacts = {
    command: options.command,
    runId,
    traceId: stream.traceId,
    ...(parentSpanId ? { parentSpanId } : {}),
    ...(done.shard ? { shard: `${done.shard.index}/${done.shard.count}` } : {}),
    flake: options.flake,
    system: done.system,
    startNs: done.startNs,
    endNs: done.endNs,
    result,
    dependencyBuilds: done.dependencyBuilds,
    ...(done.evaluation ? { evaluation: done.evaluation } : {}),
    ...(done.cache ? { cache: done.cache } : {}),
  };
  await stream.writeRest(done.outcomes, run, done.timing?.criticalPath);

  const facts = {
    runId,
    traceId: run.traceId,
    ...(parentSpanId ? { parentSpanId } : {}),
    ...(done.shard ? { shard: done.shard } : {}),
    command: options.command,
    flake: options.flake,
    system: done.system,
    startedAt: isoOf(done.startNs),
    endedAt: isoOf(done.endNs),
    result,
    ...vcsRecordOf(tools.vcs),
    checks: done.outcomes.map(checkRecordOf),
    builds: done.dependencyBuilds.map(buildRecordOf),
    ...(done.timing ? { timing: done.timing } : {}),
  };
  // JUnit does not depend on the export: written before the sending, which may wait out the timeout.
  const junitFile = options.junit ? resolve(context.cwd, options.junit) : undefined;
  if (junitFile)
    await attempts.attempt(junitFile, () =>
      writeFileAtomic(junitFile, junitXml(makeRunRecord({ ...facts, export: notSentYet(stream.spans) }))),
    );

  // Both went check by check as they settled, each through its own queue: what is left is waited for.
  const exported = await stream.finish();
  const logs = await stream.logs(done.nixErrors);
  const logsExported = logs.exported;
  const record = makeRunRecord({
    ...facts,
    complete: true,
    export: {
      endpoint: exported.endpoint,
      protocol: exported.protocol,
      delivered: exported.delivered,
      spooled: exported.spooled,
      spans: exported.spans,
      ...(exported.error !== undefined ? { error: exported.error } : {}),
      ...(exported.rejected ? { rejected: exported.rejected, rejection: exported.rejection } : {}),
    },
    logs: {
      endpoint: logsExported.endpoint,
      protocol: logsExported.protocol,
      delivered: logsExported.delivered,
      records: logsExported.spans,
      spooled: logsExported.spooled,
      ...(logsExported.error !== undefined ? { error: logsExported.error } : {}),
      ...(logsExported.rejected ? { rejected: logsExported.rejected, rejection: logsExported.rejection } : {}),
      ...(logs.cut ? { cut: logs.cut } : {}),
    },
  });
  await attempts.attempt(paths.record, () => writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`));
  if (attempts.notWritten.length) await removeIfEmpty(paths);

  if (result === "error") context.stderr(`nixotel: nix failed before any test ran:\n${done.nixErrors.join("\n")}\n`);
  // OTEL_TRACES_EXPORTER=console: stdout holds only OTLP JSON lines, so the summary goes to stderr.
  const say = settings.kind === "console" || tools.logSettings.kind === "console" ? context.stderr : context.stdout;
  const written = (file: string | undefined) => (file !== undefined && !attempts.failed(file) ? file : undefined);
  const logsWhere = { ...logsExported, file: written(paths.logs), records: logs.records };
  say(
    summary(record, {
      spansFile: written(paths.spans),
      junitFile: written(junitFile),
      ...exported,
      notWritten: attempts.notWritten,
      logs: logsWhere,
    }),
  );
  // Where the time went (driver actions), when the checks' logs held any.
  // The spans went to spans.jsonl check by check as they settled: read back, as `nixotel report` does.
  const spans = written(paths.spans) ? await readRunSpans(paths.spans) : undefined;
  const time = spans ? timeLines(runView(record, spans)) : [];
  if (time.length) say(`${time.slice(1).join("\n")}\n`);
  if (attempts.notWritten.length)
    context.stderr(
      `nixotel: the run is reported above, but these files could not be written:\n${attempts.notWritten.map((p) => `  - ${p}\n`).join("")}`,
    );
  await writeCiReports(record, { runDir: paths.dir, spansFile: paths.spans, ...(junitFile ? { junitFile } : {}) }, context, say);
  // A signal, even one that came only while the spans were being sent, means the run did not complete.
  return { result, exitCode: context.signal.aborted ? 2 : EXIT[result], record };
}
