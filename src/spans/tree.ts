// The run's span tree (README, `nixotel run`): run → check → own build, subtests, in-test
// spans; dependency builds (shared by several checks) hang under the run. Every span records its role.
import { drvName } from "../nix/activity.js";
import type { BuildActivity } from "../nix/builds.js";
import { cacheSpans, type CacheActivities } from "../nix/cache-activity.js";
import type { Subtest } from "../ingest/driver-log.js";
import { reparent } from "../ingest/ingest.js";
import { newSpanId, type Attributes, type SpanData, type SpanEvent } from "./model.js";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import { subtestAttributes, subtestSpanName } from "./subtest.js";
import { ATTR, EVENT, INTERNAL, Role, statusOf, TASK_TYPE, UNSET_STATUS, type SpanRole, type SpanStatus } from "./vocabulary.js";

export interface RunFacts {
  command: "run" | "check";
  runId: string;
  traceId: string;
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

function checkSpans(run: RunFacts, runSpanId: string, outcome: CheckOutcome): SpanData[] {
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
  const children = [
    ...(outcome.build ? [buildSpan(run.traceId, s.spanId, outcome.build, false)] : []),
    // A cached check's subtests keep the lengths the driver stated (its span is the cache query's instant).
    ...subtestSpans(run.traceId, s.spanId, check.name, outcome.cached ? outcome.subtests : within(outcome.subtests, s.startNs, s.endNs)),
    ...(outcome.ingested ? reparent(outcome.ingested.spans, run.traceId, s.spanId) : []),
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

export function runSpans(run: RunFacts, outcomes: readonly CheckOutcome[]): SpanData[] {
  const attributes = {
    [ATTR.pipelineName]: `nixotel ${run.command} ${run.flake}`,
    [ATTR.pipelineRunId]: run.runId,
    [ATTR.pipelineResult]: run.result,
    [ATTR.nixFlake]: run.flake,
    [ATTR.nixSystem]: run.system,
  };
  const status = statusOf(run.result === "success" ? "pass" : "fail", run.result);
  const root = span(run.traceId, undefined, Role.run, `nixotel ${run.command}`, run.startNs, run.endNs, attributes, status);
  return [
    root,
    ...(run.evaluation ? phaseSpans(run.traceId, root.spanId, run.evaluation) : []),
    ...(run.cache ? cacheSpans(run.cache).flatMap((phase) => phaseSpans(run.traceId, root.spanId, phase)) : []),
    ...outcomes.flatMap((outcome) => checkSpans(run, root.spanId, outcome)),
    ...run.dependencyBuilds.map((build) => buildSpan(run.traceId, root.spanId, build, true)),
  ];
}
