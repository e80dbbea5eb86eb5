// How the prelude's spans leave the driver: live to a real OTLP/HTTP receiver when the driver runs outside the
// sandbox with an endpoint in its environment, and through stderr when a global timeout kills the driver.
import { closedPort } from "../support/closed-port.js";
import { afterEach, describe, expect, it } from "vitest";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { attr, byName, bySubtest, cleanupStandinRuns, runStandin, spansOf } from "./standin.js";

let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await cleanupStandinRuns();
});

const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

describe("live export", () => {
  it("POSTs the spans as OTLP/JSON and parents the test span under TRACEPARENT", async () => {
    receiver = await startReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`, TRACEPARENT: traceparent, OTEL_EXPORTER_OTLP_HEADERS: "x-team=nix" };
    const run = await runStandin(`with subtest("live"):\n    pass\n`, { env });
    expect(run.exitCode).toBe(0);
    expect(receiver.requests.map((r) => [r.method, r.path, r.headers["x-team"]])).toEqual([["POST", "/v1/traces", "nix"]]);
    const sent = receiver.jsonBodies().flatMap(spansOf);
    expect(sent.map((s) => s.name).sort()).toEqual(["subtest: live", "test.prelude.demo"]);
    const test = byName(sent, "test.prelude.demo");
    expect([test.traceId, test.parentSpanId]).toEqual(["0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"]);
    expect(bySubtest(sent, "live").parentSpanId).toBe(test.spanId);
    expect(run.spans).toHaveLength(2); // the files are written too
  });

  it("prefers OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as the full URL", async () => {
    receiver = await startReceiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9/", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/path` };
    const run = await runStandin(`pass\n`, { env });
    expect(run.exitCode).toBe(0);
    expect(receiver.requests.map((r) => r.path)).toEqual(["/custom/path"]);
  });

  it("percent-decodes the headers and lets OTEL_EXPORTER_OTLP_TRACES_HEADERS win per key", async () => {
    receiver = await startReceiver();
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20YWxhZGRpbg%3D%3D,x-team=generic,x-only-generic=kept",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-team=traces%2Cteam",
    };
    const run = await runStandin(`pass\n`, { env });
    expect(run.exitCode).toBe(0);
    const [request] = receiver.requests;
    expect([request?.headers.authorization, request?.headers["x-team"], request?.headers["x-only-generic"]]).toEqual([
      "Basic YWxhZGRpbg==",
      "traces,team",
      "kept",
    ]);
  });

  it("never fails the test when the collector is away, and ignores a malformed TRACEPARENT", async () => {
    const port = await closedPort();
    const run = await runStandin(`pass\n`, {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, TRACEPARENT: "00-zz-bad-01" },
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`nixotel: live export to http://127.0.0.1:${port}/v1/traces failed`);
    const test = byName(run.spans, "test.prelude.demo");
    expect(test.parentSpanId).toBeUndefined();
    expect(attr(test, "test.case.result.status")).toBe("pass");
  });
});

describe("global timeout", () => {
  it("flushes spans before the driver's timer SIGTERMs it, the open subtest marked ERROR", async () => {
    const script = `import time\nwith subtest("done"):\n    pass\nwith subtest("hangs"):\n    time.sleep(40)\n`;
    // 2 s: enough for the script to reach the hanging subtest on a loaded machine before the timer fires.
    const run = await runStandin(script, { globalTimeout: 2 });
    expect(run.signal).toBe("SIGTERM");
    expect(run.stderr).toContain("timeout reached; test terminating...");
    const spans = run.stderrRequests.flatMap(spansOf);
    expect(spans.map((s) => s.name).sort()).toEqual(["subtest: done", "subtest: hangs", "test.prelude.demo"]);
    expect(bySubtest(spans, "hangs").status).toEqual({
      code: 2,
      message: "span still open when the test ended: global timeout of 2 seconds reached",
    });
    expect(attr(byName(spans, "test.prelude.demo"), "test.case.result.status")).toBe("fail");
    expect(run.spans).toHaveLength(3); // $out/otel is written as well (nix discards it, the build having failed)
  });
});
