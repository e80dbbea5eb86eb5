// One rule for a span's status (src/spans/vocabulary.ts statusOf), kept by all three writers of spans:
// the run's tree (TypeScript), the prelude under the stand-in driver (Python) and the emitter (bash).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSpans, type RunFacts } from "../../src/spans/tree.js";
import { statusOf } from "../../src/spans/vocabulary.js";
import type { CheckOutcome } from "../../src/pipeline/outcomes.js";
import { startHarness, type Harness } from "../emitter/emitter-harness.js";
import { bySubtest, byName, cleanupStandinRuns, runStandin } from "../prelude/standin.js";

const PASSED = statusOf("pass");
const FAILED = statusOf("fail", "why").code;

describe("a passed span is OK and a failed one ERROR, whoever writes it", () => {
  it("in the run's span tree", () => {
    const run: RunFacts = {
      command: "run",
      runId: "r",
      traceId: "a".repeat(32),
      flake: ".",
      system: "x86_64-linux",
      startNs: 1n,
      endNs: 9n,
      result: "failure",
      dependencyBuilds: [],
    };
    const check = (name: string, status: "pass" | "fail"): CheckOutcome => ({
      check: {
        name,
        attr: `checks.x.${name}`,
        installable: `.#${name}`,
        drvPath: `/nix/store/${name}.drv`,
        outPath: `/nix/store/${name}`,
        suite: "s",
      },
      status,
      cached: false,
      startNs: 2n,
      endNs: 3n,
      logTail: [],
      subtests: [{ name: "step", startNs: 2n, endNs: 3n, status, children: [] }],
      problems: [],
    });
    const spans = runSpans(run, [check("good", "pass"), check("bad", "fail")]);
    const named = (name: string) => spans.find((s) => s.name === name)!;
    expect(named("test.s.good").status).toEqual(PASSED);
    expect(named("test.s.bad").status.code).toBe(FAILED);
    expect(spans.filter((s) => s.name === "subtest: step").map((s) => s.status.code)).toEqual([PASSED.code, FAILED]);
    expect(named("nixotel run").status.code).toBe(FAILED);
  });

  describe("by the prelude", () => {
    afterAll(cleanupStandinRuns);
    it("for the test and its subtests", async () => {
      const passing = await runStandin(`with subtest("fine"):\n    pass\n`);
      expect(byName(passing.spans, "test.prelude.demo").status).toEqual(PASSED);
      expect(bySubtest(passing.spans, "fine").status).toEqual(PASSED);
      const failing = await runStandin(`with subtest("broken"):\n    raise Exception("why")\n`);
      expect(bySubtest(failing.spans, "broken").status.code).toBe(FAILED);
      expect(byName(failing.spans, "test.prelude.demo").status.code).toBe(FAILED);
    });
  });

  describe("by the emitter", () => {
    let harness: Harness;
    beforeAll(async () => void (harness = await startHarness()));
    afterAll(async () => harness.close());
    it("for `passed` and `failed`", async () => {
      expect((await harness.emit(["good", "passed", "5"])).exitCode).toBe(0);
      expect((await harness.emit(["bad", "failed", "5"])).exitCode).toBe(0);
      const spans = harness.requests().flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
      expect(spans.map((s) => [s.name, s.status.code])).toEqual([
        ["test.good", PASSED.code],
        ["test.bad", FAILED],
      ]);
    });
  });
});
