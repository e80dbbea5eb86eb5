// One deadline for the whole run: whatever the collector does (trickles, floods) and whatever the
// input (names that take longer to encode than the deadline), the emitter measures its own run from
// its first line and returns within OTEL_EXPORTER_OTLP_TIMEOUT + the documented slack.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { doneMs, SLACK_MS, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const GIB = 1024 ** 3;

describe("a hostile collector", () => {
  it("one that sends its headers and then a byte now and then: cut at the deadline", async () => {
    h.receiver.setDefault({ kind: "slow", status: 200, intervalMs: 50 });
    const result = await h.emit(["--verbose", "--strict", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "700" });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/span not delivered .*: no answer within the 700 ms deadline/);
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(700 + SLACK_MS);
    expect(await h.spoolLines()).toHaveLength(1);
  }, 30_000);

  it("one that answers 200 with a 1 GiB body: the first 16 KiB are read, the rest never leaves the collector", async () => {
    h.receiver.setDefault({ kind: "huge", status: 200, bytes: GIB });
    const result = await h.emit(["--verbose", "--strict", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "30000" });
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.stderr).toMatch(/attempt 1: HTTP 200 at \d+ ms \(answer cut at 16384 bytes\)/);
    const [request] = h.receiver.requests;
    await request!.closed; // the emitter hung up
    // Socket and pipe buffers hold a few MiB at most; reading the body whole would take all of it.
    expect(request!.sentBytes).toBeLessThan(64 * 1024 ** 2);
  }, 60_000);

  it("one that refuses with a 1 GiB body: not retried, 300 bytes of it in the warning", async () => {
    h.receiver.setDefault({ kind: "huge", status: 400, bytes: GIB });
    const result = await h.emit(["x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "30000" });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`HTTP 400, not retried: ${"x".repeat(300)}; it is kept in the spool\n`);
    expect(h.receiver.requests).toHaveLength(1);
    await h.receiver.requests[0]!.closed;
    expect(h.receiver.requests[0]!.sentBytes).toBeLessThan(64 * 1024 ** 2);
  }, 60_000);
});

describe("input that takes longer to encode than the deadline", () => {
  // 120,000 bytes of a lead byte and an ASCII letter: one U+FFFD per pair, the slowest input to repair.
  // No machine repairs it in 1 ms, so the deadline passes while encoding, on any machine.
  const hostile = `name=$(printf '\\xe2A%.0s' {1..60000}); exec "$0" --verbose --strict -- "$name" passed`;

  it("gives up at the deadline: nothing sent or spooled, a warning, within the deadline + slack", async () => {
    const result = await h.emitViaBash(hostile, { OTEL_EXPORTER_OTLP_TIMEOUT: "1" });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "span neither sent nor spooled: encoding its names and attributes did not finish within the 1 ms deadline",
    );
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(1 + SLACK_MS);
    expect(h.receiver.requests).toHaveLength(0);
    expect(await h.spoolNames().catch(() => [])).toEqual([]);
  }, 30_000);

  it("with the default deadline returns within 3 s + slack, sent or not (the old repair grew quadratically: 24 s for 20 KB)", async () => {
    const result = await h.emitViaBash(hostile, { OTEL_EXPORTER_OTLP_TIMEOUT: "" });
    expect(doneMs(result.stderr)).toBeLessThanOrEqual(3000 + SLACK_MS);
    expect([0, 1]).toContain(result.exitCode); // 1 only if this machine could not encode it within 3 s
  }, 60_000);
});
