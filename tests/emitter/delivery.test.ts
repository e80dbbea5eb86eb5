// Telemetry that is away never hangs or fails a test: bounded time, spec retries, spool, exit 0 (or 1 with --strict).
import { closedPort } from "../support/closed-port.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { doneMs, SLACK_MS, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

// Where a test expects delivery, the deadline is far beyond any load (it costs nothing: the emitter
// returns at the answer). Where it expects the deadline to fire, the emitter's own measure of its run
// (--verbose) is held to the deadline + the documented slack: no test bound on how fast this machine is.
const ROOMY = { OTEL_EXPORTER_OTLP_TIMEOUT: "30000" };

describe("collector away", () => {
  it("connection refused: exit 0, a warning on stderr, the span spooled", async () => {
    const result = await h.emit(["x", "passed"], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/warning: span not delivered to .*: curl exit 7: .*; it is kept in the spool/);
    expect(await h.spoolLines()).toHaveLength(1);
  });

  it("connection refused with --strict: exit 1, still spooled", async () => {
    const result = await h.emit(["--strict", "x", "passed"], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    expect(result.exitCode).toBe(1);
    expect(await h.spoolLines()).toHaveLength(1);
  });

  it("a collector that never answers: returns at OTEL_EXPORTER_OTLP_TIMEOUT, exit 0, spooled", async () => {
    h.receiver.setDefault({ kind: "hang" });
    const result = await h.emit(["--verbose", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "500" });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/span not delivered .*: no answer within the 500 ms deadline/);
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(500 + SLACK_MS);
    expect(h.receiver.requests).toHaveLength(1);
    expect(await h.spoolLines()).toHaveLength(1);
  }, 30_000); // the test's own timeout only guards against a hang

  it("a collector that never answers, with no timeout set: bounded by the 3 s default, not the spec's 10 s", async () => {
    h.receiver.setDefault({ kind: "hang" });
    const result = await h.emit(["--strict", "--verbose", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "" });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no answer within the 3000 ms deadline/);
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(3000 + SLACK_MS);
  }, 30_000);

  it("without NIXOTEL_SPOOL_DIR the warning does not claim a spool", async () => {
    const result = await h.emit(["x", "passed"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
      NIXOTEL_SPOOL_DIR: "",
    });
    expect(result.stderr).toContain("span not delivered");
    expect(result.stderr).not.toContain("spool");
  });
});

describe("retries: only 429, 502, 503, 504, as the OTLP spec says", () => {
  it.each([429, 502, 503, 504])("HTTP %i then 200: retried, delivered, silent", async (status) => {
    h.receiver.queue({ kind: "answer", status });
    expect(await h.emit(["--strict", "x", "passed"], ROOMY)).toMatchObject({ exitCode: 0, stderr: "" });
    expect(h.receiver.requests).toHaveLength(2);
    expect(h.receiver.requests[1]!.body.equals(h.receiver.requests[0]!.body)).toBe(true);
  });

  it.each([400, 404, 413, 500])("HTTP %i: not retried, warned, exit 0 (1 with --strict)", async (status) => {
    h.receiver.setDefault({ kind: "answer", status, body: '{"message":"no\\nway"}' });
    const lenient = await h.emit(["x", "passed"], ROOMY);
    const strict = await h.emit(["--strict", "x", "passed"], ROOMY);
    expect(h.receiver.requests).toHaveLength(2);
    expect([lenient.exitCode, strict.exitCode]).toEqual([0, 1]);
    expect(lenient.stderr).toContain(`HTTP ${status}, not retried: {"message":"no\\nway"}`);
  });

  it("503 with Retry-After: 1 waits a second before retrying", async () => {
    h.receiver.queue({ kind: "answer", status: 503, headers: { "retry-after": "1" } });
    expect(await h.emit(["x", "passed"], ROOMY)).toMatchObject({ exitCode: 0, stderr: "" });
    const [first, second] = h.receiver.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000); // a correctness bound, not speed
  }, 10_000);

  it("503 with Retry-After as an HTTP date waits until then", async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000); // 1–2 s ahead, whole seconds as HTTP dates are
    h.receiver.queue({ kind: "answer", status: 503, headers: { "retry-after": at.toUTCString() } });
    expect(await h.emit(["x", "passed"], ROOMY)).toMatchObject({ exitCode: 0, stderr: "" });
    expect(h.receiver.requests[1]!.receivedAt).toBeGreaterThanOrEqual(at.getTime());
  }, 10_000);

  it("a Retry-After beyond the bound gives up at once instead of sleeping", async () => {
    h.receiver.setDefault({ kind: "answer", status: 503, headers: { "retry-after": "90" } });
    const result = await h.emit(["x", "passed"]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("HTTP 503; retrying after 90000 ms would pass the 60000 ms deadline");
    expect(h.receiver.requests).toHaveLength(1);
  });

  it("503 for ever: backs off (100, 200, 400 ms … plus jitter) and stops within the deadline", async () => {
    h.receiver.setDefault({ kind: "answer", status: 503 });
    const result = await h.emit(["--verbose", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "2000" });
    expect(result.exitCode).toBe(0);
    // Which comes first depends on this machine's speed: a wait that would pass the deadline, or the deadline
    // during an attempt (then the collector may or may not have seen that last request).
    expect(result.stderr).toMatch(/HTTP 503; retrying after \d+ ms would pass the 2000 ms deadline|no answer within the 2000 ms deadline/);
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(2000 + SLACK_MS);
    const delays = [...result.stderr.matchAll(/retrying in (\d+) ms/g)].map((m) => Number(m[1]));
    expect(h.receiver.requests.length - delays.length, result.stderr).toBeOneOf([0, 1]);
    delays.forEach((delay, i) => expect(delay - 100 * 2 ** i).toSatisfy((jitter: number) => jitter >= 0 && jitter < 100));
  }, 30_000);

  it("a partial success is not retried, and counts as not delivered", async () => {
    h.receiver.setDefault({ kind: "answer", status: 200, body: '{"partialSuccess":{"rejectedSpans":"1","errorMessage":"too old"}}' });
    const result = await h.emit(["--strict", "x", "passed"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("the collector rejected it (partial success)");
    expect(h.receiver.requests).toHaveLength(1);
  });

  it("a partial success that rejected nothing is a success", async () => {
    h.receiver.setDefault({ kind: "answer", status: 200, body: '{"partialSuccess":{}}' });
    expect(await h.emit(["--strict", "x", "passed"])).toMatchObject({ exitCode: 0, stderr: "" });
  });
});

describe("spool problems", () => {
  it("an unwritable spool is a warning (exit 0), an error with --strict, and the span is still sent", async () => {
    const file = join(h.dir, "a-file");
    await writeFile(file, "");
    const env = { NIXOTEL_SPOOL_DIR: join(file, "not-a-dir") }; // under a file: fails even for root
    await h.emit(["first", "passed"]);
    const lenient = await h.emit(["x", "passed"], env);
    const strict = await h.emit(["--strict", "x", "passed"], env);
    expect([lenient.exitCode, strict.exitCode]).toEqual([0, 1]);
    expect(lenient.stderr).toContain("could not write the span to the spool");
    expect(h.receiver.requests).toHaveLength(3);
  });
});
