// A cached check's stored build log (`nix log`) has no arrival times: they are rebuilt from the driver's
// own durations, and a missing log records nothing.
import { describe, expect, it } from "vitest";
import type { CheckInfo } from "../nix/checks.js";
import { isDriverFailure, parseDriverLog, timedByDurations } from "./driver-log.js";
import { checkOutcome } from "../pipeline/outcomes.js";
import { settleBuilds } from "../pipeline/settle.js";

const S = 1_000_000_000n;

describe("timedByDurations", () => {
  it("lays subtests out one after the other with the lengths the driver printed, nested ones inside", () => {
    const lines = timedByDurations(
      [
        "\x1b[1;32msubtest: boot\x1b[0m",
        "(finished: subtest: boot, in 1.50 seconds)",
        "vm-test-run-web> subtest: outer",
        "subtest: inner",
        "(finished: subtest: inner, in 0.25 seconds)",
        "(finished: subtest: outer, in 2.00 seconds)",
        "done",
      ],
      10n * S,
    );
    expect(lines.map((l) => l.timeNs - 10n * S)).toEqual([
      0n,
      1_500_000_000n,
      1_500_000_000n,
      1_500_000_000n,
      1_750_000_000n,
      3_500_000_000n,
      3_500_000_000n,
    ]);
    const { subtests } = parseDriverLog(lines, 10n * S, false);
    expect(subtests.map((s) => [s.name, s.startNs - 10n * S, s.endNs - 10n * S, s.children.map((c) => c.name)])).toEqual([
      ["boot", 0n, 1_500_000_000n, []],
      ["outer", 1_500_000_000n, 3_500_000_000n, ["inner"]],
    ]);
  });
});

describe("checkOutcome of a cached check", () => {
  const check: CheckInfo = {
    name: "slow",
    attr: "checks.x86_64-linux.slow",
    installable: "path:/x#checks.x86_64-linux.slow",
    drvPath: "/nix/store/00000000000000000000000000000000-slow.drv",
    outPath: "/nonexistent/nixotel-test/slow",
    suite: "nixos-tests",
  };
  const facts = {
    builds: settleBuilds([], [], new Set(), false),
    nixErrors: [],
    cachedBefore: new Set([check.outPath]),
    validAfter: new Set([check.outPath]),
    startNs: S,
    endNs: 2n * S,
    timedOut: false,
    cancelled: false,
  };

  it("takes its subtests from the stored log, and records none when nix keeps no log", async () => {
    const logged = await checkOutcome(check, facts, {
      outputsReadable: true,
      readStoredLog: async () => ["subtest: wait", "(finished: subtest: wait, in 2.00 seconds)"],
    });
    expect(logged.subtests.map((s) => [s.name, s.endNs - s.startNs])).toEqual([["wait", 2n * S]]);
    expect((await checkOutcome(check, facts, { outputsReadable: true, readStoredLog: async () => undefined })).subtests).toEqual([]);
  });
});

describe("isDriverFailure", () => {
  it("knows the driver's verdict with or without `!!! `, colours or a `nix build -L` prefix, and nothing else", () => {
    expect(isDriverFailure('!!! Test "web" failed with error: "boom"')).toBe(true);
    expect(isDriverFailure('\x1b[31mvm-test-run-web> Test "web" failed with error: "boom"\x1b[0m')).toBe(true);
    expect(isDriverFailure("machine: must succeed: false")).toBe(false);
    expect(isDriverFailure('echo Test "web" failed with error: no')).toBe(false);
  });
});
