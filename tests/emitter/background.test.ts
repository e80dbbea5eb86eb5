// Once the span is in the spool, the emitter returns and delivers it in the background. The collector
// here holds its answer until the test releases it, so "returned before the answer" is an order of
// events, never a time: each test awaits the emitter's exit (or its reader's EOF) while the request is
// still held, then releases it, and waits for the delivery by its stderr closing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SLACK_MS, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  h.receiver.release();
  await h.close();
});

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01\n$/;
const ioTurn = () => new Promise<void>((resolve) => setImmediate(resolve)); // after the poll phase: pending reads done

describe("the span in the spool: the emitter returns before the collector answers", () => {
  it("exits 0 while the collector holds the request, with the spool file whole; the span arrives after", async () => {
    h.receiver.setDefault({ kind: "hold" });
    const run = h.start(["--print-traceparent", "x", "passed"]);
    expect(await run.exited).toBe(0);
    const spooled = await h.spoolLines(); // read at exit: one whole line, or this throws
    expect(await run.stdoutEnded).toMatch(TRACEPARENT); // printed before the hand-off, stdout closed at exit
    await h.receiver.received(1); // the background POST reached the collector, which has not answered
    expect(h.receiver.requests[0]!.aborted).toBe(false);
    h.receiver.release();
    expect((await run.closed).stderr).toBe(""); // stderr closes once the delivery ended: delivered, no warning
    expect(h.bodiesText()).toBe(`${spooled[0]}\n`);
  }, 20_000);

  // The NixOS test driver runs `timeout 900 bash -c 'set -euo pipefail; CMD' | (base64 -w 0; echo)` in its
  // backdoor shell and reads until the newline; 21.11-era drivers `( set -euo pipefail; timeout 900 sh -c
  // 'CMD' ) | (base64 --wrap 0; echo)` (sh is bash on NixOS). nixpkgs' machine.py `execute`, both eras.
  it.each([
    ["current", `timeout 900 bash -c 'set -euo pipefail; "$1" --print-traceparent x passed' _ "$0" | (base64 -w 0; echo)`],
    ["21.11", `( set -euo pipefail; timeout 900 bash -c '"$1" --print-traceparent x passed' _ "$0" ) | (base64 --wrap 0; echo)`],
  ])(
    "under the %s driver's `| base64` the reader gets EOF at the emitter's exit, while delivery goes on",
    async (_, driver) => {
      h.receiver.setDefault({ kind: "hold" });
      const run = h.startViaBash(`${driver}; echo "status \${PIPESTATUS[0]}"`);
      const [encoded, status] = (await run.stdoutEnded).split("\n");
      expect(Buffer.from(encoded!, "base64").toString("utf8")).toMatch(TRACEPARENT);
      expect(status).toBe("status 0");
      await h.receiver.received(1);
      expect(h.receiver.requests[0]!.aborted).toBe(false); // still held: the driver got its answer first
      h.receiver.release();
      expect((await run.closed).stderr).toBe("");
      expect(h.onlySpan().name).toBe("test.x");
    },
    20_000,
  );

  it("NIXOTEL_EMIT_WAIT=0 is the default: returns before the answer", async () => {
    h.receiver.setDefault({ kind: "hold" });
    const run = h.start(["x", "passed"], { NIXOTEL_EMIT_WAIT: "0" });
    expect(await run.exited).toBe(0);
    await h.receiver.received(1); // release only a request that is held
    h.receiver.release();
    expect((await run.closed).stderr).toBe("");
    expect(h.receiver.requests).toHaveLength(1);
  }, 20_000);
});

describe("the background delivery keeps the deadline", () => {
  it("a collector that never answers: the emitter returns at once; its delivery gives up at the 3000 ms default deadline, with the warning", async () => {
    h.receiver.setDefault({ kind: "hang" });
    const run = h.start(["x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "" });
    expect(await run.exited).toBe(0);
    // What the emitter wrote before its exit has reached us after two turns of the event loop: nothing yet,
    // as the warning comes from the delivery at the deadline (a synchronous emitter warns, then exits).
    await ioTurn();
    await ioTurn();
    expect(run.stderrSoFar()).toBe("");
    await h.receiver.received(1);
    const [request] = h.receiver.requests;
    expect(request!.aborted).toBe(false); // returned while the POST was still waiting
    const { stderr } = await run.closed; // the background part exited
    const endedAt = Date.now();
    expect(stderr).toMatch(
      /^emit_test_span\.sh: warning: span not delivered to .*: no answer within the 3000 ms deadline; it is kept in the spool\n$/,
    );
    await request!.closed;
    expect(request!.aborted).toBe(true); // curl was stopped, not left running
    // The emitter started before its request arrived, so this undercounts its run: a bound, not a speed.
    expect(endedAt - request!.receivedAt).toBeLessThanOrEqual(3000 + SLACK_MS);
  }, 20_000);
});

describe("what needs the answer waits for it", () => {
  /** Runs the emitter against a collector that holds its answer, checks it is still running once the
   * request is there (it cannot exit before the answer it reads), then releases the answer. */
  const runWhileHeld = async (args: string[], env: Record<string, string>) => {
    h.receiver.setDefault({ kind: "hold" });
    const run = h.start([...args, "x", "passed"], env);
    await h.receiver.received(1);
    expect(run.hasExited()).toBe(false);
    h.receiver.release();
    return { exitCode: await run.exited, stderr: (await run.closed).stderr };
  };

  it.each([
    ["--strict", ["--strict"], {}],
    ["--verbose", ["--verbose"], {}],
    ["--wait", ["--wait"], {}],
    ["NIXOTEL_EMIT_WAIT=1", [], { NIXOTEL_EMIT_WAIT: "1" }],
    ["the spool off (the POST is the only copy)", [], { NIXOTEL_SPOOL_DIR: "" }],
  ])(
    "%s: still running while the collector holds the answer",
    async (_, options, env) => {
      const { exitCode, stderr } = await runWhileHeld(options, env);
      expect(exitCode).toBe(0);
      expect(stderr).not.toContain("warning");
    },
    20_000,
  );

  it("the spool not writable: waits, as the POST is the only copy", async () => {
    const { exitCode, stderr } = await runWhileHeld([], { NIXOTEL_SPOOL_DIR: "/dev/null/spool" });
    expect(exitCode).toBe(0);
    expect(stderr).toContain("could not write the span to the spool");
  }, 20_000);

  it("an unknown NIXOTEL_EMIT_WAIT is named, and waits", async () => {
    const { exitCode, stderr } = await runWhileHeld([], { NIXOTEL_EMIT_WAIT: "yes" });
    expect(exitCode).toBe(0);
    expect(stderr).toBe("emit_test_span.sh: warning: expected NIXOTEL_EMIT_WAIT to be 1 (wait for delivery) or 0, got yes; waiting\n");
  }, 20_000);
});
