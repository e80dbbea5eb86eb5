// The on-disk record of one run: .nixotel/runs/<run-id>/{run.json, spans.jsonl, spool/}.
// run.json is the small summary `report` and `flush` read; spans.jsonl holds the full trace as
// OTLP JSON lines (one ExportTraceServiceRequest a line). This schema is the only source of its type.
import { z } from "zod";
import { timingRecord } from "./timing-record.js";

export const RUN_RECORD_VERSION = 1;

export const subtestRecord = z.strictObject({
  name: z.string(),
  status: z.enum(["pass", "fail"]),
  durationMs: z.number().nonnegative(),
  error: z.string().optional().describe("Why it failed, as the driver said (absent when it passed or said nothing)"),
});

/** One build of a check under --retries. */
export const attemptRecord = z.strictObject({
  attempt: z.number().int().positive(),
  status: z.enum(["pass", "fail", "cancelled"]),
  durationMs: z.number().nonnegative(),
  logTail: z.array(z.string()).default([]),
});

/** One repetition of a check under `run --repeat N`: its own derivation (the check's, plus a repetition tag). */
export const repetitionRecord = z.strictObject({
  repetition: z.number().int().positive(),
  drvPath: z.string().describe("The repetition's derivation: the check's own with only `nixotelRepetition` added"),
  status: z.enum(["pass", "fail", "cancelled"]),
  durationMs: z.number().nonnegative(),
  errorType: z.string().optional(),
  logTail: z.array(z.string()).default([]),
  subtests: z.array(subtestRecord).default([]),
});

const distributionRecord = z.strictObject({
  minMs: z.number().nonnegative(),
  medianMs: z.number().nonnegative(),
  p95Ms: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
});

/** What `run --repeat N` found about one check (computed from its repetitions when the run is recorded). */
export const repeatSummaryRecord = z.strictObject({
  runs: z.number().int().nonnegative().describe("Repetitions that reached a verdict (not cancelled)"),
  passed: z.number().int().nonnegative(),
  passRate: z.number().min(0).max(1),
  interval: z
    .strictObject({ level: z.number(), low: z.number().min(0).max(1), high: z.number().min(0).max(1) })
    .describe("Wilson score interval of the pass rate"),
  durationMs: distributionRecord.nullable().describe("Over the repetitions nix built; null when none was"),
  subtests: z.array(z.strictObject({ name: z.string(), runs: z.number().int(), failed: z.number().int(), durationMs: distributionRecord })),
  failures: z
    .array(
      z.strictObject({
        subtest: z.string().nullable().describe("The innermost subtest that failed; null: the test failed outside any subtest"),
        repetitions: z.array(z.number().int().positive()),
        errors: z.array(z.strictObject({ message: z.string(), count: z.number().int().positive() })),
      }),
    )
    .describe("The flaky step: where the failing repetitions failed, most often first, their error messages grouped"),
});

export const checkRecord = z.strictObject({
  name: z.string().describe("Check name, the attribute under checks.<system>"),
  attr: z.string().describe("Full attribute path, e.g. checks.x86_64-linux.foo"),
  suite: z.string(),
  status: z.enum(["pass", "fail", "cancelled"]),
  cached: z.boolean().describe("True when nothing had to be built"),
  durationMs: z.number().nonnegative(),
  drvPath: z.string().optional(),
  outPath: z.string().optional(),
  errorType: z.string().optional(),
  logTail: z.array(z.string()).default([]),
  subtests: z.array(subtestRecord).default([]),
  // Optional, not defaulted, so records written before it (and test fixtures) stay valid as they are.
  problems: z.array(z.string()).optional().describe("In-test telemetry that could not be read, as `file:line: why`; absent when none"),
  attempts: z.array(attemptRecord).optional().describe("With --retries: every build of the check, in order; absent when built once"),
  flaky: z.boolean().optional().describe("Failed, then passed on a retry of the same derivation"),
  quarantine: z.string().optional().describe("Why the check is quarantined (nixotel.json): reported, but it does not fail the run"),
  repetitions: z.array(repetitionRecord).optional().describe("With run --repeat N: each repetition; absent otherwise"),
  repeat: repeatSummaryRecord.optional().describe("With run --repeat N: pass rate, its interval, durations, the failing subtest"),
});

export const buildRecord = z.strictObject({
  drvPath: z.string(),
  machine: z.string().describe('Remote builder URI; "" when built locally'),
  status: z.enum(["pass", "fail", "cancelled"]).describe("cancelled: cut short by --timeout or a signal"),
  durationMs: z.number().nonnegative(),
});

export const exportRecord = z.strictObject({
  endpoint: z.string().nullable().describe("Where spans were sent; null when only written to disk"),
  protocol: z.enum(["http/protobuf", "http/json"]).nullable(),
  delivered: z.boolean(),
  spooled: z.number().int().nonnegative().describe("Spans waiting in spool/ for `nixotel flush`"),
  spans: z.number().int().nonnegative(),
  error: z.string().optional().describe("Why the collector did not accept everything"),
  // Optional so older records stay valid: absent means none.
  rejected: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "Spans the collector refused for good (HTTP 400/413, or rejectedSpans of an HTTP 200 partial success); their requests are in rejected.jsonl",
    ),
  rejection: z
    .string()
    .optional()
    .describe(
      "The collector's answer to them: `HTTP 400 Bad Request: <its message>` or `HTTP 200 partial success: 2 of 5 spans rejected: <its message>`",
    ),
});

/** The logs' export, like the spans' (absent in runs recorded before logs were): counts are log records. */
export const logsExportRecord = exportRecord.omit({ spans: true }).extend({
  records: z.number().int().nonnegative().describe("Log records of the run's checks, all in logs.jsonl"),
  cut: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Checks whose log was cut by the per-check limits (nixotel.json logs); absent when none"),
});

/** While a run goes on (and after nixotel was killed mid-run): what is not finished yet. */
export const progressRecord = z.strictObject({
  pid: z.number().int().positive().describe("The nixotel process writing the run; gone: it was killed before the end"),
  running: z.array(z.string()).describe("Checks whose build nix has started and not finished"),
  waiting: z.array(z.string()).describe("Checks not started yet (or still waiting for nix's verdict)"),
  exportedLines: z
    .number()
    .int()
    .nonnegative()
    .describe("Lines of spans.jsonl the export has dealt with (delivered, refused or spooled); `nixotel flush` spools the rest"),
  exportedLogLines: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Lines of logs.jsonl the export has dealt with (delivered, refused or spooled); `nixotel flush` spools the rest"),
});

export const runRecord = z.strictObject({
  version: z.literal(RUN_RECORD_VERSION),
  runId: z.string(),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  parentSpanId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional()
    .describe("The CI job's span the run span is a child of (from TRACEPARENT); absent when the run is the root"),
  shard: z
    .strictObject({
      index: z.number().int().positive(),
      count: z.number().int().positive(),
      basis: z.enum(["durations", "names"]).describe("What the split was based on: earlier runs' durations, or the names alone"),
    })
    .optional()
    .describe("`--shard I/N`: the run built the I-th of N parts of the checks; absent when it built them all"),
  command: z.enum(["run", "check"]),
  flake: z.string(),
  system: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  result: z.enum(["success", "failure", "error", "cancellation", "timeout"]),
  vcs: z
    .strictObject({ revision: z.string().optional(), repository: z.string().optional() })
    .optional()
    .describe("What git said of the tested code: the revision (vcs.ref.head.revision) and the remote; absent outside a repository"),
  checks: z.array(checkRecord),
  /** Dependency derivations nix built during the run (the checks' own builds are in checks). */
  builds: z.array(buildRecord).default([]),
  timing: timingRecord.optional().describe("The critical path and build-slot use; absent in records written before them"),
  export: exportRecord,
  logs: logsExportRecord.optional(),
  // Optional so records written before streaming stay valid: absent means complete.
  complete: z
    .boolean()
    .optional()
    .describe("false while the run goes on, or when nixotel was stopped before its end (SIGKILL, OOM): `checks` holds what finished"),
  progress: progressRecord.optional().describe("Present while the run is incomplete"),
});

export type BuildRecord = z.infer<typeof buildRecord>;
export type SubtestRecord = z.infer<typeof subtestRecord>;
export type AttemptRecord = z.infer<typeof attemptRecord>;
export type RepetitionRecord = z.infer<typeof repetitionRecord>;
export type RepeatSummaryRecord = z.infer<typeof repeatSummaryRecord>;
export type CheckRecord = z.infer<typeof checkRecord>;
export type RunRecord = z.infer<typeof runRecord>;
export type LogsExportRecord = z.infer<typeof logsExportRecord>;
export type ProgressRecord = z.infer<typeof progressRecord>;

export const DEFAULT_OUT_DIR = ".nixotel";
export const runsDir = (outDir: string) => `${outDir}/runs`;
