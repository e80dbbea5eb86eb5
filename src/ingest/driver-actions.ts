// The test driver's machine actions (wait_for_unit, succeed, boot, shutdown, …) and VM lifecycle from a
// check's log lines (src/ingest/driver-verbs.ts names them), timed by src/ingest/driver-clock.ts.
// An action that raises prints no `finished` line: it ends, failed, where its failure shows (`output:`
// before a failed `succeed`, the test's error line), or where its enclosing block ends.
import type { LogLine } from "../nix/builds.js";
import { secondsToNs } from "./driver-clock.js";
import { failedSubtestIndex, failureIn } from "./driver-log.js";
import {
  actionOpenedBy,
  blockClosedBy,
  cleanDriverLine,
  COMMAND_OUTPUT,
  EXIT_CODE,
  openedMessage,
  SERIAL,
  SUBTEST_OPEN,
  VM_RUNNING,
  VM_STARTING,
} from "./driver-verbs.js";

export interface DriverAction {
  verb: string;
  machine: string;
  target?: string;
  startNs: bigint;
  endNs: bigint;
  status: "pass" | "fail";
  /** The driver's message for a failed action. */
  error?: string;
  /** A failed command's exit code, when the driver's message states it. */
  exitCode?: number;
  /** The subtest it ran in: its place in the order subtests opened (0-based) and its name. */
  subtest?: { index: number; name: string };
  children: DriverAction[];
}

/** A `MACHINE # TEXT` serial console line, kept with its machine. */
export interface ConsoleLine {
  machine: string;
  timeNs: bigint;
  text: string;
}

export interface DriverActivity {
  /** Actions outside any other action, in the order they started; nested ones are their children. */
  actions: DriverAction[];
  console: ConsoleLine[];
}

interface Open extends Omit<DriverAction, "endNs" | "status"> {
  message: string;
  lastNs: bigint;
}

const NOT_FINISHED = "the action printed no `finished` line: it raised";
// Why a test outside any subtest died: a traceback's last line (`…RequestedAssertionFailed: command …`)
// or the driver's global timeout.
const DIED = /^(?:[\w.]+\.)?\w*(?:Error|Exception|Failed): ([\s\S]+)$|^(timeout reached; test terminating\.\.\.)$/;
const ENDED = "the test ended before the action finished";

export function parseDriverActions(lines: readonly LogLine[], endNs: bigint, buildFailed: boolean): DriverActivity {
  const roots: DriverAction[] = [];
  const serial: ConsoleLine[] = [];
  const subtests: { index: number; name: string }[] = [];
  const open: Open[] = [];
  // Failed actions whose message the driver prints later (its error line names the exception).
  let unexplained: DriverAction[] = [];
  let subtestCount = 0;
  let died: string | undefined;

  const close = (action: Open, atNs: bigint, status: "pass" | "fail", error?: string): DriverAction => {
    const { message: _message, lastNs: _lastNs, ...rest } = action;
    const done: DriverAction = { ...rest, endNs: atNs < action.startNs ? action.startNs : atNs, status };
    if (status === "fail") {
      if (error === undefined) unexplained.push(done);
      else explain(done, error);
    }
    const parent = open.at(-1);
    const siblings = parent ? parent.children : roots;
    siblings.push(done);
    return done;
  };
  // Closes open actions from `index` up, innermost first (each a child of the one below it).
  const closeFrom = (index: number, atNs: (action: Open) => bigint, error?: string) => {
    while (open.length > index) {
      const action = open.pop()!;
      close(action, atNs(action), "fail", error);
    }
  };

  for (const { timeNs, text: raw } of lines) {
    const line = cleanDriverLine(raw);
    const onSerial = SERIAL.exec(line);
    if (onSerial) {
      serial.push({ machine: onSerial[1] ?? "", timeNs, text: onSerial[2] ?? "" });
      continue;
    }
    const innermost = open.at(-1);
    if (innermost) innermost.lastNs = timeNs;
    const subtest = SUBTEST_OPEN.exec(line);
    if (subtest) {
      subtests.push({ index: subtestCount++, name: subtest[1] ?? "" });
      continue;
    }
    const closed = blockClosedBy(line);
    if (closed?.message.startsWith("subtest: ")) {
      const index = subtests.findLastIndex((s) => `subtest: ${s.name}` === closed.message);
      if (index < 0) continue;
      const ended = subtests[index]!;
      // Actions still open in it raised and the script caught it: they ended before the subtest did.
      closeFrom(firstOpenIn(open, ended.index), (a) => a.lastNs, NOT_FINISHED);
      subtests.splice(index);
      continue;
    }
    if (closed) {
      const index = open.findLastIndex((a) => a.message === closed.message);
      if (index < 0) continue;
      closeFrom(index + 1, (a) => a.lastNs, NOT_FINISHED);
      const action = open.pop()!;
      close(action, action.startNs + secondsToNs(closed.seconds), "pass");
      continue;
    }
    const failure = failureIn(line);
    if (failure) {
      // The exception went up through every open action to the subtest that caught it (or the top).
      closeFrom(0, () => timeNs, failure.message);
      for (const action of unexplained) explain(action, failure.message);
      unexplained = [];
      const index = failedSubtestIndex(subtests, failure.rest);
      if (index >= 0) subtests.splice(index);
      continue;
    }
    const death = DIED.exec(line);
    if (death) {
      died = death[1] ?? death[2] ?? line;
      for (const action of unexplained) explain(action, died);
      unexplained = [];
    }
    const output = COMMAND_OUTPUT.exec(line);
    if (output && innermost?.verb === "succeed" && innermost.machine === output[1]) {
      // `succeed` logs its output only just before it raises `command … failed (exit code N)`.
      open.pop();
      close(innermost, timeNs, "fail");
      continue;
    }
    const running = VM_RUNNING.exec(line);
    const starting = open.findLastIndex((a) => a.verb === "start" && a.machine === running?.[1]);
    if (running && starting >= 0) {
      closeFrom(starting + 1, (a) => a.lastNs, NOT_FINISHED);
      close(open.pop()!, timeNs, "pass");
      continue;
    }
    const starts = VM_STARTING.exec(line);
    const action = starts ? { machine: starts[1] ?? "", verb: "start" } : actionOpenedBy(line);
    if (!action) continue;
    const inSubtest = subtests.at(-1);
    open.push({
      ...action,
      message: starts ? line : openedMessage(line),
      startNs: timeNs,
      lastNs: timeNs,
      ...(inSubtest ? { subtest: { ...inSubtest } } : {}),
      children: [],
    });
  }
  // Still open when the log ended: the test died inside (a timeout, a kill), or the script caught it.
  closeFrom(0, (a) => (buildFailed ? endNs : a.lastNs), buildFailed ? (died ?? ENDED) : NOT_FINISHED);
  for (const action of unexplained) explain(action, died ?? NOT_FINISHED);
  return { actions: roots, console: serial };
}

/** The first open action that ran inside the subtest numbered `index` (or a subtest within it). */
function firstOpenIn(open: readonly Open[], index: number): number {
  const at = open.findIndex((a) => a.subtest !== undefined && a.subtest.index >= index);
  return at < 0 ? open.length : at;
}

function explain(action: DriverAction, message: string): void {
  action.error = message;
  const code = EXIT_CODE.exec(message)?.[1];
  if (code !== undefined) action.exitCode = Number(code);
}
