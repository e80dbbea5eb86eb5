// The run's span tree (docs/runner.md): run → check → own build, subtests, in-test
// spans; dependency builds (shared by several checks) hang under the run. Every span records its role.
import { drvName } from "../nix/activity.js";
import type { BuildActivity } from "../nix/builds.js";
import { cacheSpans, type CacheActivities } from "../nix/cache-activity.js";
import type { Subtest } from "../ingest/driver-log.js";
import { reparent } from "../ingest/ingest.js";
import { newSpanId, type Attributes, type SpanData, type SpanEvent } from "./model.js";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import { subtestAttributes, subtestSpanName } from "./subtest.js";
import { actionSpans, withCheckTask } from "./actions.js";
import { ATTR, EVENT, INTERNAL, Role, statusOf, TASK_TYPE, UNSET_STATUS, type SpanRole, type SpanStatus } from "./vocabulary.js";

export interface RunFacts {
  command: "run" | "check";
  runId: string;
  traceId: string;
  /** The CI job's span the run is a child of (TRACEPARENT); none: the run is the trace's root. */
  parentSpanId?: string;
  /** `I/N` when the run built one part of the checks (`--shard`). */
  shard?: string;
  flake: string;
  system: string;
  startNs: bigint;
  endNs: bigint;
  result: "success" | "failure" | "error" | "cancellation" | "timeout";
  dependencyBuilds: readonly BuildActivity[];
  /** What happened before the first build: `evaluate checks` (run), nix's `evaluating flake` (check). */
  evaluation?: Phase;
  /** Binary cache queries and substitutions: `nix: query binary caches`, `substitute <name>`. */
  cache?: CacheActivities;
}

/** A stretch of the run that is not a build, e.g. evaluation; a child span of the run span. */
export interface Phase {
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Attributes;
  children?: readonly Phase[];
}

function phaseSpans(traceId: string, parentSpanId: string, phase: Phase): SpanData[] {
  const s = span(traceId, parentSpanId, Role.phase, phase.name, phase.startNs, phase.endNs, phase.attributes);
  return [s, ...(phase.children ?? []).flatMap((child) => phaseSpans(traceId, s.spanId, child))];
}

function span(
  traceId: string,
  parentSpanId: string | undefined,
  role: SpanRole,
  name: string,
  startNs: bigint,
  endNs: bigint,
  attributes: Attributes,
  status: SpanStatus = UNSET_STATUS,
): SpanData {
  return {
    traceId,
    spanId: newSpanId(),
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: INTERNAL,
    startNs,
    endNs: endNs < startNs ? startNs : endNs,
    attributes: { [ATTR.role]: role, ...attributes },
    events: [],
    links: [],
    status,
  };
}

function buildSpan(traceId: string, parentSpanId: string, build: BuildActivity, dependency: boolean): SpanData {
  const status = build.failed ? statusOf("fail", "builder failed") : build.interrupted ? statusOf("fail", "interrupted") : statusOf("pass");
  const s = span(
    traceId,
    parentSpanId,
    Role.build,
    `build ${drvName(build.drvPath)}`,
    build.startNs,
    build.endNs ?? build.startNs,
    {
      [ATTR.taskType]: TASK_TYPE.build,
      [ATTR.nixDrvPath]: build.drvPath,
      // nix names the remote builder (its store URI); "" means this machine.
      [ATTR.nixMachine]: build.machine || "localhost",
      [ATTR.nixDependency]: dependency,
    },
    status,
  );
  s.events = build.phases.map((p): SpanEvent => ({ name: p.name, timeNs: p.timeNs, attributes: { [ATTR.nixPhase]: p.name } }));
  return s;
}

const byStart = (a: SpanData, b: SpanData) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0);

function subtestSpans(traceId: string, parentSpanId: string, testName: string, subtests: readonly Subtest[]): SpanData[] {
  return subtests.flatMap((subtest) => {
    const attributes = subtestAttributes(subtest.name, testName, subtest.status);
    const status = statusOf(subtest.status, subtest.error);
    const s = span(traceId, parentSpanId, Role.subtest, subtestSpanName(subtest.name), subtest.startNs, subtest.endNs, attributes, status);
    return [s, ...subtestSpans(traceId, s.spanId, testName, subtest.children)];
  });
}

// Subtests from log lines are timed by when a line arrived and the driver's stated durations, which
// can reach past the check (or, computed backwards, before it): they are kept inside their parent.
function within(subtests: readonly Subtest[], startNs: bigint, endNs: bigint): Subtest[] {
  const clamp = (t: bigint, low: bigint) => (t < low ? low : t > endNs ? endNs : t);
  return subtests.map((subtest) => {
    const start = clamp(subtest.startNs, startNs);
    const end = clamp(subtest.endNs, start);
    return { ...subtest, startNs: start, endNs: end, children: within(subtest.children, start, end) };
  });
}

/** A check's span and everything under it; written when the check settles, under the run span `runSpanId`. */
export function checkSpans(run: Pick<RunFacts, "traceId" | "cache">, runSpanId: string, outcome: CheckOutcome): SpanData[] {
  const { check } = outcome;
  const result = outcome.status === "pass" ? "pass" : "fail";
  const s = span(run.traceId, runSpanId, Role.check, `test.${check.suite}.${check.name}`, outcome.startNs, outcome.endNs, {
    [ATTR.testCaseName]: check.name,
    [ATTR.testSuiteName]: check.suite,
    [ATTR.testCaseResult]: result,
    [ATTR.taskName]: check.name,
    [ATTR.taskType]: TASK_TYPE.test,
    [ATTR.taskRunResult]: outcome.status === "pass" ? "success" : outcome.status === "cancelled" ? "cancellation" : "failure",
    [ATTR.nixAttr]: check.attr,
    // An output that failed to evaluate has no derivation.
    ...(check.drvPath ? { [ATTR.nixDrvPath]: check.drvPath, [ATTR.nixOutPath]: check.outPath } : {}),
    [ATTR.nixCached]: outcome.cached,
    // The classic emitter's attribute names, so queries written for it keep working.
    [ATTR.classicTestName]: check.name,
    [ATTR.classicTestResult]: result,
    [ATTR.classicTestSuite]: check.suite,
  });
  // nix fetched the check's output from a binary cache instead of building it: the check took that long.
  const substitution = run.cache?.substitutions.find((sub) => check.drvPath && sub.storePath === check.outPath);
  if (substitution && !outcome.build) {
    s.attributes[ATTR.nixSubstituted] = true;
    s.startNs = substitution.startNs;
    s.endNs = substitution.endNs ?? substitution.startNs;
  }
  s.status = statusOf(result, outcome.message ?? outcome.errorType);
  if (result === "fail") {
    s.attributes[ATTR.errorType] = outcome.errorType ?? "test_failed";
    s.events.push({ name: EVENT.logTail, timeNs: s.endNs, attributes: { [ATTR.logTail]: outcome.logTail.join("\n") } });
  }
  // Spans the test wrote that could not be read: visible on the check, not silently dropped.
  if (outcome.problems.length) {
    s.attributes[ATTR.ingestProblems] = outcome.problems.length;
    for (const message of outcome.problems)
      s.events.push({ name: EVENT.ingestProblem, timeNs: s.endNs, attributes: { [ATTR.ingestProblem]: message } });
  }
  markFlaky(s, outcome);
  const children = [
    ...attemptSpans(run.traceId, s.spanId, outcome),
    ...recordedSpans(run.traceId, s, outcome),
    ...repetitionSpans(run.traceId, s.spanId, outcome),
  ];
  // Everything under a cached check was recorded by an earlier build: metrics must not count it again.
  if (outcome.cached) for (const child of children) child.attributes[ATTR.nixCached] = true;
  // nixotel stamps a build when it reads nix's line, a little after the builder's own clock started:
  // the check lasted at least as long as what ran inside it, so it covers its children.
  else
    for (const child of children.filter((c) => c.parentSpanId === s.spanId)) {
      if (child.startNs < s.startNs) s.startNs = child.startNs;
      if (child.endNs > s.endNs) s.endNs = child.endNs;
    }
  return [s, ...children];
}

/** What the test recorded under `parent` (its check, or its repetition's build): subtests, in-test spans.
 * A cached check's subtests keep the lengths the driver stated (its span is the cache query's instant). */
function recordedSpans(traceId: string, parent: SpanData, outcome: CheckOutcome): SpanData[] {
  // A cached check's subtests keep the lengths the driver stated (its span is the cache query's instant).
  const subtests = subtestSpans(
    traceId,
    parent.spanId,
    outcome.check.name,
    outcome.cached ? outcome.subtests : within(outcome.subtests, parent.startNs, parent.endNs),
  );
  const recorded = outcome.ingested ? reparent(outcome.ingested.spans, traceId, parent.spanId) : [];
  const ingested = inWindow(withCheckTask(recorded, parent), parent, outcome.cached);
  // Subtest spans in the order they opened: the driver's (pre-order), or the prelude's by start time.
  const opened = subtests.length ? subtests : ingested.filter((c) => c.attributes[ATTR.role] === Role.subtest).sort(byStart);
  return [
    ...subtests,
    ...ingested,
    ...actionSpans(outcome.actions ?? [], { checkSpan: parent, subtestSpans: opened, clamp: !outcome.cached }),
  ];
}

/** run --repeat: each repetition's build under the check span, numbered, holding what that build recorded. */
function repetitionSpans(traceId: string, checkSpanId: string, outcome: CheckOutcome): SpanData[] {
  return (outcome.repetitions ?? []).flatMap((repetition) => {
    if (!repetition.build) return [];
    const b = buildSpan(traceId, checkSpanId, repetition.build, false);
    b.attributes[ATTR.repetition] = repetition.repetition ?? 0;
    if (repetition.status === "fail")
      b.events.push({ name: EVENT.logTail, timeNs: b.endNs, attributes: { [ATTR.logTail]: repetition.logTail.join("\n") } });
    const inside = recordedSpans(traceId, b, { ...repetition, check: outcome.check });
    return [b, ...inside];
  });
}

/** --retries and quarantine on the check span: how many builds it took, flaky, quarantined and why. */
function markFlaky(s: SpanData, outcome: CheckOutcome): void {
  if (outcome.earlierAttempts?.length) {
    s.attributes[ATTR.attempts] = outcome.earlierAttempts.length + 1;
    s.attributes[ATTR.flaky] = outcome.flaky === true;
  }
  if (outcome.quarantine !== undefined) {
    s.attributes[ATTR.quarantined] = true;
    s.attributes[ATTR.quarantineReason] = outcome.quarantine;
  }
}

/** The check's own build, and with --retries every earlier (failed) build of it, each numbered. */
function attemptSpans(traceId: string, checkSpanId: string, outcome: CheckOutcome): SpanData[] {
  const earlier = outcome.earlierAttempts ?? [];
  const spans = earlier.flatMap((attempt, index) => {
    if (!attempt.build) return [];
    const b = buildSpan(traceId, checkSpanId, attempt.build, false);
    b.attributes[ATTR.attempt] = index + 1;
    b.events.push({ name: EVENT.logTail, timeNs: b.endNs, attributes: { [ATTR.logTail]: attempt.logTail.join("\n") } });
    return [b];
  });
  if (outcome.build) {
    const last = buildSpan(traceId, checkSpanId, outcome.build, false);
    if (earlier.length) last.attributes[ATTR.attempt] = earlier.length + 1;
    spans.push(last);
  }
  return spans;
}

/** How far a span a test recorded may lie outside its check's build and still widen it: the VM's and the
 * builder's clocks against the moment nixotel read nix's line (2 s). */
export const CLOCK_SKEW_NS = 2_000_000_000n;

/** In-test spans of a check built in this run, kept inside its window: one reaching further than the skew
 * allows (a VM clock at 1970, a wrong --start-ns) is clamped into the window and says by how much
 * (`nixotel.time.clamped_ms`). A cached check's spans keep the times of the build that recorded them. */
function inWindow(spans: SpanData[], check: SpanData, cached: boolean): SpanData[] {
  if (cached) return spans;
  const low = check.startNs - CLOCK_SKEW_NS;
  const high = check.endNs + CLOCK_SKEW_NS;
  return spans.map((span) => {
    if (span.startNs >= low && span.endNs <= high) return span;
    const clamp = (t: bigint) => (t < check.startNs ? check.startNs : t > check.endNs ? check.endNs : t);
    const [startNs, endNs] = [clamp(span.startNs), clamp(span.endNs)];
    const moved = [startNs - span.startNs, endNs - span.endNs].map((d) => (d < 0n ? -d : d)).reduce((a, b) => (a > b ? a : b));
    const clampedMs = Number(moved / 1_000_000n);
    return { ...span, startNs, endNs, attributes: { ...span.attributes, [ATTR.timeClampedMs]: clampedMs } };
  });
}

/** The run's own span, with the id chosen when the run started (checks written as they settle name it). */
export function runRootSpan(run: RunFacts, spanId: string): SpanData {
  const attributes = {
    [ATTR.pipelineName]: `nixotel ${run.command} ${run.flake}`,
    [ATTR.pipelineRunId]: run.runId,
    [ATTR.pipelineResult]: run.result,
    [ATTR.nixFlake]: run.flake,
    [ATTR.nixSystem]: run.system,
    ...(run.shard ? { [ATTR.shard]: run.shard } : {}),
  };
  const status = statusOf(run.result === "success" ? "pass" : "fail", run.result);
  const root = span(run.traceId, run.parentSpanId, Role.run, `nixotel ${run.command}`, run.startNs, run.endNs, attributes, status);
  return { ...root, spanId };
}

/** The run's spans that are not a check's: evaluation, binary cache phases, dependency builds. */
export function runPhaseSpans(run: RunFacts, runSpanId: string): SpanData[] {
  return [
    ...(run.evaluation ? phaseSpans(run.traceId, runSpanId, run.evaluation) : []),
    ...(run.cache ? cacheSpans(run.cache).flatMap((phase) => phaseSpans(run.traceId, runSpanId, phase)) : []),
    ...run.dependencyBuilds.map((build) => buildSpan(run.traceId, runSpanId, build, true)),
  ];
}

/** The whole tree at once, the run span first (tests, benchmarks; a run writes it as checks settle). */
export function runSpans(run: RunFacts, outcomes: readonly CheckOutcome[]): SpanData[] {
  const root = runRootSpan(run, newSpanId());
  return [root, ...runPhaseSpans(run, root.spanId), ...outcomes.flatMap((outcome) => checkSpans(run, root.spanId, outcome))];
}
