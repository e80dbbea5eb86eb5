// Driver actions from the log formats of every driver generation (tests/fixtures/driver-logs): the
// 24.11+ logger (ANSI codes, `machine: (finished: …)`, `!!! ` before a failure), the older logger
// (bare `(finished: …)`, no `!!! `) and a `nix build -L` capture (`vm-test-run-NAME> ` before each line).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LogLine } from "../nix/builds.js";
import { parseDriverActions, type DriverAction } from "./driver-actions.js";
import { timedByDriver } from "./driver-clock.js";
import { timedByDurations } from "./driver-log.js";

const S = 1_000_000_000n;
const LOGS = join(import.meta.dirname, "..", "..", "tests", "fixtures", "driver-logs");
const logLines = (name: string) =>
  readFileSync(join(LOGS, `${name}.log`), "utf8")
    .trimEnd()
    .split("\n");

/** verb machine target start–end (seconds from 0) status, nested ones indented. */
function outline(actions: readonly DriverAction[], depth = 0): string[] {
  return actions.flatMap((a) => [
    `${"  ".repeat(depth)}${a.verb} ${a.machine} ${a.target ?? "-"} ${Number(a.startNs) / 1e9}-${Number(a.endNs) / 1e9} ${a.status} in ${a.subtest?.name ?? "-"}`,
    ...outline(a.children, depth + 1),
  ]);
}

describe.each(["new-driver", "old-driver", "nix-build-L"])("the %s log", (name) => {
  const lines = timedByDurations(logLines(name), 0n);
  const { actions, console } = parseDriverActions(lines, lines.at(-1)!.timeNs, true);

  it("gives every action its verb, machine, target, the driver's durations and its subtest", () => {
    expect(outline(actions)).toEqual([
      "start server - 0-0 pass in -",
      "boot server - 0-2 pass in boot",
      "wait_for_unit server nginx.service 2-5 pass in web",
      "wait_for_open_port server localhost:80 5-6 pass in web",
      "succeed server curl -fsS -H 'Authorization: Bearer ***' http://localhost/api?password=*** 6-6 fail in api",
      "shutdown server - 6-6.5 pass in -",
    ]);
  });

  it("fails the action that raised with the driver's message and exit code", () => {
    const failed = actions.find((a) => a.status === "fail")!;
    expect(failed.error).toMatch(/^Test "api" failed with error: "command `curl .*` failed \(exit code 22\)"$/);
    expect(failed.exitCode).toBe(22);
  });

  it("keeps the serial console lines with their machine", () => {
    expect(console.map((l) => [l.machine, l.text])).toEqual([
      ["server", "[    0.000000] Linux version 6.6.1 (nixbld@localhost)"],
      ["server", "[    5.100000] systemd[1]: Started nginx.service."],
    ]);
  });
});

const at = (seconds: number, text: string): LogLine => ({ timeNs: BigInt(seconds * 1e9), text });

describe("nesting and failures", () => {
  it("nests the boot a first command waits for inside that command", () => {
    const lines = timedByDriver([
      at(0, "m: waiting for unit sshd.service"),
      at(0, "m: waiting for the VM to finish booting"),
      at(0, "m: starting vm"),
      at(0.1, "m: QEMU running (pid 7)"),
      at(0.2, "m: (finished: waiting for the VM to finish booting, in 12.00 seconds)"),
      at(0.3, "m: (finished: waiting for unit sshd.service, in 15.00 seconds)"),
    ]);
    expect(outline(parseDriverActions(lines, 20n * S, false).actions)).toEqual([
      "wait_for_unit m sshd.service 0-15 pass in -",
      "  boot m - 0-12 pass in -",
      "    start m - 0-0.1 pass in -",
    ]);
  });

  it("ends an action whose failure the script caught by the line that closes its subtest, failed", () => {
    const lines = [
      at(1, "subtest: tolerant"),
      at(1, "m: waiting for file '/etc/x'"),
      at(9, "m # late line"),
      at(4, "(finished: subtest: tolerant, in 8.00 seconds)"),
    ];
    const [action] = parseDriverActions(lines, 20n * S, false).actions;
    expect(outline([action!])).toEqual(["wait_for_file m /etc/x 1-4 fail in tolerant"]);
    expect(action!.error).toMatch(/printed no `finished` line/);
  });

  it("ends what a killed test left open at the end of the build", () => {
    const { actions } = parseDriverActions([at(1, "m: waiting for success: true")], 30n * S, true);
    expect(outline(actions)).toEqual(["wait_until_succeeds m true 1-30 fail in -"]);
    expect(actions[0]!.error).toBe("the test ended before the action finished");
  });

  it("takes the message of a test that died outside any subtest from its traceback", () => {
    const lines = [
      at(1, "m: must succeed: false"),
      at(2, "m: output: "),
      at(2, "Traceback (most recent call last):"),
      at(2, "test_driver.errors.RequestedAssertionFailed: command `false` failed (exit code 1)"),
      at(3, "m: waiting for unit x"),
      at(4, "timeout reached; test terminating..."),
    ];
    const { actions } = parseDriverActions(lines, 9n * S, true);
    expect(actions.map((a) => [a.verb, a.error, a.exitCode, Number(a.endNs / S)])).toEqual([
      ["succeed", "command `false` failed (exit code 1)", 1, 2],
      ["wait_for_unit", "timeout reached; test terminating...", undefined, 9],
    ]);
  });
});

describe("timedByDriver", () => {
  it("keeps the driver's lengths when nix delivers the lines in a burst, and never goes back", () => {
    const times = timedByDriver([
      at(10, "m: waiting for unit a"),
      at(10, "m: (finished: waiting for unit a, in 3.00 seconds)"),
      at(11, "m: waiting for TCP port 80 on localhost"),
      at(20, "m: (finished: waiting for TCP port 80 on localhost, in 1.00 seconds)"),
    ]).map((l) => Number(l.timeNs) / 1e9);
    expect(times).toEqual([10, 13, 13, 20]);
  });
});
