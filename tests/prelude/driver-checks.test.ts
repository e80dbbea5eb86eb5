// The prelude passes the checks a NixOS driver build runs before any VM boots (nixos/lib/testing/driver.nix):
// mypy --no-implicit-optional over declarations + machine hints + testScript, and pyflakes over the testScript
// with the driver's names as builtins. Run with Debian's python3-mypy and pyflakes3, for two nixpkgs revisions.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { driverRevisions, runDriverChecks, type DriverRevision } from "./driver-revisions.js";
import { repoRoot } from "./standin.js";

const machines = ["server", "client"];
const sampleScript = `
start_all()
with subtest("server answers"):
    server.wait_for_unit("multi-user.target")
    with otel_span("probe", attempt=1, ok=True):
        client.succeed("curl --fail http://server/")
    otel_emit("warm-up", 1.5, phase="boot")
    server.succeed(f"TRACEPARENT={nixotel_traceparent()} emit_test_span.sh inside passed")
`;
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** What tracedTestScript renders: prelude + nixotel_begin(name=<toJSON>, suite=<toJSON>, constants_json=…) + the script. */
async function testScript(userScript: string, preludeExtra = ""): Promise<string> {
  const prelude = await readFile(join(repoRoot, "scripts/nixotel_prelude.py"), "utf8");
  const constants = JSON.stringify(JSON.stringify({ serviceName: "s", sharedFolder: { vm: "/tmp/shared", spool: "a", traceparent: "b" } }));
  return `${prelude}${preludeExtra}\nnixotel_begin(name="web \\"edge\\"", suite="nginx", constants_json=${constants})\n${userScript}`;
}

const driverChecks = (revision: DriverRevision, script: string) => runDriverChecks(revision, script, machines, dirs);

describe.each(driverRevisions)("driver checks of nixpkgs $label", (revision) => {
  it("finds nothing in prelude + nixotel_begin + a script using every helper", async () => {
    const { mypy, pyflakes } = await driverChecks(revision, await testScript(sampleScript));
    expect(mypy.all).toContain("Success: no issues found");
    expect(mypy.exitCode).toBe(0);
    expect(pyflakes.all).toBe("");
    expect(pyflakes.exitCode).toBe(0);
  });

  it("fails a script that redefines a driver name the way a careless prelude would", async () => {
    const redefinition = "\n@_contextmanager\ndef subtest(name: str) -> _t.Iterator[None]:\n    yield\n";
    const { mypy } = await driverChecks(revision, await testScript(sampleScript, redefinition));
    expect(mypy.exitCode).toBe(1);
    expect(mypy.all).toMatch(/Name "subtest" already defined/);
  });

  it("fails an implicit Optional, which only --no-implicit-optional rejects on this mypy", async () => {
    const bad = "\ndef _nixotel_bad(limit: int = None) -> None:\n    pass\n";
    const { mypy } = await driverChecks(revision, await testScript(sampleScript, bad));
    expect(mypy.exitCode).toBe(1);
    expect(mypy.all).toContain("Incompatible default for argument");
  });

  it("fails an unused import through pyflakes", async () => {
    const { pyflakes } = await driverChecks(revision, await testScript(sampleScript, "\nimport shutil as _shutil\n"));
    expect(pyflakes.exitCode).toBe(1);
    expect(pyflakes.all).toContain("'shutil as _shutil' imported but unused");
  });
});
