// Trace context from the CI: an incoming TRACEPARENT makes the run span a child of the CI job's span,
// in its trace, as a real OTLP receiver gets it; a value that is not a traceparent is said and ignored.
import { afterAll, beforeAll, expect, test } from "vitest";
import { incomingTraceparent } from "../../src/spans/trace-context.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { spansOfJsonBody } from "../runner/support/trace.js";

const CI_TRACE = "0af7651916cd43dd8448eb211c80319c";
const CI_JOB_SPAN = "5fb397be34d26b51";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
beforeAll(async () => {
  [flake, receiver] = await Promise.all([copyFixture("mixed"), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([flake?.remove(), receiver?.close()]);
});

const sentSpans = () => receiver.requests.filter((r) => r.path === "/v1/traces").flatMap((r) => spansOfJsonBody(r.body));

const exportTo = (extra: Record<string, string>) =>
  baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", ...extra });

test("the run span is a child of the CI job's span, and every span is in the CI's trace", async () => {
  receiver.requests.length = 0;
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "nested"], {
    cwd: flake.dir,
    env: exportTo({ TRACEPARENT: `00-${CI_TRACE}-${CI_JOB_SPAN}-01` }),
  });
  expect(result.code, result.stderr).toBe(0);
  const sent = sentSpans();
  const root = sent.find((s) => s.name === "nixotel run");
  expect(root?.traceId).toBe(CI_TRACE);
  expect(root?.parentSpanId).toBe(CI_JOB_SPAN);
  expect(new Set(sent.map((s) => s.traceId))).toEqual(new Set([CI_TRACE]));
  // Every other span hangs below the run span: only the run has a parent outside the file.
  const ids = new Set(sent.map((s) => s.spanId));
  expect(sent.filter((s) => !ids.has(s.parentSpanId ?? "")).map((s) => s.name)).toEqual(["nixotel run"]);
  expect(result.stdout).toContain(`trace ${CI_TRACE}:`);
});

test("a TRACEPARENT that is not one is said, and the run starts its own trace", async () => {
  receiver.requests.length = 0;
  const zeros = `00-${"0".repeat(32)}-${CI_JOB_SPAN}-01`;
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "own"], {
    cwd: flake.dir,
    env: exportTo({ TRACEPARENT: zeros }),
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toContain(
    `nixotel: Expected TRACEPARENT to be 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>, got "${zeros}".`,
  );
  const root = sentSpans().find((s) => s.name === "nixotel run");
  expect(root).toBeDefined();
  expect(root?.parentSpanId).toBeUndefined();
  expect(root?.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(root?.traceId).not.toBe("0".repeat(32));
});

test("what a traceparent is, by the W3C format", () => {
  expect(incomingTraceparent({})).toEqual({ kind: "none" });
  expect(incomingTraceparent({ TRACEPARENT: `00-${CI_TRACE}-${CI_JOB_SPAN}-00` })).toEqual({
    kind: "parent",
    parent: { traceId: CI_TRACE, spanId: CI_JOB_SPAN },
  });
  for (const bad of ["x", `00-${CI_TRACE}-${"0".repeat(16)}-01`, `00-${CI_TRACE.toUpperCase()}-${CI_JOB_SPAN}-01`])
    expect(incomingTraceparent({ TRACEPARENT: bad }).kind).toBe("invalid");
});
