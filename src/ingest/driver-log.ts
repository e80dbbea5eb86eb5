// The NixOS test driver's plain log lines → a tree of subtests (nixos/lib/test-driver/…/logger.py):
// `subtest: NAME` opens one, `(finished: subtest: NAME, in N.NN seconds)` closes it; a failing subtest
// prints no "finished" line, only `!!! Test "NAME" failed with error: "…"` (before 25.05: no `!!! `),
// which closes it. The script may catch that failure and go on (25.05+), so it fails that subtest only.
import type { LogLine } from "../nix/builds.js";
import { timedByDriver } from "./driver-clock.js";
import { cleanDriverLine, SUBTEST_OPEN } from "./driver-verbs.js";

export interface Subtest {
  name: string;
  startNs: bigint;
  endNs: bigint;
  status: "pass" | "fail";
  error?: string;
  children: Subtest[];
}

export interface DriverLog {
  subtests: Subtest[];
  /** Test-level error lines (`Test "…" failed with error: …`, `!!! …`), ANSI stripped. */
  errors: string[];
}

const OPEN = SUBTEST_OPEN;
const CLOSE = /^\(finished: subtest: (.+), in (\d+(?:\.\d+)?) seconds\)$/;
const ERROR = /^(?:!!! (.*)|(Test ".*" failed with error: .*))$/;
const FAILED = /^(?:!!! )?(Test "(.*" failed with error: .*))$/;
const FAILED_SPLIT = '" failed with error: ';
// nixotel reads bare lines (nix's activity stream, `nix log`), but a log captured from `nix build -L`
// (a CI job's output) has `vm-test-run-NAME> ` before each line: cleanDriverLine strips it so such lines
// parse too. The driver's own `machine: ` prefix marks a machine's messages, never the subtest and verdict lines read here.

interface Open extends Omit<Subtest, "endNs" | "status"> {
  endNs?: bigint;
  status?: "pass" | "fail";
}

const clean = cleanDriverLine;

/** Whether a log line is the driver's verdict on a failed test (`!!! …`, `Test "…" failed with error: …`). */
export const isDriverFailure = (raw: string) => ERROR.test(clean(raw));

/** The driver's verdict on a failed test in a clean line (`Test "NAME" failed with error: "…"`): the whole
 * message and the `NAME" failed with error: …` part that names the subtest (see failedSubtestIndex). */
export function failureIn(line: string): { message: string; rest: string } | undefined {
  const failed = FAILED.exec(line);
  return failed ? { message: failed[1] ?? line, rest: failed[2] ?? "" } : undefined;
}

/** The subtest a log line opens (`subtest: NAME`), or undefined: what the live progress follows. */
export function subtestOpenedBy(raw: string): string | undefined {
  return OPEN.exec(clean(raw))?.[1];
}

/** The subtest a log line closes (`(finished: subtest: NAME, in N seconds)`), or undefined. */
export function subtestClosedBy(raw: string): string | undefined {
  return CLOSE.exec(clean(raw))?.[1];
}

/** Of the open subtests (outermost first), how many a log line leaves open: a `Test "NAME" failed`
 * line closes NAME and everything inside it; any other line closes none. */
export function openAfterFailure(raw: string, open: readonly string[]): number {
  const rest = FAILED.exec(clean(raw))?.[2];
  if (rest === undefined) return open.length;
  const index = failedSubtestIndex(
    open.map((name) => ({ name })),
    rest,
  );
  return index < 0 ? open.length : index;
}

// What the prelude prints after a raw traceback of the testScript (scripts/nixotel_prelude.py): how many
// lines it put before the user's script, which the driver's `File "<string>", line N` counts.
const PRELUDE_LINES = /^nixotel: the traceback counts the (\d+) lines nixotel puts before your testScript/;
const SCRIPT_FRAME = /File "<string>", line (\d+)/g;

/** Log lines with the driver's traceback frames numbered as in the user's testScript (`File "testScript",
 * line 18`), when the prelude said how many lines it added; unchanged otherwise (no prelude, no traceback). */
export function withUserLineNumbers(texts: readonly string[]): string[] {
  const before = texts.map((text) => PRELUDE_LINES.exec(clean(text))?.[1]).find((n) => n !== undefined);
  if (before === undefined) return [...texts];
  const renumber = (_: string, line: string) =>
    Number(line) > Number(before) ? `File "testScript", line ${Number(line) - Number(before)}` : `File "nixotel prelude", line ${line}`;
  return texts.map((text) => text.replace(SCRIPT_FRAME, renumber));
}

/** Lines of a stored build log (`nix log`: no arrival times) timed from `startNs` by the driver's own
 * durations (src/ingest/driver-clock.ts): subtests and actions keep their real lengths, one after the other. */
export const timedByDurations = (texts: readonly string[], startNs: bigint): LogLine[] =>
  timedByDriver(texts.map((text) => ({ timeNs: startNs, text })));

/** Parses a build's log lines; `endNs` closes what is still open (the test died inside it). */
export function parseDriverLog(lines: readonly LogLine[], endNs: bigint, buildFailed: boolean): DriverLog {
  const roots: Open[] = [];
  const stack: Open[] = [];
  const errors: string[] = [];
  for (const { text: raw, timeNs } of lines) {
    const text = clean(raw);
    const open = OPEN.exec(text);
    if (open) {
      const subtest: Open = { name: open[1] ?? "", startNs: timeNs, children: [] };
      (stack.at(-1)?.children ?? roots).push(subtest);
      stack.push(subtest);
      continue;
    }
    const close = CLOSE.exec(text);
    if (close) {
      const index = stack.findLastIndex((s) => s.name === close[1]);
      if (index < 0) continue;
      // Anything opened after it and not closed died with it.
      for (const inner of stack.splice(index + 1)) finish(inner, timeNs, "fail");
      const subtest = stack.pop()!;
      const seconds = Number(close[2]);
      finish(subtest, subtest.startNs + BigInt(Math.round(seconds * 1e9)), subtest.status ?? "pass");
      continue;
    }
    const failed = failureIn(text);
    if (failed) {
      const { message, rest } = failed;
      errors.push(message);
      const index = failedSubtestIndex(stack, rest);
      if (index < 0) continue;
      // It and whatever was still open inside it end here, failed; the subtests around it go on.
      for (const inner of stack.splice(index).reverse()) {
        inner.error ??= message;
        finish(inner, timeNs, "fail");
      }
      continue;
    }
    // Other `!!!` lines (tracebacks, a machine's error) are hints, never a subtest's verdict.
    const error = ERROR.exec(text);
    if (error) errors.push(error[1] ?? error[2] ?? text);
  }
  for (const subtest of stack) finish(subtest, endNs, buildFailed ? "fail" : (subtest.status ?? "pass"));
  return { subtests: roots as Subtest[], errors };
}

/** Which open subtest `NAME" failed with error: MESSAGE` names: both may contain the separator, so
 * every split is tried, innermost subtest first. -1 when none is open. */
export function failedSubtestIndex(stack: readonly { name: string }[], rest: string): number {
  for (let i = stack.length - 1; i >= 0; i--) {
    const name = stack[i]!.name;
    if (rest.startsWith(name + FAILED_SPLIT)) return i;
  }
  return -1;
}

function finish(subtest: Open, endNs: bigint, status: "pass" | "fail"): void {
  // A parent never ends before its children (their durations are the driver's, its end is when we heard).
  const latest = subtest.children.reduce((max, child) => (child.endNs > max ? child.endNs : max), endNs);
  subtest.endNs = latest < subtest.startNs ? subtest.startNs : latest;
  subtest.status = status;
}
