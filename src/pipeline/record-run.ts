// The record of a judged run: outcomes → spans.jsonl → JUnit → export → run.json (it records the
// export's result) → terminal summary. Loaded while nix works (src/pipeline/recorder.ts).
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { expected, type ExitCode } from "../errors.js";
import type { ExporterSettings } from "../export/config.js";
import type * as ExportRun from "../export/export-run.js";
import type { BuildActivity } from "../nix/builds.js";
import type { CacheActivities } from "../nix/cache-activity.js";
import { summary } from "../report/terminal.js";
import { timeLines } from "../report/time-text.js";
import { runView } from "../runs/read-view.js";
import { junitXml } from "../report/junit.js";
import { writeCiReports } from "../report/ci.js";
import { writeFileAtomic } from "../files.js";
import type { RunPaths } from "../runs/files.js";
import { removeIfEmpty } from "../runs/run-folder.js";
import { writeAttempts } from "../runs/write-attempts.js";
import { toReadableSpans } from "../export/readable.js";
import type { RunRecord } from "../runs/record.js";
import type { TimingRecord } from "../runs/timing-record.js";
import { markCriticalPath } from "../spans/critical-path-mark.js";
import { buildRecordOf, checkRecordOf, isoOf, makeRunRecord } from "../runs/summary.js";
import { newTraceId } from "../spans/model.js";
import type { CheckOutcome } from "./outcomes.js";
import { runResource } from "../spans/resource.js";
import { incomingTraceparent } from "../spans/trace-context.js";
import { repairTree } from "../spans/invariants.js";
import { runSpans, type Phase, type RunFacts } from "../spans/tree.js";
import type { Attributes } from "../spans/model.js";
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
  vcs: Attributes;
  settings: ExporterSettings;
  exporting: typeof ExportRun;
  /** The run's id and folder, made (and proven writable) before nix started. */
  runId: string;
  paths: RunPaths;
}

/** The run as recorded: its result, the exit code it means, and run.json's content. */
export interface RunResult {
  readonly result: Result;
  readonly exitCode: ExitCode;
  readonly record: RunRecord;
}

/** The CI job's span (TRACEPARENT), when it names one; a value that does not is said, and ignored. */
function parentFromCi(context: Context) {
  const incoming = incomingTraceparent(context.env);
  if (incoming.kind === "invalid")
    context.stderr(
      `nixotel: ${expected("TRACEPARENT to be 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>", incoming.raw, "The run starts a trace of its own.")}\n`,
    );
  return incoming.kind === "parent" ? incoming.parent : undefined;
}

export async function recordRun(done: FinishedRun, tools: RecordingTools, context: Context): Promise<RunResult> {
  const { request: options, result } = done;
  const { runId, paths } = tools;
  // A write that fails now (disk full) is named in the summary; the run still ends with the tests' exit code.
  const attempts = writeAttempts();
  const parent = parentFromCi(context);
  const run: RunFacts = {
    command: options.command,
    runId,
    traceId: done.traceId ?? parent?.traceId ?? newTraceId(),
    ...(parent ? { parentSpanId: parent.spanId } : {}),
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
  const resource = runResource(context.env, tools.vcs);
  const { exporting, settings } = tools;
  const tree = repairTree(markCriticalPath(runSpans(run, done.outcomes), done.timing?.criticalPath));
  for (const problem of tree.problems) context.stderr(`nixotel: span tree repaired: ${problem}\n`);
  const readable = toReadableSpans(tree.spans, resource);
  await attempts.attempt(paths.spans, () => exporting.writeSpansFile(readable, paths));

  const facts = {
    runId,
    traceId: run.traceId,
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    ...(done.shard ? { shard: done.shard } : {}),
    command: options.command,
    flake: options.flake,
    system: done.system,
    startedAt: isoOf(done.startNs),
    endedAt: isoOf(done.endNs),
    result,
    checks: done.outcomes.map(checkRecordOf),
    builds: done.dependencyBuilds.map(buildRecordOf),
    ...(done.timing ? { timing: done.timing } : {}),
  };
  // JUnit does not depend on the export: written before the sending, which may wait out the timeout.
  const junitFile = options.junit ? resolve(context.cwd, options.junit) : undefined;
  if (junitFile)
    await attempts.attempt(junitFile, () =>
      writeFileAtomic(junitFile, junitXml(makeRunRecord({ ...facts, export: notSentYet(readable.length) }))),
    );

  const exported = await exporting.exportSpans(readable, settings, paths, context, attempts);
  const record = makeRunRecord({
    ...facts,
    export: {
      endpoint: exported.endpoint,
      protocol: exported.protocol,
      delivered: exported.delivered,
      spooled: exported.spooled,
      spans: exported.spans,
      ...(exported.error !== undefined ? { error: exported.error } : {}),
      ...(exported.rejected ? { rejected: exported.rejected, rejection: exported.rejection } : {}),
    },
  });
  await attempts.attempt(paths.record, () => writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`));
  if (attempts.notWritten.length) await removeIfEmpty(paths);

  if (result === "error") context.stderr(`nixotel: nix failed before any test ran:\n${done.nixErrors.join("\n")}\n`);
  // OTEL_TRACES_EXPORTER=console: stdout holds only OTLP JSON lines, so the summary goes to stderr.
  const say = settings.kind === "console" ? context.stderr : context.stdout;
  const written = (file: string | undefined) => (file !== undefined && !attempts.failed(file) ? file : undefined);
  say(summary(record, { spansFile: written(paths.spans), junitFile: written(junitFile), ...exported, notWritten: attempts.notWritten }));
  // Where the time went (driver actions), when the checks' logs held any.
  const time = timeLines(runView(record, tree.spans));
  if (time.length) say(`${time.slice(1).join("\n")}\n`);
  if (attempts.notWritten.length)
    context.stderr(
      `nixotel: the run is reported above, but these files could not be written:\n${attempts.notWritten.map((p) => `  - ${p}\n`).join("")}`,
    );
  await writeCiReports(record, { runDir: paths.dir, spansFile: paths.spans, ...(junitFile ? { junitFile } : {}) }, context, say);
  // A signal, even one that came only while the spans were being sent, means the run did not complete.
  return { result, exitCode: context.signal.aborted ? 2 : EXIT[result], record };
}
