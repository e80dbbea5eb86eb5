// The record of a judged run: outcomes → spans.jsonl → JUnit → export → run.json (it records the
// export's result) → terminal summary. Loaded while nix works (src/pipeline/recorder.ts).
import { resolve } from "node:path";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import type { ExporterSettings } from "../export/config.js";
import type * as ExportRun from "../export/export-run.js";
import type { BuildActivity } from "../nix/builds.js";
import type { CacheActivities } from "../nix/cache-activity.js";
import { summary } from "../report/terminal.js";
import { junitXml } from "../report/junit.js";
import { writeFileAtomic } from "../files.js";
import { newRunId, resolveOutDir, runPaths } from "../runs/files.js";
import type { RunRecord } from "../runs/record.js";
import { buildRecordOf, checkRecordOf, isoOf, makeRunRecord } from "../runs/summary.js";
import { newTraceId } from "../spans/model.js";
import type { CheckOutcome } from "./outcomes.js";
import { runResource } from "../spans/resource.js";
import { runSpans, type Phase, type RunFacts } from "../spans/tree.js";
import type { Attributes } from "../spans/model.js";
import type { RunRequest } from "./request.js";
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
}

const notSentYet = (spans: number): RunRecord["export"] => ({ endpoint: null, protocol: null, delivered: false, spooled: 0, spans });

/** What the recording needs besides the run: loaded and asked for while nix worked. */
export interface RecordingTools {
  vcs: Attributes;
  settings: ExporterSettings;
  exporting: typeof ExportRun;
}

/** The run as recorded: its result, the exit code it means, and run.json's content. */
export interface RunResult {
  readonly result: Result;
  readonly exitCode: ExitCode;
  readonly record: RunRecord;
}

export async function recordRun(done: FinishedRun, tools: RecordingTools, context: Context): Promise<RunResult> {
  const { request: options, result } = done;
  const runId = newRunId(new Date(Number(done.startNs / 1_000_000n)));
  const paths = runPaths(resolveOutDir(context.cwd, options.out), runId);
  const run: RunFacts = {
    command: options.command,
    runId,
    traceId: done.traceId ?? newTraceId(),
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
  const readable = await exporting.writeSpans(runSpans(run, done.outcomes), resource, paths);

  const facts = {
    runId,
    traceId: run.traceId,
    command: options.command,
    flake: options.flake,
    system: done.system,
    startedAt: isoOf(done.startNs),
    endedAt: isoOf(done.endNs),
    result,
    checks: done.outcomes.map(checkRecordOf),
    builds: done.dependencyBuilds.map(buildRecordOf),
  };
  // JUnit does not depend on the export: written before the sending, which may wait out the timeout.
  const junitFile = options.junit ? resolve(context.cwd, options.junit) : undefined;
  if (junitFile) await writeFileAtomic(junitFile, junitXml(makeRunRecord({ ...facts, export: notSentYet(readable.length) })));

  const exported = await exporting.exportSpans(readable, settings, paths, context);
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
  await writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);

  if (result === "error") context.stderr(`nixotel: nix failed before any test ran:\n${done.nixErrors.join("\n")}\n`);
  // OTEL_TRACES_EXPORTER=console: stdout holds only OTLP JSON lines, so the summary goes to stderr.
  const say = settings.kind === "console" ? context.stderr : context.stdout;
  say(summary(record, { spansFile: paths.spans, ...(junitFile ? { junitFile } : {}), ...exported }));
  return { result, exitCode: EXIT[result], record };
}
