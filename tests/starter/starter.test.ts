// The starter template for real: `nix flake init -t` from a copy of this flake, `nixotel new` in it,
// then the starter's own flake.nix evaluated by real nix to list its checks.
// nixpkgs is not available here (no network, no binary cache), so the `nixpkgs` input is a MOCK:
// runNixOSTest returns `{ name = <the test module's name>; }` (after forcing its testScript), the rest
// returns markers. The starter's `nixotel` input is this repository's real flake outputs (with that
// mock nixpkgs) and its real lib.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { evalJson, repoRoot } from "../nix/nix-eval.js";
import { nixotel } from "../runner/support/fixture.js";

const NIX_CONFIG = "experimental-features = nix-command flakes\nsubstituters =";

const mockNixpkgs = `rec {
  lib.genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
  lib.optionalAttrs = cond: attrs: if cond then attrs else { };
  lib.getExe = pkg: "/mock/\${pkg.mockPackage}";
  legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
    inherit lib;
    callPackage = path: args: { mockPackage = baseNameOf (toString path); };
    mkShell = args: { mockShell = map (p: p.mockPackage) args.packages; };
    nixfmt-rfc-style = { mockPackage = "nixfmt-rfc-style"; };
    # The test module's name, once its testScript (prelude included) and driver flags evaluate.
    testers.runNixOSTest = module: let
      test = import (builtins.head module.imports) { nixotel = module._module.args.nixotel; pkgs = null; lib.trivial.release = "25.05"; };
    in { name = builtins.deepSeq [ test.testScript (test.extraDriverArgs or [ ]) ] test.name; };
  });
}`;

let root: string;
let source: string;
let project: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "nixotel-starter-"));
  // The files the flake's `templates` output needs (copying the whole checkout would copy node_modules).
  source = join(root, "nixotel");
  await mkdir(join(source, "templates"), { recursive: true });
  for (const path of ["flake.nix", "flake.lock", "modules", "scripts", "templates/starter"])
    await cp(join(repoRoot, path), join(source, path), { recursive: true });
  project = join(root, "project");
  await mkdir(project);
  await execa("nix", ["flake", "init", "-t", `path:${source}#starter`], { cwd: project, env: { ...process.env, NIX_CONFIG } });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const starterChecks = (system: string) => `let
  nixpkgs = ${mockNixpkgs};
  nixotelFlake = import ${source}/flake.nix;
  nixotel = nixotelFlake.outputs { self = nixotel; inherit nixpkgs; };
  starter = (import ${project}/flake.nix).outputs { self = starter; inherit nixpkgs nixotel; };
in builtins.mapAttrs (_: check: check.name) starter.checks.${system}`;

describe("nix flake init -t <nixotel>#starter", () => {
  test("writes the flake, nixotel.json and the example test", async () => {
    const config = JSON.parse(await readFile(join(project, "nixotel.json"), "utf8")) as {
      testsDir: string;
      tests: { name: string; template: string }[];
    };
    expect(config.testsDir).toBe("tests");
    expect(config.tests).toEqual([{ name: "example", template: "otel_traced" }]);
    expect(await readFile(join(project, "flake.nix"), "utf8")).toContain('nixotel.url = "github:nixotel/nixotel";');
  });

  test("ignores nixotel's run folder and nix's result links", async () => {
    const ignored = (await readFile(join(project, ".gitignore"), "utf8")).split("\n");
    for (const pattern of [".nixotel/", "result", "result-*"]) expect(ignored).toContain(pattern);
  });

  test("its example test is exactly what nixotel renders (generate --check is clean)", async () => {
    const result = await nixotel(["generate", "--check"], { cwd: project, env: {} });
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  test("nixotel new x adds a test that the starter's checks pick up with no edit; _ files are not tests", async () => {
    expect(await evalJson(starterChecks("x86_64-linux"))).toEqual({ example: "example" });
    const created = await nixotel(["new", "x", "--template", "minimal"], { cwd: project, env: {} });
    expect(created.code, created.stderr).toBe(0);
    await writeFile(join(project, "tests", "_helpers.nix"), "{ }\n");
    expect(await evalJson(starterChecks("x86_64-linux"))).toEqual({ example: "example", x: "x" });
    expect(await evalJson(starterChecks("aarch64-linux"))).toEqual({ example: "example", x: "x" });
  });

  test("the dev shell carries the nixotel CLI and the emitter", async () => {
    const shell = await evalJson(`let
      nixpkgs = ${mockNixpkgs};
      nixotel = (import ${source}/flake.nix).outputs { self = nixotel; inherit nixpkgs; };
      starter = (import ${project}/flake.nix).outputs { self = starter; inherit nixpkgs nixotel; };
    in starter.devShells.x86_64-linux.default.mockShell`);
    expect(shell).toEqual(["nixotel.nix", "emit-test-span.nix"]);
  });
});
