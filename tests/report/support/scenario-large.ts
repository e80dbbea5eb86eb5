// A big run for the speed and readability check: `checks` checks, each with its build, nested
// subtests and many in-test spans, about `checks * 50` spans in all. Deterministic.
import type { CheckRecord, RunRecord } from "../../../src/runs/record.js";
import { PHASES, SpanMaker, attrOf, buildAttributes, checkAttributes } from "./span-maker.js";
import type { FixtureRun } from "./write-run.js";

const SUBTESTS = 6;
const IN_TEST_PER_SUBTEST = 6;

export function largeRun(checks = 100): FixtureRun {
  const m = new SpanMaker("0af7651916cd43dd8448eb211c80319c", 1_795_605_000n * 1_000_000_000n);
  const wall = 60 + checks * 6;
  const run = m.add(
    undefined,
    "nixotel run",
    0,
    wall,
    { "cicd.pipeline.name": "nixotel run .", "cicd.pipeline.run.id": "20261125T111000Z-a1b2c3", "cicd.pipeline.result": "failure" },
    { failed: "failure" },
  );
  const records: CheckRecord[] = [];
  for (let c = 0; c < checks; c++) {
    const suite = `suite${c % 7}`;
    const name = `check-${String(c).padStart(3, "0")}`;
    const failed = c % 17 === 5;
    const start = 30 + ((c * 5.3) % (wall - 90));
    const length = 20 + ((c * 7) % 40);
    const check = m.add(
      run,
      `test.${suite}.${name}`,
      start,
      start + length,
      checkAttributes(suite, name, failed ? "fail" : "pass", false, `f${String(c).padStart(31, "0")}`),
      failed ? { failed: "test_failed", logTail: [`machine: must succeed: false`, `Test "step 5" failed`] } : {},
    );
    m.add(check, `build vm-test-run-${name}`, start, start + length, buildAttributes(`/nix/store/f${c}-vm-test-run-${name}.drv`, false), {
      events: PHASES.map((p, i) => [p, start + (length * i) / PHASES.length]),
    });
    const slot = length / SUBTESTS;
    for (let s = 0; s < SUBTESTS; s++) {
      const from = start + s * slot;
      const sub = m.add(
        check,
        `subtest: step ${s}`,
        from,
        from + slot * 0.95,
        { "nixos.test.subtest": `step ${s}`, "test.case.result.status": failed && s === SUBTESTS - 1 ? "fail" : "pass" },
        failed && s === SUBTESTS - 1 ? { failed: "assertion failed" } : {},
      );
      const inner = m.add(sub, `subtest: step ${s} › detail`, from + slot * 0.1, from + slot * 0.5, {
        "nixos.test.subtest": "detail",
        "test.case.result.status": "pass",
      });
      for (let k = 0; k < IN_TEST_PER_SUBTEST; k++) {
        const t = from + slot * 0.5 + (k * slot * 0.4) / IN_TEST_PER_SUBTEST;
        m.add(
          k % 2 ? sub : inner,
          `machine.succeed(curl -s localhost:${8000 + k})`,
          t,
          t + slot * 0.05,
          { "test.case.name": `probe-${k}` },
          { scope: "nixotel.emit_test_span" },
        );
      }
    }
    records.push({
      name,
      attr: attrOf(name),
      suite,
      status: failed ? "fail" : "pass",
      cached: false,
      durationMs: length * 1000,
      ...(failed ? { errorType: "test_failed" } : {}),
      logTail: failed ? ["machine: must succeed: false"] : [],
      subtests: [],
    });
  }
  const record: RunRecord = {
    version: 1,
    runId: "20261125T111000Z-a1b2c3",
    traceId: m.traceId,
    command: "run",
    flake: ".",
    system: "x86_64-linux",
    startedAt: "2026-11-25T11:10:00.000Z",
    endedAt: new Date(Date.parse("2026-11-25T11:10:00.000Z") + wall * 1000).toISOString(),
    result: "failure",
    checks: records,
    builds: [],
    export: { endpoint: "http://localhost:4318", protocol: "http/protobuf", delivered: true, spooled: 0, spans: m.spans.length },
  };
  return { record, spans: m.spans };
}
