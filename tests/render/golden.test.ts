// Every template's output for each input set, compared with tests/golden/templates/<case>/.
// Each output must parse with nix, evaluate (with nixpkgs mocked: it is not available here), and
// its testScript must compile as Python. UPDATE_GOLDEN=1 rewrites the golden files.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { testFilePath } from "../../src/config/paths.js";
import { renderTest } from "../../src/generate/plan.js";
import { loadTemplates } from "../../src/render/templates.js";
import { goldenCases, tracedNodePromises } from "./cases.js";
import { driverRevisions, runDriverChecks } from "../prelude/driver-revisions.js";

const templates = await loadTemplates();
const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
const goldenDir = join(import.meta.dirname, "../golden/templates");

// Stands in for nixpkgs (not available offline) and the package parts of the nixotel argument;
// tracedTestScript, junitDriverArgs and the tracedNode module are the real ones from modules/, so the
// testScript and driver flags are the ones the driver would get (`lib.trivial.release` as a 25.05 nixpkgs
// has it). Each node's imports are evaluated with the node's own definitions through the module-system
// MOCK of tests/nix/mock-module-system.nix.
const REAL_LIB = join(import.meta.dirname, "../../modules/lib/default.nix");
const MOCK_MODULES = join(import.meta.dirname, "../nix/mock-module-system.nix");
const MOCK_ARGS = `{
  nixotel = {
    inherit (import ${REAL_LIB} { }) nixosModules;
    lib = { inherit (import ${REAL_LIB} { }) tracedTestScript junitDriverArgs; };
  };
  pkgs = { };
  lib.trivial.release = "25.05";
}`;
const MOCK_PKGS = `{ curl = "curl"; jq = "jq"; openssl = "openssl"; nginx = "nginx"; wrk = "wrk"; python3Packages.requests = "requests";
  callPackage = path: args: baseNameOf (toString path); }`;

interface EvaluatedNode {
  environment: { systemPackages: string[] };
  /** What the node's imported modules define, given the node's definitions. */
  imported: { environment?: { sessionVariables: Record<string, string>; systemPackages: string[] }; services?: object }[];
}

interface EvaluatedTest {
  name: string;
  testScript: string;
  passthru: { nixotel: { suite: string } };
  extraDriverArgs: string[];
  nodes: Record<string, EvaluatedNode>;
}

const evaluations = new Map<string, EvaluatedTest>(); // one nix call per file, shared by its tests
function evaluate(file: string): EvaluatedTest {
  const known = evaluations.get(file);
  if (known) return known;
  const evalNode = `node: let n = node { pkgs = ${MOCK_PKGS}; }; in n // { imports = null; imported = map (module:
    ((import ${MOCK_MODULES}).evalModule { inherit module; definitions = n; pkgs = ${MOCK_PKGS}; }).config) n.imports; }`;
  const expr = `let t = import ${file} ${MOCK_ARGS}; in t // { nodes = builtins.mapAttrs (_: ${evalNode}) t.nodes; }`;
  const evaluated = JSON.parse(
    execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8" }),
  ) as EvaluatedTest;
  evaluations.set(file, evaluated);
  return evaluated;
}

for (const [caseName, raw] of Object.entries(goldenCases)) {
  describe(`golden: ${caseName}`, () => {
    const config = validateConfig(raw, templates, caseName);
    for (const test of config.tests) {
      const file = join(goldenDir, caseName, testFilePath(config, test));
      const rendered = renderTest(config, test, templates);

      it(`${test.name} (${test.template}) matches its golden file`, () => {
        if (process.env.UPDATE_GOLDEN) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, rendered);
        }
        expect(rendered).toBe(readFileSync(file, "utf8"));
      });

      it(`${test.name} parses, evaluates and carries a compilable testScript`, () => {
        execFileSync("nix-instantiate", ["--parse", file], { stdio: "pipe" });
        const evaluated = evaluate(file);
        expect(evaluated.name).toBe(test.name);
        expect(evaluated.passthru.nixotel.suite).toBe(test.suite ?? config.suite);
        expect(evaluated.extraDriverArgs).toEqual(["--junit-xml=junit.xml"]);
        expect(evaluated.testScript).toContain(`nixotel_begin(name=${JSON.stringify(test.name)}`);
        for (const [node, settings] of Object.entries(test.nodes))
          for (const pkg of settings.packages) expect(evaluated.nodes[node]!.environment.systemPackages).toContain(pkg.split(".").pop());
      });

      it(`${test.name}'s nodes get the emitter and the session variables their template promises`, () => {
        const evaluated = evaluate(file);
        for (const [node, promise] of Object.entries(tracedNodePromises[test.template]!)) {
          const [traced] = evaluated.nodes[node]!.imported;
          expect(traced?.environment?.sessionVariables).toEqual(promise.variables(config.serviceName));
          expect(traced?.environment?.systemPackages).toEqual(["emit-test-span.nix"]);
          expect(traced?.services !== undefined, `${node} runs Alloy`).toBe(promise.runsAlloy);
        }
      });

      // The checks a NixOS driver build runs before any VM boots: mypy and pyflakes, as nixpkgs runs them.
      it.each(driverRevisions)(`${test.name}'s testScript passes the driver checks of nixpkgs $label`, async (revision) => {
        const script = evaluate(file).testScript;
        const machines = templates.get(test.template)!.nodes;
        const { mypy, pyflakes } = await runDriverChecks(revision, script, machines, tempDirs);
        expect(mypy.all).toContain("Success: no issues found");
        expect(pyflakes.all).toBe("");
      });
    }
  });
}
