// Driver actions end to end: real nix builds the `driver-actions` fixture, whose check prints a driver
// log (a 2 s boot, a 3 s wait for a unit, a 1 s wait for a port, durations stated by the driver's
// `in N seconds`, lines printed at once); then a rerun finds it cached and reads the stored log.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { SpanData } from "../../src/spans/model.js";
import { actionRows, runWithSpans, type RunWithSpans } from "./support/actions.js";
import { copyFixture, type FlakeCopy } from "./support/fixture.js";

let flake: FlakeCopy;
const runs: RunWithSpans[] = [];

beforeAll(async () => {
  flake = await copyFixture("driver-actions");
  runs.push(await runWithSpans(flake, ["run"]));
  runs.push(await runWithSpans(flake, ["run"]));
}, 240_000);

afterAll(async () => {
  await flake?.remove();
});

/** parent > action (machine, target): seconds, for each action span; `start` (from `starting vm` to
 * `QEMU running`, two plain lines the driver states no duration for) is timed by arrival: no seconds. */
const actions = (spans: readonly SpanData[]) =>
  actionRows(spans, (s) => (s.name === "start" ? "as it arrived" : String(Number(s.endNs - s.startNs) / 1e9)));

const EXPECTED = [
  "test.nginx.web > start (server, -): as it arrived",
  "subtest: boot > boot (server, -): 2",
  "subtest: serve > wait_for_unit (server, nginx.service): 3",
  "subtest: serve > wait_for_open_port (server, localhost:80): 1",
  "subtest: serve > succeed (server, curl -fsS -H 'Authorization: Bearer ***' http://localhost/): 0.25",
];

describe.each([
  ["built", 0],
  ["cached, from the stored log", 1],
])("a check %s", (_, index) => {
  test("shows boot, wait_for_unit and wait_for_open_port with the driver's durations under their subtests", () => {
    const { invocation, spans } = runs[index]!;
    expect(invocation.code, invocation.stderr).toBe(0);
    expect(actions(spans)).toEqual(EXPECTED);
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain("s3cr3t");
    // Span metrics per verb and per check (the dashboard's p95 panels) read these from every action.
    for (const span of spans.filter((s) => s.attributes["nixotel.role"] === "action")) {
      expect(span.attributes["cicd.pipeline.task.name"]).toBe("web");
      // The dashboards leave out what a cached check's earlier build recorded (`nix_cached!="true"`).
      expect(span.attributes["nix.cached"] === true).toBe(index === 1);
    }
  });

  test("the summary breaks the check's time down and names the slowest actions", () => {
    const { stdout } = runs[index]!.invocation;
    // `start` (timed by when its two lines arrived, not by the driver) adds to boot and the total what a
    // busy machine makes it: at least the driver's 2 s boot, and the stated 4 s of waiting and 250 ms of commands.
    expect(stdout).toMatch(
      /Time by kind \(driver actions\)\n\s+check\s+total\s+boot\s+waiting\s+commands\s+rest\n\s+nginx\.web\s+\d+\.\ds\s+[2-9]\.\ds\s+4\.0s\s+250ms\s+/,
    );
    const rows = stdout.slice(stdout.indexOf("Slowest driver actions")).split("\n").slice(1, 5);
    const slowest = rows.map((line) => line.trim().split(/\s{2,}/)).filter((row) => row[1] !== "start");
    expect(slowest.slice(0, 3)).toEqual([
      ["3.0s", "wait_for_unit", "server", "nginx.service", "nginx.web"],
      ["2.0s", "boot", "server", "-", "nginx.web"],
      ["1.0s", "wait_for_open_port", "server", "localhost:80", "nginx.web"],
    ]);
  });
});

test("the rerun was cached", () => {
  expect(runs[1]!.invocation.stdout).toMatch(/1 passed, 0 failed, 1 cached/);
});
