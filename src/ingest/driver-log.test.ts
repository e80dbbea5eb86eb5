// A cached check's stored build log (`nix log`) has no arrival times: they are rebuilt from the driver's
// own durations, and a missing log records nothing.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckInfo } from "../nix/checks.js";
import { isDriverFailure, parseDriverLog, timedByDurations, withUserLineNumbers } from "./driver-log.js";
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
      logRecords: true,
      readStoredLog: async () => ["subtest: wait", "(finished: subtest: wait, in 2.00 seconds)"],
    });
    expect(logged.subtests.map((s) => [s.name, s.endNs - s.startNs])).toEqual([["wait", 2n * S]]);
    expect(
      (await checkOutcome(check, facts, { outputsReadable: true, logRecords: true, readStoredLog: async () => undefined })).subtests,
    ).toEqual([]);
  });

  // One OTLP JSON line as the prelude writes it: a `wait_for_unit` action span, or (without `action`) a subtest.
  const preludeLine = (action: boolean) =>
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "1".repeat(32),
                  spanId: "2".repeat(16),
                  name: action ? "wait_for_unit" : "subtest: wait",
                  kind: 1,
                  startTimeUnixNano: "5000000000",
                  endTimeUnixNano: "8000000000",
                  attributes: [
                    action
                      ? { key: "nixos.test.action", value: { stringValue: "wait_for_unit" } }
                      : { key: "nixos.test.subtest", value: { stringValue: "wait" } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  const storedLog = ["machine: waiting for unit nginx.service", "machine: (finished: waiting for unit nginx.service, in 3.00 seconds)"];

  it.each([
    ["holds the prelude's actions: its stored log is read only when log records are made from it", true],
    ["holds no actions: its stored log is read for them, laid out from the start of what it recorded", false],
  ])("a cached check whose $out/otel %s", async (_, withActions) => {
    const out = await mkdtemp(join(tmpdir(), "nixotel-cached-"));
    try {
      await mkdir(join(out, "otel"));
      await writeFile(join(out, "otel", "prelude.jsonl"), `${preludeLine(withActions)}\n`);
      const withSpans = { ...check, outPath: out };
      const seen = { cachedBefore: new Set([out]), validAfter: new Set([out]) };
      const asked: string[] = [];
      const readStoredLog = async (drvPath: string) => (asked.push(drvPath), storedLog);
      const off = await checkOutcome(withSpans, { ...facts, ...seen }, { outputsReadable: true, logRecords: false, readStoredLog });
      expect(asked).toEqual(withActions ? [] : [check.drvPath]);
      if (withActions) expect(off.actions).toBeUndefined();
      else
        expect(off.actions?.map((a) => [a.verb, a.target, a.startNs, a.endNs])).toEqual([
          ["wait_for_unit", "nginx.service", 5n * S, 8n * S],
        ]);
      const on = await checkOutcome(withSpans, { ...facts, ...seen }, { outputsReadable: true, logRecords: true, readStoredLog });
      expect(on.storedLog).toEqual(storedLog);
      // One source per check: with the prelude's action spans, none from the log.
      expect(on.actions === undefined).toBe(withActions);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
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

// The three shapes of the driver's failure line: before 25.05 (no `!!! `), 25.05+ (`!!! `), and as the
// terminal shows it (ANSI colours around the subtest line and the `!!! ` prefix).
const shapes = {
  "before 25.05": { open: (n: string) => `subtest: ${n}`, failed: (n: string, e: string) => `Test "${n}" failed with error: "${e}"` },
  "25.05+": { open: (n: string) => `subtest: ${n}`, failed: (n: string, e: string) => `!!! Test "${n}" failed with error: "${e}"` },
  "ANSI-coloured": {
    open: (n: string) => `\x1b[1m\x1b[32msubtest: ${n}\x1b[0m`,
    failed: (n: string, e: string) => `\x1b[31m!!! \x1b[0mTest "${n}" failed with error: "${e}"`,
  },
};
const done = (n: string, seconds: string) => `(finished: subtest: ${n}, in ${seconds} seconds)`;
/** One line a second, from 0 s. */
const atSeconds = (texts: string[]) => texts.map((text, i) => ({ text, timeNs: BigInt(i) * S }));
type Row = [string, string, bigint, bigint, string[]];
const rows = (subtests: ReturnType<typeof parseDriverLog>["subtests"]): Row[] =>
  subtests.flatMap((s) => [[s.name, s.status, s.startNs, s.endNs, s.children.map((c) => c.name)] as Row, ...rows(s.children)]);

describe.each(Object.entries(shapes))("parseDriverLog, failure lines %s", (_shape, { open, failed }) => {
  it("closes a caught failure at its failure line; the subtests after it are siblings, not children", () => {
    const log = parseDriverLog(
      atSeconds([open("a"), failed("a", "boom"), open("b"), done("b", "1.00"), "test script finished in 4.00s"]),
      9n * S,
      false,
    );
    expect(rows(log.subtests)).toEqual([
      ["a", "fail", 0n, 1n * S, []],
      ["b", "pass", 2n * S, 3n * S, []],
    ]);
    expect(log.subtests[0]?.error).toBe('Test "a" failed with error: "boom"');
    expect(log.errors).toEqual(['Test "a" failed with error: "boom"']);
  });

  it("keeps nested subtests nested, each closed by its own finished line", () => {
    const log = parseDriverLog(
      atSeconds([open("outer"), open("inner"), done("inner", "1.00"), done("outer", "3.00"), open("next")]),
      9n * S,
      false,
    );
    expect(rows(log.subtests)).toEqual([
      ["outer", "pass", 0n, 3n * S, ["inner"]],
      ["inner", "pass", 1n * S, 2n * S, []],
      ["next", "pass", 4n * S, 9n * S, []],
    ]);
  });

  it("fails a nested subtest and, when the error leaves it too, its parent, each with its own line", () => {
    const lines = [
      open("outer"),
      open("inner"),
      failed("inner", "boom"),
      failed("outer", "boom"),
      "!!! Traceback (most recent call last):",
    ];
    const log = parseDriverLog(atSeconds(lines), 9n * S, true);
    expect(rows(log.subtests)).toEqual([
      ["outer", "fail", 0n, 3n * S, ["inner"]],
      ["inner", "fail", 1n * S, 2n * S, []],
    ]);
    expect(log.subtests[0]?.error).toBe('Test "outer" failed with error: "boom"');
    expect(log.errors).toEqual([
      'Test "inner" failed with error: "boom"',
      'Test "outer" failed with error: "boom"',
      "Traceback (most recent call last):",
    ]);
  });

  it("lets the parent of a caught nested failure go on and pass, with later children under it", () => {
    const lines = [open("outer"), open("inner"), failed("inner", "boom"), open("again"), done("again", "1.00"), done("outer", "5.00")];
    const log = parseDriverLog(atSeconds(lines), 9n * S, false);
    expect(rows(log.subtests)).toEqual([
      ["outer", "pass", 0n, 5n * S, ["inner", "again"]],
      ["inner", "fail", 1n * S, 2n * S, []],
      ["again", "pass", 3n * S, 4n * S, []],
    ]);
  });

  it("finds the failed subtest when its name or its message contains the driver's own separator", () => {
    const odd = 'x" failed with error: "y';
    const log = parseDriverLog(
      atSeconds([open(odd), open("plain"), failed("plain", `Test "${odd}" failed with error: "z"`)]),
      9n * S,
      true,
    );
    expect(rows(log.subtests)).toEqual([
      [odd, "fail", 0n, 9n * S, ["plain"]],
      ["plain", "fail", 1n * S, 2n * S, []],
    ]);
  });
});

describe("withUserLineNumbers", () => {
  const traceback = [
    "\x1b[31m!!! \x1b[0mTraceback (most recent call last):",
    '!!!   File "<string>", line 371, in <module>',
    '!!!   File "<string>", line 200, in traced_subtest',
    "nixotel: the traceback counts the 353 lines nixotel puts before your testScript; in your testScript, line 371 is line 18",
  ];

  it("numbers the driver's traceback frames as the user's testScript, and the prelude's as the prelude", () => {
    expect(withUserLineNumbers(traceback).slice(1, 3)).toEqual([
      '!!!   File "testScript", line 18, in <module>',
      '!!!   File "nixotel prelude", line 200, in traced_subtest',
    ]);
  });

  it("leaves a log without the prelude's line as it is: nothing came before the user's script there", () => {
    expect(withUserLineNumbers(traceback.slice(0, 3))).toEqual(traceback.slice(0, 3));
  });
});
