// A small run for the page's readability fixes: the run's own phases (made by nixotel, no scope of
// their own), a check whose test span carries the check's name, and a span the emitter
// wrote as "ended now, lasted 40 ms" inside an 8 ms subtest, so it starts 32 ms before its parent.
import type { RunRecord } from "../../../src/runs/record.js";
import { ATTR, Role } from "../../../src/spans/vocabulary.js";
import { SpanMaker, attrOf, checkAttributes } from "./span-maker.js";
import type { FixtureRun } from "./write-run.js";

const VM = { "service.name": "nixos-integration-tests", "host.name": "machine" };
const LOG_LINES = Array.from({ length: 40 }, (_, i) => `log line ${i + 1}`);

export function readabilityRun(): FixtureRun {
  const m = new SpanMaker("5cf92f3577b34da6a3ce929d0e0e4737", 1_795_601_700n * 1_000_000_000n);
  const run = m.add(undefined, "nixotel run", 0, 20, { "cicd.pipeline.result": "failure" }, { failed: "failure" });
  m.add(run, "evaluate checks", 0.1, 1.9, {}); // as nixotel 0.1 wrote it: no recorded role
  m.add(run, "nix: query binary caches", 0.2, 0.6, { [ATTR.role]: Role.phase });
  const check = m.add(run, "test.web.login", 2, 19, checkAttributes("web", "login", "fail", false, "a1login00000000000000000000000"), {
    failed: "test_failed",
  });
  const prelude = { scope: "nixotel.prelude", resource: VM };
  const testSpan = { "test.case.name": "login", "test.suite.name": "web", "nixotel.source": "prelude" };
  const test = m.add(check, "test.web.login", 2.5, 18.5, testSpan, { ...prelude, failed: "assertion failed" });
  const subtest = m.add(test, "subtest: form posts", 10, 10.008, { "nixos.test.subtest": "form posts" }, prelude);
  m.add(subtest, "test.web.curl-post", 9.968, 10.008, { "test.case.name": "curl-post" }, { scope: "nixotel.emit_test_span", resource: VM });
  const record: RunRecord = {
    version: 1,
    runId: "20261125T120000Z-5cf92f",
    traceId: m.traceId,
    command: "run",
    flake: ".",
    system: "x86_64-linux",
    startedAt: "2026-11-25T10:15:00.000Z",
    endedAt: "2026-11-25T10:15:20.000Z",
    result: "failure",
    checks: [
      {
        name: "login",
        attr: attrOf("login"),
        suite: "web",
        status: "fail",
        cached: false,
        durationMs: 17_000,
        errorType: "test_failed",
        logTail: LOG_LINES,
        subtests: [{ name: "form posts", status: "pass", durationMs: 8 }],
      },
    ],
    builds: [],
    export: { endpoint: null, protocol: null, delivered: false, spooled: 0, spans: m.spans.length },
  };
  return { record, spans: m.spans };
}
