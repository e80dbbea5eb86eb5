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
});

/** One build of a check under --retries. */
export const attemptRecord = z.strictObject({
  attempt: z.number().int().positive(),
  status: z.enum(["pass", "fail", "cancelled"]),
  durationMs: z.number().nonnegative(),
  logTail: z.array(z.string()).default([]),
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
  checks: z.array(checkRecord),
  /** Dependency derivations nix built during the run (the checks' own builds are in checks). */
  builds: z.array(buildRecord).default([]),
  timing: timingRecord.optional().describe("The critical path and build-slot use; absent in records written before them"),
  export: exportRecord,
});

export type BuildRecord = z.infer<typeof buildRecord>;
export type SubtestRecord = z.infer<typeof subtestRecord>;
export type AttemptRecord = z.infer<typeof attemptRecord>;
export type CheckRecord = z.infer<typeof checkRecord>;
export type RunRecord = z.infer<typeof runRecord>;

export const DEFAULT_OUT_DIR = ".nixotel";
export const runsDir = (outDir: string) => `${outDir}/runs`;
