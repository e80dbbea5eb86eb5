// The run's span tree (README, `nixotel run`): run → check → own build, subtests, in-test
// spans; dependency builds (shared by several checks) hang under the run.
import { drvName } from "../nix/activity.js";
import type { BuildActivity } from "../nix/builds.js";
import { cacheSpans, type CacheActivities } from "../nix/cache-activity.js";
import type { Subtest } from "../ingest/driver-log.js";
import { INGEST_PROBLEM_EVENT, INGEST_PROBLEMS_ATTRIBUTE, reparent } from "../ingest/ingest.js";
import { newSpanId, type Attributes, type SpanData, type SpanEvent } from "./model.js";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import { subtestAttributes, subtestSpanName } from "./subtest.js";

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
  const s = span(traceId, parentSpanId, phase.name, phase.startNs, phase.endNs, phase.attributes);
  return [s, ...(phase.children ?? []).flatMap((child) => phaseSpans(traceId, s.spanId, child))];
}

const STATUS_OK = { code: 1 } as const;
const error = (message?: string) => ({ code: 2, ...(message ? { message } : {}) });

function span(
  traceId: string,
  parentSpanId: string | undefined,
  name: string,
  startNs: bigint,
  endNs: bigint,
  attributes: Attributes,
): SpanData {
  return {
    traceId,
    spanId: newSpanId(),
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: 1,
    startNs,
    endNs: endNs < startNs ? startNs : endNs,
    attributes,
    events: [],
    links: [],
    status: { code: 0 },
  };
}

function buildSpan(traceId: string, parentSpanId: string, build: BuildActivity, dependency: boolean): SpanData {
  const s = span(traceId, parentSpanId, `build ${drvName(build.drvPath)}`, build.startNs, build.endNs ?? build.startNs, {
    "cicd.pipeline.task.type": "build",
    "nix.drv_path": build.drvPath,
    // nix names the remote builder (its store URI); "" means this machine.
    "nix.machine": build.machine || "localhost",
    "nix.dependency": dependency,
  });
  s.events = build.phases.map((p): SpanEvent => ({ name: p.name, timeNs: p.timeNs, attributes: { "nix.phase": p.name } }));
  s.status = build.failed ? error("builder failed") : build.interrupted ? error("interrupted") : STATUS_OK;
  return s;
}

function subtestSpans(traceId: string, parentSpanId: string, testName: string, subtests: readonly Subtest[]): SpanData[] {
  return subtests.flatMap((subtest) => {
    const attributes = subtestAttributes(subtest.name, testName, subtest.status);
    const s = span(traceId, parentSpanId, subtestSpanName(subtest.name), subtest.startNs, subtest.endNs, attributes);
    s.status = subtest.status === "pass" ? STATUS_OK : error(subtest.error);
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
  const s = span(run.traceId, runSpanId, `test.${check.suite}.${check.name}`, outcome.startNs, outcome.endNs, {
    "test.case.name": check.name,
    "test.suite.name": check.suite,
    "test.case.result.status": result,
    "cicd.pipeline.task.name": check.name,
    "cicd.pipeline.task.type": "test",
    "cicd.pipeline.task.run.result": outcome.status === "pass" ? "success" : outcome.status === "cancelled" ? "cancellation" : "failure",
    "nix.attr": check.attr,
    // An output that failed to evaluate has no derivation.
    ...(check.drvPath ? { "nix.drv_path": check.drvPath, "nix.out_path": check.outPath } : {}),
    "nix.cached": outcome.cached,
    // The seed's own attribute names, so its existing queries keep working.
    "test.name": check.name,
    "test.result": result,
    "test.suite": check.suite,
  });
  // nix fetched the check's output from a binary cache instead of building it: the check took that long.
  const substitution = run.cache?.substitutions.find((sub) => check.drvPath && sub.storePath === check.outPath);
  if (substitution && !outcome.build) {
    s.attributes["nix.substituted"] = true;
    s.startNs = substitution.startNs;
    s.endNs = substitution.endNs ?? substitution.startNs;
  }
  if (outcome.status === "pass") s.status = STATUS_OK;
  else {
    s.status = error(outcome.message ?? outcome.errorType);
    s.attributes["error.type"] = outcome.errorType ?? "test_failed";
    s.events.push({ name: "log.tail", timeNs: s.endNs, attributes: { "log.tail": outcome.logTail.join("\n") } });
  }
  // Spans the test wrote that could not be read: visible on the check, not silently dropped.
  if (outcome.problems.length) {
    s.attributes[INGEST_PROBLEMS_ATTRIBUTE] = outcome.problems.length;
    for (const message of outcome.problems)
      s.events.push({ name: INGEST_PROBLEM_EVENT, timeNs: s.endNs, attributes: { "nixotel.ingest.problem": message } });
  }
  const children = [
    ...(outcome.build ? [buildSpan(run.traceId, s.spanId, outcome.build, false)] : []),
    // A cached check's subtests keep the lengths the driver stated (its span is the cache query's instant).
    ...subtestSpans(run.traceId, s.spanId, check.name, outcome.cached ? outcome.subtests : within(outcome.subtests, s.startNs, s.endNs)),
    ...(outcome.ingested ? reparent(outcome.ingested.spans, run.traceId, s.spanId) : []),
  ];
  // Everything under a cached check was recorded by an earlier build: metrics must not count it again.
  if (outcome.cached) for (const child of children) child.attributes["nix.cached"] = true;
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
  const root = span(run.traceId, undefined, `nixotel ${run.command}`, run.startNs, run.endNs, {
    "cicd.pipeline.name": `nixotel ${run.command} ${run.flake}`,
    "cicd.pipeline.run.id": run.runId,
    "cicd.pipeline.result": run.result,
    "nix.flake": run.flake,
    "nix.system": run.system,
  });
  root.status = run.result === "success" ? STATUS_OK : error(run.result);
  return [
    root,
    ...(run.evaluation ? phaseSpans(run.traceId, root.spanId, run.evaluation) : []),
    ...(run.cache ? cacheSpans(run.cache).flatMap((phase) => phaseSpans(run.traceId, root.spanId, phase)) : []),
    ...outcomes.flatMap((outcome) => checkSpans(run, root.spanId, outcome)),
    ...run.dependencyBuilds.map((build) => buildSpan(run.traceId, root.spanId, build, true)),
  ];
}
