// The prelude passes the checks a NixOS driver build runs before any VM boots (nixos/lib/testing/driver.nix):
// mypy --no-implicit-optional over declarations + machine hints + testScript, and pyflakes over the testScript
// with the driver's names as builtins. Run with Debian's python3-mypy and pyflakes3, for two nixpkgs revisions;
// pyright (npm) checks the same file the way a newer type checker would.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKERS_GUARD_MS, driverRevisions, runDriverChecks, type CheckResult, type DriverRevision } from "./driver-revisions.js";
import { runPyright } from "./pyright.js";
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

// The good script and three a careless prelude could produce, each checked by both tools, for every
// revision, in one batch (and pyright on the good one and one with a real type error, in another).
const cases = {
  clean: "",
  redefinition: "\n@_contextmanager\ndef subtest(name: str) -> _t.Iterator[None]:\n    yield\n",
  implicitOptional: "\ndef _nixotel_bad(limit: int = None) -> None:\n    pass\n",
  unusedImport: "\nimport shutil as _shutil\n",
};
type Case = keyof typeof cases;
const names = Object.keys(cases) as Case[];
type Checked = { mypy: CheckResult; pyflakes: CheckResult };
const results = new Map<DriverRevision, Record<Case, Checked>>();
const pyright = new Map<DriverRevision, { clean: CheckResult; broken: CheckResult }>();

beforeAll(async () => {
  const items = await Promise.all(
    driverRevisions.flatMap((revision) =>
      names.map(async (name) => ({ revision, script: await testScript(sampleScript, cases[name]), machines })),
    ),
  );
  const typeError = `${sampleScript}\nserver.succeed(3)\n`;
  const typed = await Promise.all(
    driverRevisions.flatMap((revision) =>
      [sampleScript, typeError].map(async (script) => ({ revision, script: await testScript(script), machines })),
    ),
  );
  const [checked, typedChecked] = await Promise.all([runDriverChecks(items, dirs), runPyright(typed, dirs)]);
  driverRevisions.forEach((revision, r) => {
    results.set(revision, Object.fromEntries(names.map((name, i) => [name, checked[r * names.length + i]!])) as Record<Case, Checked>);
    pyright.set(revision, { clean: typedChecked[r * 2]!, broken: typedChecked[r * 2 + 1]! });
  });
}, CHECKERS_GUARD_MS);

describe.each(driverRevisions)("driver checks of nixpkgs $label", (revision) => {
  const of = (name: Case) => results.get(revision)![name];

  it("finds nothing in prelude + nixotel_begin + a script using every helper", () => {
    expect(of("clean").mypy).toEqual({ ok: true, output: "" });
    expect(of("clean").pyflakes).toEqual({ ok: true, output: "" });
  });

  it("fails a script that redefines a driver name the way a careless prelude would", () => {
    expect(of("redefinition").mypy.ok).toBe(false);
    expect(of("redefinition").mypy.output).toMatch(/Name "subtest" already defined/);
  });

  it("fails an implicit Optional, which only --no-implicit-optional rejects on this mypy", () => {
    expect(of("implicitOptional").mypy.ok).toBe(false);
    expect(of("implicitOptional").mypy.output).toContain("Incompatible default for argument");
  });

  it("fails an unused import through pyflakes", () => {
    expect(of("unusedImport").pyflakes.ok).toBe(false);
    expect(of("unusedImport").pyflakes.output).toContain("'shutil as _shutil' imported but unused");
  });

  it("pyright finds nothing in the prelude and the sample script, and does flag a real type error", () => {
    const { clean, broken } = pyright.get(revision)!;
    expect(clean).toEqual({ ok: true, output: "" });
    expect(broken.ok).toBe(false);
    expect(broken.output).toMatch(/"Literal\[3\]" cannot be assigned to parameter "commands"/);
  });
});
