// The run's outcomes → run.json (src/runs/record.ts is the schema).
import type { BuildActivity } from "../nix/builds.js";
import type { Subtest } from "../ingest/driver-log.js";
import type { CheckOutcome } from "../pipeline/outcomes.js";
import type { Attributes, SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR, isFailed } from "../spans/vocabulary.js";
import {
  RUN_RECORD_VERSION,
  runRecord,
  type AttemptRecord,
  type CheckRecord,
  type RepetitionRecord,
  type RunRecord,
  type SubtestRecord,
} from "./record.js";
import { repeatSummaryOf } from "./repeat-summary.js";

const ms = (startNs: bigint, endNs: bigint) => (endNs > startNs ? Number((endNs - startNs) / 1000n) / 1000 : 0);
export const isoOf = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

/** Nested subtests flattened as `outer › inner`, in the order they ran. */
function flatten(subtests: readonly Subtest[], prefix = ""): SubtestRecord[] {
  return subtests.flatMap((s) => [
    { name: `${prefix}${s.name}`, status: s.status, durationMs: ms(s.startNs, s.endNs), ...(s.error ? { error: s.error } : {}) },
    ...flatten(s.children, `${prefix}${s.name} › `),
  ]);
}

/** Subtests a test recorded as spans itself (the prelude), nested ones as `outer › inner`. */
function ingestedSubtests(outcome: CheckOutcome): SubtestRecord[] {
  const spans = outcome.ingested?.spans ?? [];
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const path = (span: SpanData): string[] => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    const above = parent ? path(parent) : [];
    const name = subtestOf(span);
    return name === undefined ? above : [...above, name];
  };
  return spans
    .filter((s) => subtestOf(s) !== undefined)
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0))
    .map((s) => ({
      name: path(s).join(" › "),
      status: isFailed(s) ? "fail" : "pass",
      durationMs: ms(s.startNs, s.endNs),
      ...(isFailed(s) && s.status.message ? { error: s.status.message } : {}),
    }));
}

const subtestRecordsOf = (outcome: CheckOutcome) => (outcome.subtests.length ? flatten(outcome.subtests) : ingestedSubtests(outcome));
const buildMs = (outcome: CheckOutcome) => (outcome.build ? ms(outcome.build.startNs, outcome.build.endNs ?? outcome.build.startNs) : 0);

/** run --repeat: each repetition, and what they add up to; the check's duration is the median repetition's. */
function repeatFields(repetitions: readonly CheckOutcome[]) {
  const records = repetitions.map((r): RepetitionRecord => ({
    repetition: r.repetition ?? 0,
    drvPath: r.check.drvPath,
    status: r.status,
    durationMs: buildMs(r),
    ...(r.errorType ? { errorType: r.errorType } : {}),
    logTail: r.logTail,
    subtests: subtestRecordsOf(r),
  }));
  const repeat = repeatSummaryOf(records);
  return { durationMs: repeat.durationMs?.medianMs ?? 0, repetitions: records, repeat };
}

export function checkRecordOf(outcome: CheckOutcome): CheckRecord {
  const { check } = outcome;
  const repeated = outcome.repetitions ? repeatFields(outcome.repetitions) : undefined;
  return {
    name: check.name,
    attr: check.attr,
    suite: check.suite,
    status: outcome.status,
    cached: outcome.cached,
    durationMs: repeated?.durationMs ?? buildMs(outcome),
    // An output that failed to evaluate has no derivation.
    ...(check.drvPath ? { drvPath: check.drvPath, outPath: check.outPath } : {}),
    ...(outcome.errorType ? { errorType: outcome.errorType } : {}),
    logTail: outcome.logTail,
    subtests: subtestRecordsOf(outcome),
    ...(outcome.problems.length ? { problems: outcome.problems } : {}),
    ...(outcome.earlierAttempts?.length ? { attempts: attemptRecordsOf(outcome), flaky: outcome.flaky === true } : {}),
    ...(outcome.quarantine !== undefined ? { quarantine: outcome.quarantine } : {}),
    ...(repeated ? { repetitions: repeated.repetitions, repeat: repeated.repeat } : {}),
  };
}

/** Every build of a retried check: the failed ones, then the last (its status is the check's). */
const attemptRecordsOf = (outcome: CheckOutcome): AttemptRecord[] => [
  ...(outcome.earlierAttempts ?? []).map((a, index) => ({
    attempt: index + 1,
    status: "fail" as const,
    durationMs: ms(a.startNs, a.endNs),
    logTail: a.logTail,
  })),
  {
    attempt: (outcome.earlierAttempts?.length ?? 0) + 1,
    status: outcome.status,
    durationMs: ms(outcome.startNs, outcome.endNs),
    logTail: outcome.logTail,
  },
];

export const buildRecordOf = (build: BuildActivity) => ({
  drvPath: build.drvPath,
  machine: build.machine,
  status: build.failed ? ("fail" as const) : build.interrupted ? ("cancelled" as const) : ("pass" as const),
  durationMs: ms(build.startNs, build.endNs ?? build.startNs),
});

/** run.json's `vcs`: the git facts the run's resource carries, when git knew any. */
export function vcsRecordOf(vcs: Attributes): { vcs?: RunRecord["vcs"] } {
  const revision = vcs[ATTR.vcsRevision];
  const repository = vcs[ATTR.vcsRepositoryUrl];
  const found = {
    ...(typeof revision === "string" ? { revision } : {}),
    ...(typeof repository === "string" ? { repository } : {}),
  };
  return Object.keys(found).length ? { vcs: found } : {};
}

/** Validates against the schema, so what is written is what `report` will read. */
export const makeRunRecord = (record: Omit<RunRecord, "version">): RunRecord => runRecord.parse({ version: RUN_RECORD_VERSION, ...record });
