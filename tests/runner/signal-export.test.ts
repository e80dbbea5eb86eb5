// A real SIGINT/SIGTERM to the real CLI (`node bin/nixotel.js`) while a collector holds the request:
// the request is aborted at once, what was not confirmed is spooled, the exit code is 2; a second
// signal exits at once. No timing bounds: the collector here never answers and the OTLP timeout is
// far beyond the test's own, so only the signal can end the sending in time.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, expect, test } from "vitest";
import { INTERRUPTED } from "../../src/export/send.js";
import { runRecord } from "../../src/runs/record.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { baseEnv, copyFixture, type FlakeCopy } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "nixotel.js");
let flake: FlakeCopy;
let receiver: OtlpReceiver;

beforeAll(async () => {
  flake = await copyFixture("interrupt");
  receiver = await startReceiver();
  receiver.setDefault({ kind: "hang" });
});
afterAll(async () => {
  await receiver?.close();
  await flake?.remove();
});

const cli = (args: string[]) =>
  execa("node", [BIN, ...args], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TIMEOUT: "600000" }),
    extendEnv: false,
    reject: false,
  });

async function onlyRun(out: string) {
  const runs = await readdir(join(flake.dir, out, "runs"));
  expect(runs).toHaveLength(1);
  return join(flake.dir, out, "runs", runs[0]!);
}

/** Polls until the run's spans.jsonl holds the run span (the test's own timeout bounds it). */
async function runSpanWritten(out: string): Promise<void> {
  for (;;) {
    const runs = await readdir(join(flake.dir, out, "runs")).catch(() => [] as string[]);
    const file = runs[0] ? join(flake.dir, out, "runs", runs[0], "spans.jsonl") : undefined;
    const text = file ? await readFile(file, "utf8").catch(() => "") : "";
    if (text.includes('"name":"nixotel run"')) return;
    await pause(100);
  }
}

test.each(["SIGINT", "SIGTERM"] as const)(
  "%s while the collector holds the request: aborted at once, all spooled, exit 2",
  async (signal) => {
    const before = receiver.requests.length;
    const child = cli(["run", "php8.2", "--flake", flake.ref, "--out", `export-${signal}`]);
    // The check's spans and its log records went out as it settled, each its own request, and hang.
    await Promise.race([receiver.received(before + 2), child]);
    const sent = () => receiver.requests.slice(before);
    expect(
      sent()
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/v1/logs", "/v1/traces"]);
    // The signal comes once the build is over and the run span is written (the run's result is
    // decided), while the sending still waits.
    await runSpanWritten(`export-${signal}`);
    child.kill(signal);
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(2);
    // The process is gone while the collector never answered: the client closed the connections itself.
    expect(sent().map((r) => r.aborted)).toEqual([true, true]);
    expect(sent()).toHaveLength(2);
    const dir = await onlyRun(`export-${signal}`);
    const record = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
    expect(record.result).toBe("success"); // what the tests did; the export was cut short
    expect(record.export).toMatchObject({ delivered: false, spooled: record.export.spans, error: INTERRUPTED });
    // The log records' request was cut short the same way: all spooled, for `nixotel flush`.
    expect(record.logs).toMatchObject({ delivered: false, spooled: record.logs?.records, error: INTERRUPTED });
    const spooled = await readSpansFile(join(dir, "spool", "spans.jsonl"));
    expect(spooled.map((s) => s.spanId).sort()).toEqual((await readSpansFile(join(dir, "spans.jsonl"))).map((s) => s.spanId).sort());
    expect(result.stdout).toContain(`did not accept ${record.export.spans} spans (${INTERRUPTED}); they are spooled`);
  },
);

test("a signal during the build still sends; a second signal while the collector holds it exits 2 at once", async () => {
  const before = receiver.requests.length;
  const child = cli(["run", "slow", "--flake", flake.ref, "--out", "twice"]);
  let progress = "";
  let signalled = false;
  child.stderr.on("data", (chunk: Buffer) => {
    progress += chunk.toString();
    if (!signalled && progress.includes("building slow")) signalled = child.kill("SIGINT");
  });
  // The interrupted run sends its spans (and the check's log records, each queue its own request).
  const tracesSent = () => receiver.requests.slice(before).some((r) => r.path === "/v1/traces");
  await Promise.race([
    (async () => {
      while (!tracesSent()) await receiver.received(receiver.requests.length + 1);
    })(),
    child,
  ]);
  expect(tracesSent()).toBe(true);
  child.kill("SIGINT");
  const result = await child;
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain("SIGINT again, exiting without finishing the run");
  // spans.jsonl is written before the sending starts.
  expect(await readdir(await onlyRun("twice"))).toContain("spans.jsonl");
});
