// A check's captured lines and its span tree → log records: the span each line belongs to (by the
// log's subtest structure, then by time), severity, machine, the cut, stored logs timed by the tree.
import { SpanKind } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import type { SpanData } from "../spans/model.js";
import { ATTR, Role, UNSET_STATUS } from "../spans/vocabulary.js";
import { lineFacts, machineOf, severityOf } from "./line.js";
import { DEFAULT_LOG_LIMITS } from "./model.js";
import { checkLogRecords, LOG_SOURCE } from "./records.js";
import { timeStoredLines } from "./stored-times.js";

const S = 1_000_000_000n;
const TRACE = "0af7651916cd43dd8448eb211c80319c";
let ids = 0;
function span(name: string, startS: number, endS: number, parent?: SpanData, attributes: SpanData["attributes"] = {}): SpanData {
  ids += 1;
  return {
    traceId: TRACE,
    spanId: ids.toString(16).padStart(16, "0"),
    ...(parent ? { parentSpanId: parent.spanId } : {}),
    name,
    kind: SpanKind.INTERNAL,
    startNs: BigInt(startS) * S,
    endNs: BigInt(endS) * S,
    attributes,
    events: [],
    links: [],
    status: UNSET_STATUS,
  };
}
const subtest = (name: string, startS: number, endS: number, parent: SpanData) =>
  span(`subtest: ${name}`, startS, endS, parent, { [ATTR.subtest]: name, [ATTR.role]: Role.subtest });

const check = span("test.s.web", 0, 100, undefined, { [ATTR.role]: Role.check });
const build = span("build vm-test-run-web", 0, 100, check);
const boot = subtest("boot", 10, 20, check);
const serve = subtest("serve", 30, 60, check);
const action = span("wait_for_unit nginx", 32, 40, serve, { [ATTR.machine]: "web" });
const tree = [check, build, boot, serve, action];
const at = (seconds: number, text: string) => ({ timeNs: BigInt(Math.round(seconds * 1e9)), text });

describe("checkLogRecords", () => {
  it("puts every line of a subtest on that subtest's span, even when the clocks disagree", () => {
    const records = checkLogRecords({
      checkName: "web",
      check,
      spans: tree,
      limits: DEFAULT_LOG_LIMITS,
      lines: [
        at(1, "starting"),
        at(10, "\x1b[1;32msubtest: boot\x1b[0m"),
        // Past boot's end by the span's clock, still inside it by the log.
        at(25, "web # [ 1.0] systemd[1]: Started nginx."),
        at(25.1, "(finished: subtest: boot, in 10.00 seconds)"),
        at(30, "subtest: serve"),
        at(33, "web: waiting for unit nginx"),
        at(45, "web: must succeed: curl localhost"),
        at(50, '!!! Test "serve" failed with error: "command failed"'),
        at(70, "cleanup"),
      ],
      nixMessages: ["error: builder for '/nix/store/x.drv' failed with exit code 1"],
    });
    expect(records.map((r) => [r.body, r.spanId, r.attributes[ATTR.subtest], r.attributes[ATTR.machine], r.severity])).toEqual([
      ["starting", build.spanId, undefined, undefined, "INFO"],
      ["subtest: boot", boot.spanId, "boot", undefined, "INFO"],
      ["web # [ 1.0] systemd[1]: Started nginx.", boot.spanId, "boot", "web", "INFO"],
      ["(finished: subtest: boot, in 10.00 seconds)", boot.spanId, "boot", undefined, "INFO"],
      ["subtest: serve", serve.spanId, "serve", undefined, "INFO"],
      ["web: waiting for unit nginx", action.spanId, "serve", "web", "INFO"],
      ["web: must succeed: curl localhost", serve.spanId, "serve", "web", "INFO"],
      ['!!! Test "serve" failed with error: "command failed"', serve.spanId, "serve", undefined, "ERROR"],
      ["cleanup", build.spanId, undefined, undefined, "INFO"],
      ["error: builder for '/nix/store/x.drv' failed with exit code 1", check.spanId, undefined, undefined, "ERROR"],
    ]);
    expect(records.every((r) => r.traceId === TRACE && r.attributes[ATTR.taskName] === "web")).toBe(true);
    expect(records.at(-1)!.attributes[LOG_SOURCE]).toBe("nix");
  });

  it("keeps the head and the tail within the limits, with one record saying what was cut", () => {
    const lines = Array.from({ length: 100 }, (_, i) => at(i / 10, `line ${i}`));
    const records = checkLogRecords({
      checkName: "web",
      check,
      spans: tree,
      limits: { enabled: true, maxLinesPerCheck: 11, maxBytesPerCheck: 1 << 20 },
      lines,
    });
    expect(records).toHaveLength(11);
    expect(records.slice(0, 5).map((r) => r.body)).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);
    expect(records.slice(6).map((r) => r.body)).toEqual(["line 95", "line 96", "line 97", "line 98", "line 99"]);
    expect(records[5]).toMatchObject({ severity: "WARN", attributes: { [LOG_SOURCE]: "nixotel" } });
    expect(records[5]!.body).toMatch(/^nixotel: 90 lines \(\d+ bytes\) of this check's log cut here/);
    // Bytes: 8-byte lines (`line NN` + newline) under a 64-byte budget.
    const byBytes = checkLogRecords({
      checkName: "web",
      check,
      spans: tree,
      limits: { enabled: true, maxLinesPerCheck: 1000, maxBytesPerCheck: 64 },
      lines,
    });
    expect(byBytes.filter((r) => r.attributes[LOG_SOURCE] !== "nixotel").length).toBeLessThanOrEqual(8);
    expect(byBytes.filter((r) => r.attributes[LOG_SOURCE] === "nixotel")).toHaveLength(1);
  });

  it("leaves out spans in transit and a builder's words to nix", () => {
    const records = checkLogRecords({
      checkName: "web",
      check,
      spans: tree,
      limits: DEFAULT_LOG_LIMITS,
      lines: [at(1, '@nixotel-otlp {"resourceSpans":[]}'), at(2, '@nix {"action":"setPhase","phase":"buildPhase"}'), at(3, "kept")],
    });
    expect(records.map((r) => r.body)).toEqual(["kept"]);
  });
});

describe("lineFacts", () => {
  it.each([
    ['\x1b[31m!!! \x1b[0mTest "x" failed with error: "y"', "ERROR", undefined],
    ['Test "x" failed with error: "y"', "ERROR", undefined],
    ["error: builder for '/nix/store/a.drv' failed", "ERROR", undefined],
    ["warning: you did not specify '--add-root'", "WARN", undefined],
    ["server: must succeed: true", "INFO", "server"],
    ["client # [  1.2] kernel: hello", "INFO", "client"],
    ["subtest: login", "INFO", undefined],
    ["nixotel: cannot write /tmp/x: denied", "WARN", undefined],
    ["vm-test-run-web> web: waiting for unit nginx", "INFO", "web"],
  ])("%s → %s, machine %s", (line, severity, machine) => {
    const facts = lineFacts(line);
    expect(facts.severity).toBe(severity);
    expect(facts.machine).toBe(machine);
    expect(facts.body).not.toMatch(/\x1b/);
  });
});

describe("timeStoredLines", () => {
  it("times a stored log by its subtests' spans: each line lands in the subtest that printed it", () => {
    const lines = timeStoredLines(
      ["before", "subtest: boot", "booting", "(finished: subtest: boot, in 10.00 seconds)", "subtest: serve", "after"],
      check,
      tree,
    );
    expect(lines.map((l) => l.timeNs / S)).toEqual([0n, 10n, 10n, 20n, 30n, 30n]);
    const records = checkLogRecords({ checkName: "web", check, spans: tree, limits: DEFAULT_LOG_LIMITS, lines });
    expect(records.map((r) => r.attributes[ATTR.subtest])).toEqual([undefined, "boot", "boot", "boot", "serve", "serve"]);
  });
});

describe("machineOf and severityOf read a line as the driver's formats say", () => {
  // The formats as regular expressions: what the char-by-char reading and the gated tests must agree with.
  const MACHINE = /^([A-Za-z_][\w-]*)(?:: | # |:$| #$)/;
  const ERROR = /^(?:!!! |Test ".*" failed with error: |error: |Traceback \(most recent call last\)|[\w.]*(?:Error|Exception): )/;
  const WARNING = /^(?:warning: |WARNING[: ]|[\w.]*Warning: )/;
  const PRELUDE_TROUBLE = /^nixotel: (?:cannot|live export .* failed|.*: .* not (?:read|written))/;
  const lines = [
    "web: ok",
    "web:",
    "web #",
    "web # [ 1.0] x",
    "web#x",
    "web :x",
    "web:x",
    "_a-b9: x",
    "9web: x",
    "-web: x",
    "web-: x",
    "subtest: x",
    "nixotel: cannot write",
    "Test: x",
    "",
    ":",
    " # x",
    "web # ",
    "wéb: x",
    "web: ValueError: bad",
    "web: error: no",
    "web: !!! boom",
    "web: warning: slow",
    "web: WARNING now",
    "web: DeprecationWarning: old",
    "web: Errors: many",
    "ValueError: bad",
    "error: builder failed",
    "Traceback (most recent call last):",
    "warning: x",
    "WARNING:x",
    'Test "t" failed with error: "e"',
    "a.b.CustomException: x",
    "web: a Error: not first",
    "web: T",
    "web: w",
    "web: e",
  ];
  it.each(lines)("%j", (line) => {
    const named = MACHINE.exec(line)?.[1];
    const machine =
      named !== undefined && !["subtest", "nixotel", "error", "warning", "note", "trace", "Test"].includes(named) ? named : undefined;
    expect(machineOf(line)).toBe(machine);
    const message = machine === undefined ? line : line.slice(machine.length + 2);
    expect(severityOf(line, machine)).toBe(
      ERROR.test(message) ? "ERROR" : WARNING.test(message) || PRELUDE_TROUBLE.test(line) ? "WARN" : "INFO",
    );
  });
});
