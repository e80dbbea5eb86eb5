// A run recorded as it goes, on the `crash` fixture (`finishes` passes at once, `blocks` waits until
// its gate file exists): run.json's progression, spans.jsonl growing check by check with the run span
// last, log records sent as each check settles, and a real SIGKILL of the real CLI mid-run: nix stops
// too, the finished check is on disk, `report` shows the run as incomplete, `flush` sends what the
// collector never confirmed.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";
import { parseOtlpLogLine } from "../../src/logs/otlp-logs.js";
import { isRunning } from "../../src/process.js";
import { treeProblems } from "../../src/spans/invariants.js";
import { baseEnv, nixotel } from "./support/fixture.js";
import { killedRunSetup, nixotelProcess, readRecord, runFolder, settledOneBlockedOne, until } from "./support/killed-run.js";
import { spansOfJsonBody } from "./support/trace.js";

const setup = killedRunSetup();
const finishedOneBlockedOne = (dir: string) => settledOneBlockedOne(dir, "finishes", "pass");

test("run.json and spans.jsonl grow check by check; the run span comes last, and only at the end", async () => {
  const { flake, gate } = await setup.gatedFlake();
  const out = join(flake.dir, "progress");
  const running = nixotel(["run", "--flake", flake.ref, "--jobs", "2", "--out", "progress"], { cwd: flake.dir, env: baseEnv() });
  const dir = await until(() => runFolder(out));
  const midway = await finishedOneBlockedOne(dir);
  expect(midway.complete).toBe(false);
  expect(midway.result).toBe("cancellation"); // what a reader finds if nixotel dies now: not a completed run
  expect(midway.checks.map((c) => c.name)).toEqual(["finishes"]);
  expect(midway.progress).toMatchObject({ pid: process.pid, running: ["blocks"], waiting: [] });
  const lines = (await readFile(join(dir, "spans.jsonl"), "utf8")).split("\n").filter(Boolean);
  const written = lines.flatMap((l) => parseOtlpJsonLine(l).spans);
  expect(written.map((s) => s.name)).toContain("test.nixos-tests.finishes");
  expect(written.map((s) => s.name)).not.toContain("nixotel run");

  await writeFile(gate, "open\n");
  const result = await running;
  expect(result.code, result.stderr).toBe(0);
  const final = (await readRecord(dir))!;
  expect(final.complete).toBe(true);
  expect(final.progress).toBeUndefined();
  expect(final.checks.map((c) => [c.name, c.status])).toEqual([
    ["blocks", "pass"],
    ["finishes", "pass"],
  ]);
  const all = (await readFile(join(dir, "spans.jsonl"), "utf8")).split("\n").filter(Boolean);
  expect(all.slice(0, lines.length)).toEqual(lines); // appended, never rewritten
  const spans = all.flatMap((l) => parseOtlpJsonLine(l).spans);
  expect(spans.at(-1)?.name).toBe("nixotel run");
  expect(spans.filter((s) => s.name === "nixotel run")).toHaveLength(1);
  const root = spans.at(-1)!;
  expect(spans.filter((s) => s.name.startsWith("test.")).every((s) => s.parentSpanId === root.spanId)).toBe(true);
  expect(treeProblems(spans)).toEqual([]);
});

test("log records go out as each check settles: the collector has the first check's while the second still builds", async () => {
  const { flake, gate } = await setup.gatedFlake();
  // The collector takes the requests and holds its answer: what it got is all the run had sent.
  const receiver = setup.receiver();
  receiver.setDefault({ kind: "hold" });
  const before = receiver.requests.length;
  const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
  const running = nixotel(["run", "--flake", flake.ref, "--jobs", "2", "--out", "live"], { cwd: flake.dir, env });
  const logBodies = () =>
    receiver.requests
      .slice(before)
      .filter((r) => r.path === "/v1/logs")
      .flatMap((r) => parseOtlpLogLine(r.body.toString()).records.map((x) => x.body));
  // `blocks` cannot finish before the gate opens, so the run cannot have ended: a run that sent its
  // log records only at its end never gets past this wait.
  const sent = await until(async () => (logBodies().includes("subtest: boot") ? logBodies() : undefined));
  expect(sent).toEqual(["subtest: boot", "(finished: subtest: boot, in 0.01 seconds)"]);
  // run.json says so once it is written after the sending started; `blocks` still builds.
  const dir = (await runFolder(join(flake.dir, "live")))!;
  expect((await finishedOneBlockedOne(dir)).checks.map((c) => c.name)).toEqual(["finishes"]);

  await writeFile(gate, "open\n");
  receiver.setDefault({ kind: "answer", status: 200, body: "{}" });
  receiver.release();
  const result = await running;
  expect(result.code, result.stderr).toBe(0);
  const record = (await readRecord(dir))!;
  expect(record.logs).toMatchObject({ delivered: true, spooled: 0 });
  expect(logBodies()).toContain("subtest: wait for the gate");
});

test("SIGKILL mid-run: nix stops, the finished check is on disk, report says incomplete, flush sends it", async () => {
  const { flake, gate } = await setup.gatedFlake();
  const out = join(flake.dir, "killed");
  // The collector takes the requests but never answers: nothing the run sent is confirmed.
  const receiver = setup.receiver();
  receiver.setDefault({ kind: "hold" });
  const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
  const child = nixotelProcess(["run", "--flake", flake.ref, "--jobs", "2", "--out", "killed"], flake.dir, env);
  const dir = await until(() => runFolder(out));
  await finishedOneBlockedOne(dir);
  const builder = Number(await until(() => readFile(`${gate}.pid`, "utf8").catch(() => undefined)));
  expect(isRunning(builder)).toBe(true);
  child.kill("SIGKILL");
  expect((await child).signal).toBe("SIGKILL");

  // nix got SIGTERM from the kernel (setpriv --pdeathsig) and stopped its build; it does not build on.
  await until(async () => (isRunning(builder) ? undefined : true));

  const record = (await readRecord(dir))!;
  expect(record.complete).toBe(false);
  expect(record.checks.map((c) => [c.name, c.status])).toEqual([["finishes", "pass"]]);
  expect(record.progress).toMatchObject({ running: ["blocks"], exportedLines: 0, exportedLogLines: 0 });
  // The finished check's log records are on disk too, sent but not confirmed.
  expect(record.logs).toMatchObject({ endpoint: receiver.url + "/v1/logs", delivered: false });
  const logLines = (await readFile(join(dir, "logs.jsonl"), "utf8")).split("\n").filter(Boolean);
  expect(logLines.flatMap((l) => parseOtlpLogLine(l).records.map((r) => r.body))).toEqual([
    "subtest: boot",
    "(finished: subtest: boot, in 0.01 seconds)",
  ]);
  // Every prefix of the file keeps the span tree's promises; there is no run span.
  const lines = (await readFile(join(dir, "spans.jsonl"), "utf8")).split("\n").filter(Boolean);
  for (let n = 1; n <= lines.length; n++) expect(treeProblems(lines.slice(0, n).flatMap((l) => parseOtlpJsonLine(l).spans))).toEqual([]);
  expect(lines.flatMap((l) => parseOtlpJsonLine(l).spans).some((s) => s.name === "nixotel run")).toBe(false);

  const shown = await nixotel(["report", "latest", "--out", "killed"], { cwd: flake.dir, env: baseEnv() });
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toMatch(/· incomplete ·/);
  expect(shown.stdout).toContain("never finished: blocks (running)");
  expect(shown.stdout).toMatch(/PASS {2}nixos-tests\.finishes/);
  const html = join(flake.dir, "killed.html");
  expect((await nixotel(["report", "latest", "--out", "killed", "--html", html], { cwd: flake.dir, env: baseEnv() })).code).toBe(0);
  expect(await readFile(html, "utf8")).toContain("never finished: blocks (running)");

  receiver.release();
  receiver.setDefault({ kind: "answer", status: 200, body: "{}" });
  const before = receiver.requests.length;
  const flushed = await nixotel(["flush", "--out", "killed"], { cwd: flake.dir, env });
  expect(flushed.code, flushed.stderr).toBe(0);
  const sent = receiver.requests.slice(before).flatMap((r) => spansOfJsonBody(r.body));
  expect(sent.map((s) => s.name)).toContain("test.nixos-tests.finishes");
  // The log records the killed run never sent go too.
  const sentLogs = receiver.requests.slice(before).filter((r) => r.path === "/v1/logs");
  expect(sentLogs.flatMap((r) => parseOtlpLogLine(r.body.toString()).records.map((x) => x.body))).toContain("subtest: boot");
  expect((await readRecord(dir))!.progress).toMatchObject({ exportedLines: lines.length, exportedLogLines: logLines.length });
  expect((await readRecord(dir))!.logs).toMatchObject({ delivered: true, spooled: 0 });
  // Flushed once: a second flush finds nothing left.
  expect((await nixotel(["flush", "--out", "killed"], { cwd: flake.dir, env })).stdout).toMatch(/^Nothing to flush/);
});
