// What `nixotel run` and `nixotel check` share once nix is done: outcomes → spans → export →
// run.json → JUnit → terminal summary → exit code.
import { resolve } from "node:path";
import type { BuildOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import type { BuildActivity } from "../nix/builds.js";
import { summary } from "../report/terminal.js";
import { junitXml } from "../report/junit.js";
import { newRunId, resolveOutDir, runPaths, writeAtomic } from "../runs/files.js";
import { buildRecordOf, checkRecordOf, isoOf, makeRunRecord } from "../runs/summary.js";
import { newTraceId } from "../spans/model.js";
import type { CheckOutcome } from "../spans/outcomes.js";
import { runResource } from "../spans/resource.js";
import { runSpans, type Phase, type RunFacts } from "../spans/tree.js";
import { EXIT, type Result } from "./result.js";

import type { Telemetry } from "./telemetry.js";

export interface FinishedRun {
  command: "run" | "check";
  options: BuildOptions;
  system: string;
  startNs: bigint;
  endNs: bigint;
  result: Result;
  outcomes: readonly CheckOutcome[];
  dependencyBuilds: readonly BuildActivity[];
  /** nix's own error messages, shown when nix failed before any test ran. */
  nixErrors: readonly string[];
  /** Evaluation before the first build, as a child span of the run. */
  evaluation?: Phase;
  /** The run's trace id when it had to be known before the run (interactive: TRACEPARENT passed down). */
  traceId?: string;
}

export async function finishRun(done: FinishedRun, telemetry: Telemetry, context: Context): Promise<ExitCode> {
  const { options, result } = done;
  const runId = newRunId(new Date(Number(done.startNs / 1_000_000n)));
  const paths = runPaths(resolveOutDir(context.cwd, options.out), runId);
  const run: RunFacts = {
    command: done.command,
    runId,
    traceId: done.traceId ?? newTraceId(),
    flake: options.flake,
    system: done.system,
    startNs: done.startNs,
    endNs: done.endNs,
    result,
    dependencyBuilds: done.dependencyBuilds,
    ...(done.evaluation ? { evaluation: done.evaluation } : {}),
  };
  const resource = runResource(context.env, await telemetry.vcs);
  const exported = await (await telemetry.exporting).exportRun(runSpans(run, done.outcomes), resource, telemetry.settings, paths, context);

  const record = makeRunRecord({
    runId,
    traceId: run.traceId,
    command: done.command,
    flake: options.flake,
    system: done.system,
    startedAt: isoOf(done.startNs),
    endedAt: isoOf(done.endNs),
    result,
    checks: done.outcomes.map(checkRecordOf),
    builds: done.dependencyBuilds.map(buildRecordOf),
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
  await writeAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);
  const junitFile = options.junit ? resolve(context.cwd, options.junit) : undefined;
  if (junitFile) await writeAtomic(junitFile, junitXml(record));

  if (result === "error") context.stderr(`nixotel: nix failed before any test ran:\n${done.nixErrors.join("\n")}\n`);
  // OTEL_TRACES_EXPORTER=console: stdout holds only OTLP JSON lines, so the summary goes to stderr.
  const say = telemetry.settings.kind === "console" ? context.stderr : context.stdout;
  say(summary(record, { spansFile: paths.spans, ...(junitFile ? { junitFile } : {}), ...exported }));
  return EXIT[result];
}
