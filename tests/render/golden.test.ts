// Every template's output for each input set, compared with tests/golden/templates/<case>/.
// Each output must parse with nix, evaluate (with nixpkgs mocked: it is not available here), and its
// testScript must pass the driver build's mypy and pyflakes, and pyright. UPDATE_GOLDEN=1 rewrites the
// golden files. Nix runs twice for all files (one --parse, one --eval of a list), not once per file.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { testFilePath } from "../../src/config/paths.js";
import type { TestEntry } from "../../src/config/schema.js";
import { renderTest } from "../../src/generate/plan.js";
import { loadTemplates } from "../../src/render/templates.js";
import { goldenCases, tracedNodePromises } from "./cases.js";
import { CHECKERS_GUARD_MS, driverRevisions, runDriverChecks, type CheckResult, type DriverRevision } from "../prelude/driver-revisions.js";
import { runPyright } from "../prelude/pyright.js";

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
const MOCK_MODULES = join(import.meta.dirname, "../nix/mock-module-system.nix");

interface Evaluated {
  name: string;
  testScript: string;
  passthru: { nixotel: { suite: string } };
  extraDriverArgs?: string[];
  nodes: Record<string, EvaluatedNode>;
}

interface EvaluatedNode {
  environment: { systemPackages: string[] };
  /** What the node's imported modules define, given the node's definitions. */
  imported: { environment?: { sessionVariables: Record<string, string>; systemPackages: string[] }; services?: object }[];
}

interface Golden {
  caseName: string;
  test: TestEntry;
  file: string;
  rendered: string;
  suite: string;
  driverJunit: boolean;
  serviceName: string;
}

const goldens: Golden[] = Object.entries(goldenCases).flatMap(([caseName, raw]) => {
  const config = validateConfig(raw, templates, caseName);
  return config.tests.map((test) => ({
    caseName,
    test,
    file: join(goldenDir, caseName, testFilePath(config, test)),
    rendered: renderTest(config, test, templates),
    suite: test.suite ?? config.suite,
    driverJunit: config.driverJunit,
    serviceName: config.serviceName,
  }));
});

/** Every golden file parsed by one nix-instantiate, then evaluated by another (a list, in order). */
function parseAndEvaluateAll(): Evaluated[] {
  execFileSync("nix-instantiate", ["--parse", ...goldens.map((g) => g.file)], { stdio: "pipe" });
  const evalNode = `node: let n = node { pkgs = ${MOCK_PKGS}; }; in n // { imports = null; imported = map (module:
    ((import ${MOCK_MODULES}).evalModule { inherit module; definitions = n; pkgs = ${MOCK_PKGS}; }).config) n.imports; }`;
  const one = (file: string) => `(let t = import ${file} ${MOCK_ARGS}; in t // { nodes = builtins.mapAttrs (_: ${evalNode}) t.nodes; })`;
  const expr = `[ ${goldens.map((g) => one(g.file)).join("\n")} ]`;
  return JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8" }));
}

let evaluated: Evaluated[] = [];
beforeAll(() => {
  if (process.env.UPDATE_GOLDEN)
    for (const g of goldens) {
      mkdirSync(dirname(g.file), { recursive: true });
      writeFileSync(g.file, g.rendered);
    }
  evaluated = parseAndEvaluateAll();
});

goldens.forEach((g, index) => {
  describe(`golden: ${g.caseName}`, () => {
    it(`${g.test.name} (${g.test.template}) matches its golden file`, () => {
      expect(g.rendered).toBe(readFileSync(g.file, "utf8"));
    });

    it(`${g.test.name} parses, evaluates and carries a traced testScript`, () => {
      const result = evaluated[index]!;
      expect(result.name).toBe(g.test.name);
      expect(result.passthru.nixotel.suite).toBe(g.suite);
      // --junit-xml only when nixotel.json asks for it: some driver revisions crash with it.
      expect(result.extraDriverArgs).toEqual(g.driverJunit ? ["--junit-xml=junit.xml"] : undefined);
      expect(result.testScript).toContain(`nixotel_begin(name=${JSON.stringify(g.test.name)}`);
      for (const [node, settings] of Object.entries(g.test.nodes))
        for (const pkg of settings.packages) expect(result.nodes[node]!.environment.systemPackages).toContain(pkg.split(".").pop());
    });

    it(`${g.test.name}'s nodes get the emitter and the session variables their template promises`, () => {
      const result = evaluated[index]!;
      for (const [node, promise] of Object.entries(tracedNodePromises[g.test.template]!)) {
        const [traced] = result.nodes[node]!.imported;
        expect(traced?.environment?.sessionVariables).toEqual(promise.variables(g.serviceName));
        expect(traced?.environment?.systemPackages).toEqual(["emit-test-span.nix"]);
        expect(traced?.services !== undefined, `${node} runs Alloy`).toBe(promise.runsAlloy);
      }
    });
  });
});

// The checks a NixOS driver build runs before any VM boots (mypy and pyflakes, as nixpkgs runs them), and
// pyright: every golden testScript under every revision, in one batch per tool.
const checked = new Map<string, { mypy: CheckResult; pyflakes: CheckResult; pyright: CheckResult }>();
const keyOf = (revision: DriverRevision, index: number) => `${revision.label} ${index}`;

beforeAll(async () => {
  const items = driverRevisions.flatMap((revision) =>
    goldens.map((g, i) => ({
      revision,
      script: evaluated[i]!.testScript,
      machines: templates.get(g.test.template)!.nodes,
      key: keyOf(revision, i),
    })),
  );
  const [driverChecks, pyright] = await Promise.all([runDriverChecks(items, tempDirs), runPyright(items, tempDirs)]);
  items.forEach((item, i) => checked.set(item.key, { ...driverChecks[i]!, pyright: pyright[i]! }));
}, CHECKERS_GUARD_MS);

describe.each(driverRevisions)("golden testScripts under the driver checks of nixpkgs $label", (revision) => {
  it.each(goldens.map((g, i) => [`${g.caseName}/${g.test.name}`, i] as const))("%s passes mypy, pyflakes and pyright", (_, i) => {
    expect(checked.get(keyOf(revision, i))).toEqual({
      mypy: { ok: true, output: "" },
      pyflakes: { ok: true, output: "" },
      pyright: { ok: true, output: "" },
    });
  });
});
