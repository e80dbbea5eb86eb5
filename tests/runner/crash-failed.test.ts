// A nixotel SIGKILLed after a check FAILED, while another still builds (the `crash` fixture with its `failing` file:
// `breaks` fails at once, `blocks` waits for its gate): the failed check was recorded as soon as its
// failure was proven (nix let go of its output's lock without registering the output), so it is on
// disk after the kill, `report` shows it in the incomplete run and `flush` sends it. The test waits for
// files (run.json, the builder's pid), never for a time.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SpanStatusCode } from "@opentelemetry/api";
import { expect, test } from "vitest";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";
import { parseOtlpLogLine } from "../../src/logs/otlp-logs.js";
import { isRunning } from "../../src/process.js";
import { treeProblems } from "../../src/spans/invariants.js";
import { baseEnv, nixotel } from "./support/fixture.js";
import { killedRunSetup, nixotelProcess, readRecord, runFolder, settledOneBlockedOne, until } from "./support/killed-run.js";
import { spansOfJsonBody } from "./support/trace.js";

const setup = killedRunSetup();

test("SIGKILL after a check failed: the failed check is on disk, in report's incomplete run, and flushed", async () => {
  const { flake, gate } = await setup.gatedFlake(true);
  const out = join(flake.dir, "killed");
  const receiver = setup.receiver();
  receiver.setDefault({ kind: "hold" }); // nothing the run sends is confirmed
  const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
  const child = nixotelProcess(["run", "--flake", flake.ref, "--jobs", "2", "--out", "killed"], flake.dir, env);
  const dir = await until(() => runFolder(out));
  const midway = await settledOneBlockedOne(dir, "breaks", "fail");
  expect(midway.complete).toBe(false);
  expect(midway.checks).toEqual([expect.objectContaining({ name: "breaks", status: "fail", errorType: "test_failed" })]);
  const builder = Number(await until(() => readFile(`${gate}.pid`, "utf8").catch(() => undefined)));
  child.kill("SIGKILL");
  expect((await child).signal).toBe("SIGKILL");
  await until(async () => (isRunning(builder) ? undefined : true)); // nix stopped `blocks`

  const record = (await readRecord(dir))!;
  expect(record.complete).toBe(false);
  expect(record.checks.map((c) => [c.name, c.status])).toEqual([["breaks", "fail"]]);
  expect(record.progress).toMatchObject({ running: ["blocks"] });
  const lines = (await readFile(join(dir, "spans.jsonl"), "utf8")).split("\n").filter(Boolean);
  const spans = lines.flatMap((l) => parseOtlpJsonLine(l).spans);
  const check = spans.find((s) => s.name === "test.nixos-tests.breaks");
  expect(check?.status.code).toBe(SpanStatusCode.ERROR);
  expect(spans.some((s) => s.name === "nixotel run")).toBe(false);
  expect(treeProblems(spans)).toEqual([]);
  const logLines = (await readFile(join(dir, "logs.jsonl"), "utf8")).split("\n").filter(Boolean);
  const records = logLines.flatMap((l) => parseOtlpLogLine(l).records);
  expect(records.map((r) => r.body)).toEqual(["subtest: login", '!!! Test "login" failed with error: "command false failed"']);
  expect(records.find((r) => r.body.startsWith("!!!"))?.severity).toBe("ERROR");

  const shown = await nixotel(["report", "latest", "--out", "killed"], { cwd: flake.dir, env: baseEnv() });
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toMatch(/· incomplete ·/);
  expect(shown.stdout).toContain("never finished: blocks (running)");
  expect(shown.stdout).toMatch(/FAIL {2}nixos-tests\.breaks/);

  receiver.release();
  receiver.setDefault({ kind: "answer", status: 200, body: "{}" });
  const before = receiver.requests.length;
  const flushed = await nixotel(["flush", "--out", "killed"], { cwd: flake.dir, env });
  expect(flushed.code, flushed.stderr).toBe(0);
  const sent = receiver.requests.slice(before);
  expect(sent.flatMap((r) => spansOfJsonBody(r.body)).map((s) => s.name)).toContain("test.nixos-tests.breaks");
  const sentLogs = sent.filter((r) => r.path === "/v1/logs").flatMap((r) => parseOtlpLogLine(r.body.toString()).records);
  expect(sentLogs.map((x) => x.body)).toContain("subtest: login");
});

test("a failed check is written while another builds; the finished run judges it the same", async () => {
  const { flake, gate } = await setup.gatedFlake(true);
  const out = join(flake.dir, "whole");
  const running = nixotel(["run", "--flake", flake.ref, "--jobs", "2", "--out", "whole"], { cwd: flake.dir, env: baseEnv() });
  const dir = await until(() => runFolder(out));
  const midway = await settledOneBlockedOne(dir, "breaks", "fail");
  const early = midway.checks.find((c) => c.name === "breaks")!;
  await writeFile(gate, "open\n");
  const result = await running;
  expect(result.code, result.stderr).toBe(1);
  const final = (await readRecord(dir))!;
  expect(final.complete).toBe(true);
  expect(final.result).toBe("failure");
  expect(final.checks.map((c) => [c.name, c.status])).toEqual([
    ["blocks", "pass"],
    ["breaks", "fail"],
  ]);
  expect(final.checks.find((c) => c.name === "breaks")).toMatchObject({ status: early.status, errorType: early.errorType });
  // Written once: the check's span is not written again at the end.
  const spans = (await readFile(join(dir, "spans.jsonl"), "utf8"))
    .split("\n")
    .filter(Boolean)
    .flatMap((l) => parseOtlpJsonLine(l).spans);
  expect(spans.filter((s) => s.name === "test.nixos-tests.breaks")).toHaveLength(1);
  expect(treeProblems(spans)).toEqual([]);
});
