// A run record with every JUnit outcome: a failure with control characters, a cached pass with a
// subtest, a cancelled check, names that need escaping.
import { makeRunRecord } from "../../../src/runs/summary.js";

export const junitRecord = makeRunRecord({
  runId: "20260101T000000Z-abcdef",
  traceId: "0".repeat(32),
  command: "run",
  flake: ".",
  system: "x86_64-linux",
  startedAt: "2026-01-01T00:00:00.000Z",
  endedAt: "2026-01-01T00:00:05.000Z",
  result: "cancellation",
  checks: [
    {
      name: "a<b",
      attr: "checks.x.a",
      suite: "web",
      status: "fail",
      cached: false,
      durationMs: 1500,
      errorType: "test_failed",
      drvPath: "/nix/store/aaaa-vm-test-run-a.drv",
      outPath: "/nix/store/bbbb-vm-test-run-a",
      problems: ["build log:3: not JSON: Unexpected token"],
      logTail: ["bad \x1b[31mthing\x1b[0m & \u0007bell"],
      subtests: [],
    },
    {
      name: "c",
      attr: "checks.x.c",
      suite: "web",
      status: "pass",
      cached: true,
      durationMs: 0,
      logTail: [],
      subtests: [{ name: "boot", status: "pass", durationMs: 250 }],
    },
    {
      name: "d",
      attr: "checks.x.d",
      suite: "d\"b'<&",
      status: "cancelled",
      cached: false,
      durationMs: 0,
      errorType: "cancelled",
      logTail: [],
      subtests: [],
    },
  ],
  builds: [],
  export: { endpoint: null, protocol: null, delivered: false, spooled: 0, spans: 9 },
});
