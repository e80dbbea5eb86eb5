// nixotel.lib (modules/lib/default.nix): test discovery and traced test scripts, evaluated by real nix.
// nixpkgs is not available on these machines, so `pkgs` is a MOCK: runNixOSTest returns the test
// module it was given, callPackage returns a marker. Everything else is the real lib code.
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evalError, evalJson, evalRaw, nixString, repoRoot } from "./nix-eval.js";

const libFile = join(repoRoot, "modules/lib/default.nix");
const mockPkgs = `{ testers.runNixOSTest = module: { testModule = module; }; callPackage = path: args: { calledPackage = toString path; }; }`;

const testFile = (name: string) => `{ nixotel, pkgs, lib ? null, ... }: { name = ${JSON.stringify(name)}; }\n`;

let dir: string;
let prelude: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nixotel-lib-"));
  const tests = join(dir, "tests");
  await mkdir(tests);
  await writeFile(join(tests, "nginx-startup.nix"), testFile("nginx-startup"));
  await writeFile(join(tests, "multi.node.nix"), testFile("multi-node"));
  await writeFile(join(tests, "_helpers.nix"), "{ }\n");
  await writeFile(join(tests, "README.md"), "not a test\n");
  await writeFile(join(tests, "notes.nix.orig"), "not a test\n");
  await mkdir(join(tests, "fixtures.nix"));
  await symlink("/nonexistent", join(tests, ".#nginx-startup.nix")); // an editor's lock file
  prelude = join(dir, "prelude.py");
  await writeFile(prelude, "# prelude\ndef nixotel_begin(name: str, suite: str) -> None: ...\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lib = () => `(import ${libFile} { prelude = ${prelude}; })`;

// The constants nixotel_begin receives: modules/lib/constants.json's serviceName and sharedFolder, as a
// JSON string inside a Python string literal (nix writes the keys sorted).
const constantsFile = JSON.parse(await readFile(join(repoRoot, "modules/lib/constants.json"), "utf8")) as Record<string, unknown>;
const sorted = (value: unknown): unknown =>
  value && typeof value === "object"
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [k, sorted(v)]),
      )
    : value;
const constantsArg = JSON.stringify(
  JSON.stringify(sorted({ serviceName: constantsFile.serviceName, sharedFolder: constantsFile.sharedFolder })),
);

describe("discoverTests", () => {
  it("makes one test per .nix file, named after the file, skipping _-prefixed and other files", async () => {
    const names = await evalJson(`builtins.attrNames (${lib()}.discoverTests { pkgs = ${mockPkgs}; dir = ${dir}/tests; })`);
    expect(names).toEqual(["multi.node", "nginx-startup"]);
  });

  it("passes each file to runNixOSTest with the nixotel module argument", async () => {
    const result = (await evalJson(
      `let t = (${lib()}.discoverTests { pkgs = ${mockPkgs}; dir = ${dir}/tests; }).nginx-startup.testModule;` +
        ` nixotel = t._module.args.nixotel; in {` +
        ` imports = map toString t.imports;` +
        ` name = (import (builtins.head t.imports) { inherit nixotel; pkgs = null; }).name;` +
        ` modules = builtins.attrNames nixotel.nixosModules;` +
        ` module = toString nixotel.nixosModules.grafana-alloy;` +
        ` emitter = nixotel.packages.emit-test-span.calledPackage;` +
        ` lib = builtins.attrNames nixotel.lib; }`,
    )) as Record<string, unknown>;
    expect(result).toEqual({
      imports: [join(dir, "tests/nginx-startup.nix")],
      name: "nginx-startup",
      modules: ["default", "grafana-alloy", "tracedNode"],
      module: join(repoRoot, "modules/services/grafana-alloy.nix"),
      emitter: join(repoRoot, "modules/packages/emit-test-span.nix"),
      lib: ["junitDriverArgs", "tracedTestScript"],
    });
  });

  it("says which folder is missing and what to do", async () => {
    const message = await evalError(`${lib()}.discoverTests { pkgs = ${mockPkgs}; dir = ${dir}/absent; }`);
    expect(message).toContain(`got ${dir}/absent, which does not exist`);
  });
});

describe("tracedTestScript", () => {
  it("puts the prelude and nixotel_begin ahead of the user's script", async () => {
    const script = await evalRaw(`${lib()}.tracedTestScript { name = "nginx-startup"; suite = "nginx"; } "start_all()\\n"`);
    expect(script).toBe(
      "# prelude\ndef nixotel_begin(name: str, suite: str) -> None: ...\n\n" +
        `nixotel_begin(name="nginx-startup", suite="nginx", constants_json=${constantsArg})\nstart_all()\n`,
    );
  });

  it("uses the repository's scripts/nixotel_prelude.py by default", async () => {
    const script = await evalRaw(`(import ${libFile} { }).tracedTestScript { name = "t"; } "start_all()\\n"`);
    const realPrelude = await readFile(join(repoRoot, "scripts/nixotel_prelude.py"), "utf8");
    expect(script).toBe(`${realPrelude}\nnixotel_begin(name="t", suite="t", constants_json=${constantsArg})\nstart_all()\n`);
  });

  it("writes hostile names as Python string literals that decode to the same text", async () => {
    const name = `it's "quoted" \\ with\nnewline and \u0007 bell ${"$"}{x} é`;
    const script = await evalRaw(`${lib()}.tracedTestScript { name = ${nixString(name)}; } ""`);
    const call = script.split("\n").find((line) => line.startsWith("nixotel_begin("));
    const match = /^nixotel_begin\(name=(".*"), suite=(".*"), constants_json=".*"\)$/.exec(call ?? "");
    // JSON string syntax is a subset of Python's string literal syntax, so JSON.parse decodes as Python would.
    expect(JSON.parse(match?.[1] ?? "null")).toBe(name);
    expect(JSON.parse(match?.[2] ?? "null")).toBe(name); // suite defaults to the name
  });
});
