// What happened to each check, from the build stream and the store: pass, fail or cancelled,
// cached or built, its own build, its log tail, and the spans it recorded itself.
import type { StoredLogReader } from "../nix/build-log.js";
import type { BuildActivity } from "../nix/builds.js";
import type { SettledBuilds } from "./settle.js";
import type { CheckInfo } from "../nix/checks.js";
import type { Subtest } from "../ingest/driver-log.js";
import { parseDriverLog, timedByDurations, withUserLineNumbers } from "../ingest/driver-log.js";
import { parseDriverActions, type ConsoleLine, type DriverAction } from "../ingest/driver-actions.js";
import { timedByDriver } from "../ingest/driver-clock.js";
import { isActionSpan, OTLP_LOG_PREFIX, readOtelDir, readOtlpLogLines, type Ingested } from "../ingest/ingest.js";
import { withDriverJunit } from "../ingest/junit-crosscheck.js";

export const LOG_TAIL_LINES = 40;

export type ErrorType = "test_failed" | "dependency_failed" | "timeout" | "cancelled" | "eval_failed";

export interface CheckOutcome {
  check: CheckInfo;
  status: "pass" | "fail" | "cancelled";
  cached: boolean;
  /** The build of the check's own derivation, when nix built it in this run. */
  build?: BuildActivity;
  startNs: bigint;
  endNs: bigint;
  errorType?: ErrorType;
  /** Why it failed in one line, when nix said so (an evaluation error); the span's status message. */
  message?: string;
  logTail: string[];
  /** Subtests from the driver's log lines (only when the test recorded no spans itself). */
  subtests: Subtest[];
  /** The driver's machine actions from its log lines; none when the test's own spans hold the prelude's actions. */
  actions?: DriverAction[];
  /** The VMs' serial console lines (`machine # …`), each with its machine. */
  console?: ConsoleLine[];
  /** Spans the test recorded ($out/otel or `@nixotel-otlp ` lines), ids not yet rewritten. */
  ingested?: Ingested & { source: "out" | "log" };
  /** What the test left that could not be read (`file:line: why`): shown, never silently dropped. */
  problems: string[];
  /** With --retries: the builds before the last one, each of which failed (the last is `build`). */
  earlierAttempts?: readonly Attempt[];
  /** Failed, then passed on a retry of the same derivation. */
  flaky?: boolean;
  /** Why the check is quarantined (nixotel.json): its failure does not fail the run. */
  quarantine?: string;
  /** A cached check's stored build log (`nix log`: lines without times), for its log records. */
  storedLog?: readonly string[];
  /** nix's messages naming the check's derivation when it was judged (`error: builder for '…' failed …`). */
  nixMessages?: readonly string[];
  /** With run --repeat: which repetition of its check this outcome is (1-based). */
  repetition?: number;
  /** With run --repeat: every repetition, judged on its own; the check's status is `fail` if any failed. */
  repetitions?: readonly CheckOutcome[];
}

/** One failed build of a check that was built again (--retries). */
export interface Attempt {
  build?: BuildActivity;
  startNs: bigint;
  endNs: bigint;
  errorType?: ErrorType;
  logTail: string[];
}

export interface BuildFacts {
  builds: SettledBuilds;
  nixErrors: readonly string[];
  cachedBefore: ReadonlySet<string>;
  validAfter: ReadonlySet<string>;
  /** When nix was started to build (`run`: once the cache query answered; `check`: when the command
   * started) and when the store was asked afterwards: the times of a check nix did not build. */
  startNs: bigint;
  endNs: bigint;
  timedOut: boolean;
  cancelled: boolean;
}

/** Where a check's own records can be read besides the build stream. */
export interface OutcomeSources {
  /** The check's output folder ($out/otel, $out/junit.xml) is on this machine. */
  outputsReadable: boolean;
  readStoredLog?: StoredLogReader;
  /** Log records are made (nixotel.json `logs.enabled`): a cached check's stored log is read even when
   * `$out/otel` has its spans. Without them it is read only for the subtests and actions it gives. */
  logRecords: boolean;
}

export async function checkOutcome(check: CheckInfo, facts: BuildFacts, sources: OutcomeSources): Promise<CheckOutcome> {
  const { outputsReadable: readOutputs, readStoredLog } = sources;
  const cached = facts.cachedBefore.has(check.outPath);
  const build = buildsByDrv(facts.builds).get(check.drvPath);
  const passed = facts.validAfter.has(check.outPath);
  const status = passed ? "pass" : facts.cancelled && !build?.failed ? "cancelled" : "fail";
  const errorType = passed ? undefined : errorTypeOf(build, facts);
  const startNs = build?.startNs ?? facts.startNs;
  const heardEndNs = build?.endNs ?? (cached ? facts.startNs : facts.endNs);
  const fromOut = passed && readOutputs ? await readOtelDir(check.outPath) : undefined;
  // Driver actions come from one source per check: the prelude's action spans when it recorded any, else the log.
  const outHasActions = fromOut?.spans.some(isActionSpan) === true;
  // A cached check printed nothing this run: its log records come from the stored log of the build that
  // made it, and so do its subtests when it has no spans of its own (timed by the driver's own subtest durations)
  // and its actions when its spans hold none (laid out from the start of what it recorded).
  const stored =
    cached && !build && readStoredLog && (!outHasActions || sources.logRecords) ? await readStoredLog(check.drvPath) : undefined;
  // Live lines are timed by arrival and by the driver's stated durations; stored ones by the durations alone.
  const lines = build
    ? timedByDriver(build.lines)
    : stored && !outHasActions
      ? timedByDurations(stored, recordedStart(fromOut) ?? startNs)
      : [];
  // The driver timed what ran inside the build itself: the check lasted at least until its last line.
  const lastLineNs = build ? lines.at(-1)?.timeNs : undefined;
  const endNs = lastLineNs !== undefined && lastLineNs > heardEndNs ? lastLineNs : heardEndNs;
  const mentions = facts.nixErrors.filter((e) => e.includes(check.drvPath));
  // A testScript's traceback names the user's own lines wherever the tail is shown (summary, JUnit, HTML).
  const logTail = [
    ...withUserLineNumbers(lines.filter((l) => !l.text.startsWith(OTLP_LOG_PREFIX)).map((l) => l.text)).slice(-LOG_TAIL_LINES),
    ...mentions,
  ];

  const fromLog = fromOut ? undefined : readOtlpLogLines(lines);
  const ingested = fromOut ? { ...fromOut, source: "out" as const } : fromLog ? { ...fromLog, source: "log" as const } : undefined;
  const subtests = ingested ? [] : parseDriverLog(lines, endNs, status !== "pass").subtests;
  const parsed = parseDriverActions(lines, endNs, status !== "pass");
  const { console } = parsed;
  const actions = ingested?.spans.some(isActionSpan) ? [] : parsed.actions;
  const outcome: CheckOutcome = {
    check,
    status,
    cached,
    ...(build ? { build } : {}),
    startNs,
    endNs,
    ...(errorType ? { errorType } : {}),
    logTail: passed ? [] : logTail,
    subtests,
    ...(actions.length ? { actions } : {}),
    ...(console.length ? { console } : {}),
    ...(ingested ? { ingested } : {}),
    problems: ingested?.problems ?? [],
    ...(stored ? { storedLog: stored } : {}),
    ...(mentions.length ? { nixMessages: mentions } : {}),
  };
  // The driver's own verdicts ($out/junit.xml, --junit-xml) checked against the subtests found above.
  return passed && readOutputs ? withDriverJunit(outcome, check.outPath) : outcome;
}

/** When the earliest span a check recorded started: where its stored log's lines are laid out from. */
function recordedStart(recorded: Ingested | undefined): bigint | undefined {
  return recorded?.spans.reduce<bigint | undefined>((min, s) => (min === undefined || s.startNs < min ? s.startNs : min), undefined);
}

const indexes = new WeakMap<SettledBuilds, Map<string, BuildActivity>>();

/** The builds by drv path, made once per run (not a search per check); the first build of a drv wins. */
function buildsByDrv(builds: SettledBuilds): Map<string, BuildActivity> {
  let index = indexes.get(builds);
  if (!index) indexes.set(builds, (index = new Map([...builds].reverse().map((b) => [b.drvPath, b]))));
  return index;
}

function errorTypeOf(build: BuildActivity | undefined, facts: BuildFacts): ErrorType {
  if (build?.failed) return "test_failed";
  if (facts.cancelled) return "cancelled";
  if (facts.timedOut) return "timeout";
  return build ? "test_failed" : "dependency_failed";
}
