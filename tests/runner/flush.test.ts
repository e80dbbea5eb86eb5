// `nixotel flush` and the sending it shares with `run`, on hand-made run folders (no nix needed):
// unreadable spool lines are kept and named, and a signal during the sending spools what is left.
import { cp, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { exportSpans, writeSpans } from "../../src/export/export-run.js";
import { CHUNK_SIZE } from "../../src/export/otlp-lines.js";
import { INTERRUPTED } from "../../src/export/send.js";
import { runPaths } from "../../src/runs/files.js";
import { runRecord } from "../../src/runs/record.js";
import { manySpans, otlpJson, quietContext } from "./support/export.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { tempDir } from "../support/cli.js";
import { baseEnv, nixotel } from "./support/fixture.js";
import { execa } from "execa";
import { spansOfJsonBody } from "./support/trace.js";
import { treeProblems } from "../../src/spans/invariants.js";

const FIXTURE_RUN = join(import.meta.dirname, "..", "fixtures", "runs", "mixed");
const RUN_ID = "20261125T101500Z-3fa9c2"; // the fixture's run id

let receiver: OtlpReceiver;
let temp: { path: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  receiver = await startReceiver();
  temp = await tempDir("nixotel-flush-");
});
afterEach(() => receiver.reset());
afterAll(async () => {
  await receiver?.close();
  await temp?.cleanup();
});

const env = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  OTEL_EXPORTER_OTLP_TIMEOUT: "5000",
});

/** A copy of the fixture run under `<temp>/<out>/runs/<id>/` whose spool holds `lines`. */
async function spooledRun(out: string, lines: string[]) {
  const paths = runPaths(join(temp.path, out), RUN_ID);
  await cp(FIXTURE_RUN, paths.dir, { recursive: true });
  await mkdir(paths.spool);
  await writeFile(join(paths.spool, "spans.jsonl"), lines.map((l) => `${l}\n`).join(""));
  return paths;
}

test("flush keeps spool lines it cannot read in rejected.jsonl, names them as file:line, and exits 1", async () => {
  const good = (await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim();
  const notJson = '{"resourceSpans":[';
  const noIds = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"no ids"}]}]}]}';
  const paths = await spooledRun("corrupt", [good, notJson, noIds]);
  const spoolFile = join(paths.spool, "spans.jsonl");

  const result = await nixotel(["flush", "--out", "corrupt"], { cwd: temp.path, env: env() });
  expect(result.code, result.stderr).toBe(1);
  expect(receiver.requests).toHaveLength(1); // only the readable line is sent
  const sent = spansOfJsonBody(receiver.requests[0]!.body);
  expect(result.stdout).toContain(`flushed ${sent.length} spans`);
  expect(result.stdout).toContain(`2 spool line(s) unreadable, not sent: kept in ${paths.rejected}`);
  expect(result.stderr).toContain(`${spoolFile}:2: not JSON`);
  expect(result.stderr).toMatch(new RegExp(`${spoolFile.replace(/[.]/g, "\\.")}:3: .+`));
  expect(await readdir(paths.spool)).toEqual([]);
  expect(await readFile(paths.rejected, "utf8")).toBe(`${notJson}\n${noIds}\n`);
  const record = runRecord.parse(JSON.parse(await readFile(paths.record, "utf8")));
  expect(record.export).toMatchObject({ delivered: false, spooled: 0, error: "2 unreadable spool line(s) in rejected.jsonl" });

  // Nothing is left to send: the next flush has nothing to do.
  expect((await nixotel(["flush", "--out", "corrupt"], { cwd: temp.path, env: env() })).code).toBe(0);
});

test("flush counts a partial success (http/json) span by span: accepted ones sent, rejected ones kept, run.json says how many", async () => {
  const good = (await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim();
  const paths = await spooledRun("partial", [good, good]);
  const perLine = spansOfJsonBody(Buffer.from(good)).length;
  receiver.queue({ kind: "answer", status: 200, body: "{}" }, { kind: "partial", rejected: 1, message: "attribute too long" });
  const result = await nixotel(["flush", "--out", "partial"], { cwd: temp.path, env: env() });
  expect(result.code, result.stderr).toBe(0); // nothing waits: refused spans are reported, never retried
  expect(receiver.requests).toHaveLength(2);
  const rejection = `HTTP 200 partial success: 1 of ${perLine} spans rejected: attribute too long`;
  expect(result.stdout).toBe(
    `flushed ${2 * perLine - 1} spans to ${receiver.url}/v1/traces; 1 refused by the collector for good (${rejection}), not retried: kept in ${paths.rejected}\n`,
  );
  expect(await readdir(paths.spool)).toEqual([]);
  expect(await readFile(paths.rejected, "utf8")).toBe(`${good}\n`);
  const record = runRecord.parse(JSON.parse(await readFile(paths.record, "utf8")));
  expect(record.export).toMatchObject({ delivered: false, spooled: 0, rejected: 1, rejection });
});

test("flush skips folders in runs/ that are not run ids", async () => {
  const paths = await spooledRun("stray", [(await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim()]);
  const stray = join(temp.path, "stray", "runs", "notes", "spool");
  await mkdir(stray, { recursive: true });
  await writeFile(join(stray, "spans.jsonl"), "not a spool line\n");
  const result = await nixotel(["flush", "--out", "stray"], { cwd: temp.path, env: env() });
  expect(result.code, result.stderr).toBe(0);
  expect(await readdir(paths.spool)).toEqual([]);
  expect(await readdir(stray)).toEqual(["spans.jsonl"]);
});

async function firstRequest() {
  while (receiver.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

test("a signal while the collector hangs stops the sending and spools every span (the timeout is not waited out)", async () => {
  receiver.setDefault({ kind: "hang" });
  const controller = new AbortController();
  const paths = runPaths(join(temp.path, "hang"), "r");
  const context = quietContext(temp.path, controller.signal);
  // Longer than the test's own timeout: only the signal can end this export in time.
  const settings = otlpJson(receiver.url, 600_000);
  const readable = await writeSpans(manySpans(CHUNK_SIZE + 1), {}, paths);
  const exporting = exportSpans(readable, settings, paths, context);
  await firstRequest();
  controller.abort("SIGINT");
  expect(await exporting).toMatchObject({ delivered: false, spooled: CHUNK_SIZE + 1, error: INTERRUPTED });
  expect(receiver.requests).toHaveLength(1); // the second chunk is not tried
  expect(await readdir(paths.spool)).toEqual(["spans.jsonl"]);
});

test("a signal before the sending does not stop it: an interrupted run still sends its spans", async () => {
  const controller = new AbortController();
  controller.abort("SIGINT");
  const paths = runPaths(join(temp.path, "aborted"), "r");
  const context = quietContext(temp.path, controller.signal);
  const settings = otlpJson(receiver.url);
  const readable = await writeSpans(manySpans(3), {}, paths);
  expect(await exportSpans(readable, settings, paths, context)).toMatchObject({ delivered: true, spooled: 0 });
});

test("flush interrupted while the collector hangs keeps the spool and exits 1", async () => {
  const good = (await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim();
  const paths = await spooledRun("flush-hang", [good, good]);
  receiver.setDefault({ kind: "hang" });
  const controller = new AbortController();
  const flushing = nixotel(["flush", "--out", "flush-hang"], {
    cwd: temp.path,
    env: { ...env(), OTEL_EXPORTER_OTLP_TIMEOUT: "600000" },
    signal: controller.signal,
  });
  await firstRequest();
  controller.abort("SIGINT");
  const result = await flushing;
  expect(result.code).toBe(1);
  expect(result.stdout).toContain(INTERRUPTED);
  expect(await readFile(join(paths.spool, "spans.jsonl"), "utf8")).toBe(`${good}\n${good}\n`);
});

const BIN = join(import.meta.dirname, "..", "..", "bin", "nixotel.js");
const flushProcess = (out: string) =>
  execa("node", [BIN, "flush", "--out", out], { cwd: temp.path, env: baseEnv(env()), extendEnv: false, reject: false });
const spansReceived = () => receiver.requests.reduce((sum, r) => sum + spansOfJsonBody(r.body).length, 0);

test("two flushes at once never send a span twice: the second says what it skipped", async () => {
  const good = (await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim();
  const paths = await spooledRun("concurrent", [good, good]);
  const perLine = spansOfJsonBody(Buffer.from(good)).length;
  receiver.setDefault({ kind: "hold" }); // the first flush's first request waits until released
  const first = flushProcess("concurrent");
  await Promise.race([receiver.received(1), first]);
  expect(receiver.requests).toHaveLength(1);

  const second = flushProcess("concurrent");
  await Promise.race([second, receiver.received(2)]); // a second request would be a double send
  receiver.setDefault({ kind: "answer", status: 200, body: "{}" });
  receiver.release();
  const [a, b] = await Promise.all([first, second]);
  expect([a.exitCode, b.exitCode], `${a.stderr}${b.stderr}`).toEqual([0, 0]);
  expect(spansReceived()).toBe(2 * perLine);
  expect(a.stdout).toBe(`flushed ${2 * perLine} spans to ${receiver.url}/v1/traces`); // execa drops the last newline
  expect(b.stdout).toBe(`skipped 1 spool file(s) another flush is sending: ${join(paths.spool, "spans.jsonl")} (pid ${first.pid})`);
  expect(await readdir(paths.spool)).toEqual([]);
  const record = runRecord.parse(JSON.parse(await readFile(paths.record, "utf8")));
  expect(record.export).toMatchObject({ delivered: true, spooled: 0 });
});

test("a spool file a killed flush left claimed is sent by the next flush", async () => {
  const good = (await readFile(join(FIXTURE_RUN, "spans.jsonl"), "utf8")).trim();
  const paths = await spooledRun("killed", [good]);
  const gone = execa("true"); // a process id that no longer runs
  await gone;
  await rename(join(paths.spool, "spans.jsonl"), join(paths.spool, `spans.jsonl.flushing-${gone.pid}`));
  const result = await nixotel(["flush", "--out", "killed"], { cwd: temp.path, env: env() });
  expect(result.code, result.stderr).toBe(0);
  expect(spansReceived()).toBe(spansOfJsonBody(Buffer.from(good)).length);
  expect(await readdir(paths.spool)).toEqual([]);
});

test("flush sends a request that breaks the span tree repaired (unique ids, no cycle) and says what it repaired", async () => {
  const trace = "0af7651916cd43dd8448eb211c80319c";
  const span = (name: string, spanId: string, parentSpanId?: string) => ({
    traceId: trace,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: 1,
    startTimeUnixNano: "1764000000000000000",
    endTimeUnixNano: "1764000001000000000",
  });
  // Written by hand (or an older nixotel): one id used twice, and two spans each other's parent.
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [] },
        scopeSpans: [
          {
            spans: [
              span("root", "b7ad6b7169203331"),
              span("twin", "b7ad6b7169203331"),
              span("a", "00f067aa0ba902b7", "1111111111111111"),
              span("b", "1111111111111111", "00f067aa0ba902b7"),
            ],
          },
        ],
      },
    ],
  };
  const paths = await spooledRun("tree", [JSON.stringify(request)]);
  const result = await nixotel(["flush", "--out", "tree"], { cwd: temp.path, env: env() });
  expect(result.code, result.stderr).toBe(0);
  const sent = receiver.requests.flatMap((r) => spansOfJsonBody(r.body));
  expect(sent.map((s) => s.name).sort()).toEqual(["a", "b", "root", "twin"]);
  expect(treeProblems(sent)).toEqual([]);
  expect(new Set(sent.map((s) => s.spanId)).size).toBe(4);
  expect(result.stdout).toContain("2 span tree repair(s) before sending (on stderr)");
  expect(result.stderr).toContain(`spans.jsonl:1: span "twin" (id b7ad6b7169203331): id used by an earlier span; given id`);
  expect(result.stderr).toMatch(/spans\.jsonl:1: span "[ab]" \(id [0-9a-f]{16}\): its parents lead back to it; made a root/);
  expect(await readdir(paths.spool)).toEqual([]);
});
