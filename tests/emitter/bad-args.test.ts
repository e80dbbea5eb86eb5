// Bad arguments exit 2 with a message and the usage on stderr, and send nothing.
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPT, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe("bad arguments exit 2", () => {
  it.each([
    [[], "expected NAME passed|failed [DURATION_MS], got 0 argument(s)"],
    [["x"], "got 1 argument(s)"],
    [["x", "passed", "1", "extra"], "got 4 argument(s)"],
    [["", "passed"], "expected a non-empty NAME"],
    [["x", "ok"], "expected the result to be passed or failed, got ok"],
    [["x", "PASSED"], "expected the result to be passed or failed, got PASSED"],
    [["x", "passed", "abc"], "expected DURATION_MS to be a whole number of milliseconds (at most 12 digits), got abc"],
    [["x", "passed", "1.5"], "got 1.5"],
    [["x", "passed", ""], "got ''"],
    [["x", "passed", "1234567890123"], "got 1234567890123"],
    [["x", "passed", "-5"], "unknown option -5 (put -- before a NAME that starts with -)"],
    [["-x", "passed"], "unknown option -x"],
    [["--bogus", "x", "passed"], "unknown option --bogus"],
    [["x", "passed", "--suite"], "expected a value after --suite"],
    [["--strict=yes", "x", "passed"], "expected no value after --strict"],
    [["--kind", "sideways", "x", "passed"], "expected --kind to be internal, server, client, producer or consumer, got sideways"],
    [["--attr", "novalue", "x", "passed"], "expected --attr KEY=VALUE with a non-empty KEY, got novalue"],
    [["--attr-string", "=v", "x", "passed"], "expected --attr-string KEY=VALUE with a non-empty KEY, got =v"],
    [["--parent", "00-abc-def-01", "x", "passed"], "expected --parent to be a W3C traceparent"],
    [["--start-ns", "12ab", "x", "passed"], "expected --start-ns to be unix nanoseconds (digits only, fits int64), got 12ab"],
    [["--end-ns", "9223372036854775808", "x", "passed"], "expected --end-ns to be unix nanoseconds"],
    [["--start-ns", "2000", "--end-ns", "1000", "x", "passed"], "expected 0 <= start <= end, got start 2000 ns and end 1000 ns"],
    [["--start-ns", "1", "--end-ns", "2", "x", "passed", "5"], "expected at most two of --start-ns, --end-ns and DURATION_MS"],
    [["--end-ns", "1000", "x", "passed", "1"], "expected 0 <= start <= end"],
    [["--start-ns", "9223372036854775807", "x", "passed", "1"], "expected --start-ns + DURATION_MS to fit int64"],
  ])("%j", async (args, message) => {
    const before = h.receiver.requests.length;
    const result = await h.emit(args);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^emit_test_span\.sh: /);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Usage: emit_test_span.sh");
    expect(result.stdout).toBe("");
    expect(h.receiver.requests.length).toBe(before);
  });

  it("shows a hostile bad value quoted, never raw", async () => {
    const result = await h.emit(["x", "\u001b[2J$(id)"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("got $'\\E[2J$(id)'");
  });
});

describe("shell", () => {
  it("is shellcheck clean", async () => {
    const result = await execa("shellcheck", [SCRIPT], { reject: false });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });
});
