// What each driver generation does with a failing and a caught subtest, run through the stand-in driver
// (standin_driver.py, a mock of nixpkgs' driver: its header says what each generation does), and the spans
// the prelude records for it: the test span's verdict follows the driver's real exit. Also: error lines
// are the user's own, and the 2026 driver's surface (config file, timedelta timeout, `machine` wrapper).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { attr, byName, bySubtest, cleanupStandinRuns, generations, runStandin, spansOf, type StandinRun } from "./standin.js";

afterEach(cleanupStandinRuns);

const caught = `class Boom(Exception):
    pass
try:
    with subtest("raises"):
        raise Boom("as thrown")
except Boom as e:
    (driver.out_dir / "caught").write_text(type(e).__name__ + ": " + str(e))
with subtest("after"):
    pass
`;
const failing = `with subtest("fine"):
    pass
with subtest("broken"):
    machine.succeed("exit 3")
`;
const verdict = (run: StandinRun) => attr(byName(run.spans, "test.prelude.demo"), "test.case.result.status");

// docs/prelude.md's table, row by row.
describe.each([
  { generation: "24.11", caughtExit: 1, caughtVerdict: "fail", failureLine: 'Test "raises" failed with error: "as thrown"' },
  { generation: "25.05", caughtExit: 0, caughtVerdict: "pass", failureLine: '!!! \x1b[0mTest "raises" failed with error: "as thrown"' },
  { generation: "2026", caughtExit: 0, caughtVerdict: "pass", failureLine: '!!! \x1b[0mTest "raises" failed with error: "as thrown"' },
] as const)("driver $generation", ({ generation, caughtExit, caughtVerdict, failureLine }) => {
  it(`a caught subtest failure: exit ${caughtExit}, the subtest ERROR, the test ${caughtVerdict}`, async () => {
    const run = await runStandin(caught, { generation });
    expect(run.exitCode).toBe(caughtExit);
    expect(run.stderr).toContain(failureLine);
    expect(run.stderr.includes(`!!! ${failureLine}`)).toBe(false);
    expect(bySubtest(run.spans, "raises").status).toEqual({ code: 2, message: "Boom: as thrown" });
    expect(verdict(run)).toBe(caughtVerdict);
    if (caughtExit === 0) {
      // The script's own `except` ran, and it went on.
      expect(await readFile(join(run.outDir, "caught"), "utf8")).toBe("Boom: as thrown");
      expect(attr(bySubtest(run.spans, "after"), "test.case.result.status")).toBe("pass");
    } else {
      // 24.11: CompositeLogger.error called sys.exit(1) first; the script's `except` never ran.
      expect(run.files).not.toHaveProperty("caught");
      expect(run.spans.map((s) => s.name)).not.toContain("subtest: after");
    }
  });

  it("a failing subtest: exit 1, the subtest ERROR, the test fail, the error at the user's own line", async () => {
    const run = await runStandin(failing, { generation });
    expect(run.exitCode).toBe(1);
    const broken = bySubtest(run.spans, "broken");
    expect(broken.status.code).toBe(2);
    expect(verdict(run)).toBe("fail");
    const stacktrace = String(attr(broken.events[0] as never, "exception.stacktrace"));
    expect(stacktrace).toContain('File "testScript", line 4, in <module>\n    machine.succeed("exit 3")');
    expect(stacktrace).not.toContain('File "<string>"');
  });
});

describe("error lines are the user's own", () => {
  it("explains the driver's raw traceback (25.05+: its `!!!` lines) in one line with the user's line", async () => {
    const run = await runStandin(failing, { generation: "2026" });
    const raw = /!!! \x1b\[0m {2}File "<string>", line (\d+), in <module>/.exec(run.stderr);
    expect(raw).not.toBeNull();
    const driverLine = Number(raw![1]);
    expect(driverLine).toBeGreaterThan(4); // the prelude comes first in the text the driver runs
    const explained = run.stderr.split("\n").find((l) => l.startsWith("nixotel: the traceback counts"));
    expect(explained).toBe(
      `nixotel: the traceback counts the ${driverLine - 4} lines nixotel puts before your testScript; in your testScript, line ${driverLine} is line 4`,
    );
    // It comes right after the traceback, before the driver's cleanup.
    expect(run.stderr.indexOf(explained!)).toBeLessThan(run.stderr.indexOf("cleanup"));
  });

  it("explains Python's own traceback of an uncaught error the same way (24.11, or any non-assertion error)", async () => {
    const run = await runStandin(`with subtest("ok"):\n    pass\nraise ValueError("top level")\n`, { generation: "25.05" });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /File "<string>", line \d+, in <module>\nValueError: top level\nnixotel: the traceback counts the \d+ lines nixotel puts before your testScript; in your testScript, line \d+ is line 3\n/,
    );
    const test = byName(run.spans, "test.prelude.demo");
    expect(String(attr(test.events[0] as never, "exception.stacktrace"))).toContain(
      'File "testScript", line 3, in <module>\n    raise ValueError("top level")',
    );
  });
});

describe("the 2026 driver's surface", () => {
  it("runs from a --config file, a single node not named `machine` reached through the deprecation wrapper", async () => {
    const script = `start_all()\nwith subtest("via the old name"):\n    (driver.out_dir / "parent").write_text(machine.succeed("cat $NIXOTEL_TRACEPARENT_FILE"))\n`;
    const run = await runStandin(script, { generation: "2026", viaConfig: true, machines: "server" });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("warning: `machine` is deprecated for a node named 'server'");
    const subtest = bySubtest(run.spans, "via the old name");
    // The prelude found the shared folder through driver.machines: the VM side parents under the subtest.
    expect((await readFile(join(run.outDir, "parent"), "utf8")).trim()).toBe(`00-${subtest.traceId}-${subtest.spanId}-01`);
    expect(verdict(run)).toBe("pass");
  });

  // 2 s: enough for the script to reach the hanging subtest on a loaded machine before the timer fires.
  it.each(generations)("%s: the timeout message names the real seconds", async (generation) => {
    const script = `import time\nwith subtest("done"):\n    pass\nwith subtest("hangs"):\n    time.sleep(40)\n`;
    const run = await runStandin(script, { generation, globalTimeout: 2, viaConfig: generation === "2026" });
    expect(run.signal).toBe("SIGTERM");
    const spans = run.stderrRequests.flatMap(spansOf);
    expect(bySubtest(spans, "hangs").status.message).toBe("span still open when the test ended: global timeout of 2 seconds reached");
  });
});
