// What a span means, stated once: its role, the attribute keys nixotel writes and reads, its kind and
// its status. Spans are made with these names and read back by them; no other module spells them.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import {
  ATTR_CICD_PIPELINE_NAME,
  ATTR_CICD_PIPELINE_RESULT,
  ATTR_CICD_PIPELINE_RUN_ID,
  ATTR_CICD_PIPELINE_TASK_NAME,
  ATTR_CICD_PIPELINE_TASK_RUN_RESULT,
  ATTR_CICD_PIPELINE_TASK_TYPE,
  ATTR_HOST_NAME,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_TEST_CASE_NAME,
  ATTR_TEST_CASE_RESULT_STATUS,
  ATTR_TEST_SUITE_NAME,
  ATTR_VCS_REF_HEAD_REVISION,
  ATTR_VCS_REPOSITORY_URL_FULL,
  CICD_PIPELINE_TASK_TYPE_VALUE_BUILD,
  CICD_PIPELINE_TASK_TYPE_VALUE_TEST,
} from "@opentelemetry/semantic-conventions/incubating";

/** What a span stands for in a run: recorded on the span where it is made (`nixotel.role`), read back by reports. */
export const Role = {
  run: "run",
  check: "check",
  build: "build",
  subtest: "subtest",
  /** A stretch of the run that is not a build: evaluation, binary cache queries, substitutions. */
  phase: "phase",
  /** A span the test recorded itself (prelude, emitter), other than a subtest. */
  inTest: "test",
  /** One NixOS test driver action (wait_for_unit, succeed, boot, shutdown, …) on one machine. */
  action: "action",
} as const;
export type SpanRole = (typeof Role)[keyof typeof Role];
export const ROLES: readonly SpanRole[] = Object.values(Role);
export const isRole = (value: unknown): value is SpanRole => ROLES.includes(value as SpanRole);

export const ATTR = {
  role: "nixotel.role",
  // OpenTelemetry semantic conventions: tests, CI/CD, errors, resource.
  testCaseName: ATTR_TEST_CASE_NAME,
  testCaseResult: ATTR_TEST_CASE_RESULT_STATUS,
  testSuiteName: ATTR_TEST_SUITE_NAME,
  pipelineName: ATTR_CICD_PIPELINE_NAME,
  pipelineRunId: ATTR_CICD_PIPELINE_RUN_ID,
  pipelineResult: ATTR_CICD_PIPELINE_RESULT,
  taskName: ATTR_CICD_PIPELINE_TASK_NAME,
  taskType: ATTR_CICD_PIPELINE_TASK_TYPE,
  taskRunResult: ATTR_CICD_PIPELINE_TASK_RUN_RESULT,
  errorType: ATTR_ERROR_TYPE,
  processExitCode: ATTR_PROCESS_EXIT_CODE,
  serviceName: ATTR_SERVICE_NAME,
  hostName: ATTR_HOST_NAME,
  vcsRevision: ATTR_VCS_REF_HEAD_REVISION,
  vcsRepositoryUrl: ATTR_VCS_REPOSITORY_URL_FULL,
  // The classic `emit_test_span.sh NAME STATUS MS` attribute names, kept so existing queries work.
  classicTestName: "test.name",
  classicTestResult: "test.result",
  classicTestSuite: "test.suite",
  // Nix.
  nixFlake: "nix.flake",
  nixSystem: "nix.system",
  nixAttr: "nix.attr",
  nixDrvPath: "nix.drv_path",
  nixOutPath: "nix.out_path",
  nixCached: "nix.cached",
  nixSubstituted: "nix.substituted",
  nixMachine: "nix.machine",
  nixDependency: "nix.dependency",
  nixPhase: "nix.phase",
  nixChecksCount: "nix.checks.count",
  nixFlakeOutput: "nix.flake.output",
  nixFlakeOutputsCount: "nix.flake.outputs.count",
  nixQueryPaths: "nix.query.paths",
  nixStorePath: "nix.store_path",
  nixSubstituter: "nix.substituter",
  // The NixOS test driver.
  subtest: "nixos.test.subtest",
  driverPath: "nixos.test.driver",
  driverOutDir: "nixos.test.out_dir",
  /** A driver action's verb (`wait_for_unit`, `succeed`, `boot`, …): low-cardinality, a span-metric dimension. */
  action: "nixos.test.action",
  /** What the action acted on (unit, port, file, command), truncated, secrets-shaped values left out. */
  actionTarget: "nixos.test.action.target",
  /** The test's machine a span or log line belongs to (`machine` in `machine: waiting for unit …`). */
  machine: "nixos.test.machine",
  // nixotel's own.
  interactive: "nixotel.interactive",
  shard: "nixotel.shard",
  source: "nixotel.source",
  ingestProblems: "nixotel.ingest.problems",
  ingestProblem: "nixotel.ingest.problem",
  junitResult: "nixotel.junit.result",
  junitMismatch: "nixotel.junit.mismatch",
  junitMismatches: "nixotel.junit.mismatches",
  spanResult: "nixotel.span.result",
  // Flaky tests (docs/flaky.md): which build of a check this was, how many it took, the verdict.
  attempt: "nixotel.attempt",
  attempts: "nixotel.attempts",
  flaky: "nixotel.flaky",
  quarantined: "nixotel.quarantined",
  quarantineReason: "nixotel.quarantine.reason",
  /** A build on the run's critical path: the chain of builds that determined its wall time (src/timing). */
  criticalPath: "nixotel.critical_path",
  /** Which repetition of a check a build was under `run --repeat N` (1-based). */
  repetition: "nixotel.repetition",
  logTail: "log.tail",
  /** How far (ms) a span a test recorded was moved to lie inside its check (src/spans/tree.ts inWindow). */
  timeClampedMs: "nixotel.time.clamped_ms",
} as const;

/** Event names nixotel writes on spans. */
export const EVENT = {
  logTail: "log.tail",
  ingestProblem: "nixotel.ingest.problem",
  junitMismatch: "nixotel.junit.mismatch",
} as const;

export const TASK_TYPE = { build: CICD_PIPELINE_TASK_TYPE_VALUE_BUILD, test: CICD_PIPELINE_TASK_TYPE_VALUE_TEST } as const;

/** Every span nixotel makes is internal: nothing here serves or calls a remote. */
export const INTERNAL = SpanKind.INTERNAL;

// OTLP numbers span kinds from 1 (0 is "unspecified"), the API from 0: the only two conversions.
export const kindFromOtlp = (otlp: number): SpanKind => (otlp <= 0 ? SpanKind.INTERNAL : otlp - 1);
export const kindToOtlp = (kind: SpanKind): number => kind + 1;
export const OTLP_KIND_MAX = kindToOtlp(SpanKind.CONSUMER);

export type Verdict = "pass" | "fail";
export interface SpanStatus {
  code: SpanStatusCode;
  message?: string;
}

/**
 * The one rule for a span's status, shared by this code, the prelude (scripts/nixotel_prelude.py) and
 * the emitter (scripts/emit_test_span.sh), and tested against all three: a verdict of pass is OK, of
 * fail is ERROR (with why); a span that gives no verdict (a phase, a step) stays UNSET.
 */
export function statusOf(verdict: Verdict | undefined, message?: string): SpanStatus {
  if (verdict === undefined) return { code: SpanStatusCode.UNSET };
  if (verdict === "pass") return { code: SpanStatusCode.OK };
  return { code: SpanStatusCode.ERROR, ...(message ? { message } : {}) };
}

export const UNSET_STATUS = statusOf(undefined);
export const isFailed = (span: { status: SpanStatus }) => span.status.code === SpanStatusCode.ERROR;
export const isStatusCode = (code: number): code is SpanStatusCode => code === 0 || code === 1 || code === 2;
