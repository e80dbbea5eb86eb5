// The NixOS test driver's machine actions as its log prints them: a nested block `MACHINE: MESSAGE`
// closed by `(finished: MESSAGE, in N.NN seconds)` (machine-prefixed from 24.11's logger on, bare
// before), read from nixos/lib/test-driver/…/machine.py and logger.py of 21.11 to 2026 master.
// Each message maps to the method that printed it: the action's verb, low-cardinality by design.
import { stripAnsi } from "../nix/activity.js";
import { safeTarget } from "./action-target.js";

export interface OpenedAction {
  machine: string;
  verb: string;
  target?: string;
}

type Target = (match: RegExpExecArray) => string | undefined;
const first: Target = (m) => m[1];

// Most specific first: `… to appear on screen` before nothing else matches, `to be closed` before the open port.
const VERBS: readonly [RegExp, string, Target?][] = [
  [/^waiting for unit (.+?)(?: with user (.+))?$/, "wait_for_unit", (m) => (m[2] ? `${m[1]} (user ${m[2]})` : m[1])],
  [/^must succeed: ([\s\S]*)$/, "succeed", first],
  [/^must fail: ([\s\S]*)$/, "fail", first],
  [/^waiting for success: ([\s\S]*)$/, "wait_until_succeeds", first],
  [/^waiting for failure: ([\s\S]*)$/, "wait_until_fails", first],
  [/^waiting for TCP port (\d+)(?: on (.+?))? to be closed$/, "wait_for_closed_port", (m) => (m[2] ? `${m[2]}:${m[1]}` : m[1])],
  [/^waiting for TCP port (\d+)(?: on (.+))?$/, "wait_for_open_port", (m) => (m[2] ? `${m[2]}:${m[1]}` : m[1])],
  [/^waiting for UNIX-domain (?:stream|datagram) on '(.*)'$/, "wait_for_open_unix_socket", first],
  [/^waiting for file '(.*)'$/, "wait_for_file", first],
  [/^waiting for the VM to finish booting$/, "boot"],
  [/^waiting for the VM to power off$/, "shutdown"],
  [/^waiting for (.*) to appear on screen$/, "wait_for_text", first],
  [/^waiting for (.*) to appear on console$/, "wait_for_console_text", first],
  [/^waiting for \/?(.*?)\/? to appear on (?:tty |TTY)(\S+)$/, "wait_until_tty_matches", (m) => `tty${m[2]}: ${m[1]}`],
  [/^waiting for the X11 server$/, "wait_for_x"],
  [/^waiting for a window to appear$/, "wait_for_window"],
  [/^checking if unit '(.*)' has reached state '(.*)'$/, "require_unit_state", (m) => `${m[1]} ${m[2]}`],
  [/^making screenshot (.*)$/, "screenshot", first],
  [/^sending keys (.*)$/, "send_keys", first],
  [/^sending key (.*)$/, "send_key", first],
];

// `machine: MESSAGE` with the driver's ANSI codes around MESSAGE; `machine # …` (serial) never matches.
const MACHINE_LINE = /^([^\s:#]+): ([\s\S]*)$/;
const FINISHED = /^\(finished: ([\s\S]*), in (\d+(?:\.\d+)?) seconds\)$/;
// `nix build -L` puts `vm-test-run-NAME> ` before each line; nixotel's own stream does not.
const BUILD_PREFIX = /^[\w.+-]+> /;

/** `subtest: NAME`: the driver's subtest block (no machine), closed by `(finished: subtest: NAME, …)`. */
export const SUBTEST_OPEN = /^subtest: (.+)$/;

/** A driver log line without colours, the build prefix and trailing blanks: what the patterns read. */
export const cleanDriverLine = (raw: string) => stripAnsi(raw).replace(BUILD_PREFIX, "").trimEnd();

/** The machine action a (clean) line opens, or undefined. */
export function actionOpenedBy(line: string): OpenedAction | undefined {
  const onMachine = MACHINE_LINE.exec(line);
  if (!onMachine) return undefined;
  const [, machine = "", message = ""] = onMachine;
  for (const [pattern, verb, target] of VERBS) {
    const match = pattern.exec(message);
    if (!match) continue;
    const raw = target?.(match);
    const safe = raw === undefined ? undefined : safeTarget(raw);
    return { machine, verb, ...(safe ? { target: safe } : {}) };
  }
  return undefined;
}

/** The message an action line opened with (what its `finished` line repeats), without the machine. */
export const openedMessage = (line: string) => MACHINE_LINE.exec(line)?.[2] ?? line;

/** A block's end: `[MACHINE: ](finished: MESSAGE, in N.NN seconds)`. */
export function blockClosedBy(line: string): { message: string; seconds: number } | undefined {
  const onMachine = MACHINE_LINE.exec(line);
  const finished = FINISHED.exec(onMachine && onMachine[2]?.startsWith("(finished: ") ? onMachine[2] : line);
  return finished ? { message: finished[1] ?? "", seconds: Number(finished[2]) } : undefined;
}

// VM lifecycle lines that are not blocks: `start()` logs `starting vm`, then `QEMU running (pid N)`.
export const VM_STARTING = /^([^\s:#]+): starting vm$/;
export const VM_RUNNING = /^([^\s:#]+): QEMU running \(pid \d+\)$/;
/** `succeed` logs `output: …` only just before it raises: the command failed there. */
export const COMMAND_OUTPUT = /^([^\s:#]+): output:(?: |$)/;
/** What a failed command's exception says; it reaches the log in the test's error line. */
export const EXIT_CODE = /command `[\s\S]*` failed \(exit code (\d+)\)/;
/** A serial console line: `MACHINE # TEXT`. */
export const SERIAL = /^([^\s:#]+) # ([\s\S]*)$/;
