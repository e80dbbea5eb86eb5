// flake.nix outputs, evaluated offline. nixpkgs cannot be fetched here, so the `nixpkgs` input is a
// MOCK: a lib with the few functions the flake uses, and package sets whose callPackage returns a marker.
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { evalJson, repoRoot } from "./nix-eval.js";

const mockNixpkgs = `rec {
  lib = {
    genAttrs = names: f: builtins.listToAttrs (map (name: { inherit name; value = f name; }) names);
    optionalAttrs = cond: attrs: if cond then attrs else { };
    getExe = pkg: "/mock/\${pkg.mockPackage}";
    nixosSystem = args: throw "nixosSystem is not evaluated by these tests";
  };
  legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {
    inherit lib;
    stdenv.hostPlatform.system = system;
    callPackage = path: args: { mockPackage = baseNameOf (toString path); };
    nixfmt-rfc-style = { mockPackage = "nixfmt-rfc-style"; };
  });
}`;

const outputs = `(let flake = import ${join(repoRoot, "flake.nix")}; self = flake.outputs { inherit self; nixpkgs = ${mockNixpkgs}; }; in self)`;

describe("flake.nix", () => {
  it("has the conventional outputs for both Linux systems", async () => {
    const shape = await evalJson(`let o = ${outputs}; in {
      top = builtins.attrNames o;
      packages = builtins.mapAttrs (_: builtins.attrNames) o.packages;
      apps = builtins.mapAttrs (_: builtins.attrNames) o.apps;
      modules = builtins.attrNames o.nixosModules;
      lib = builtins.attrNames o.lib;
      templates = builtins.attrNames o.templates;
    }`);
    const both = (names: string[]) => ({ "aarch64-linux": names, "x86_64-linux": names });
    expect(shape).toEqual({
      top: ["apps", "checks", "formatter", "lib", "nixosModules", "packages", "templates"],
      packages: both(["alloy-collector", "default", "emit-test-span", "nixotel"]),
      apps: both(["alloy-collector", "default", "nixotel"]),
      modules: ["default", "grafana-alloy", "tracedNode"],
      lib: ["constants", "discoverTests", "junitDriverArgs", "mkTest", "nixosModules", "nixotelFor", "prelude", "tracedTestScript"],
      templates: ["default", "starter"],
    });
  });

  it("wires packages, apps, module and template to real files", async () => {
    const wiring = (await evalJson(`let o = ${outputs}; in {
      emitter = o.packages.x86_64-linux.emit-test-span.mockPackage;
      cli = o.packages.x86_64-linux.default.mockPackage;
      app = o.apps.x86_64-linux.default;
      collector = o.packages.x86_64-linux.alloy-collector.mockPackage;
      collectorApp = o.apps.x86_64-linux.alloy-collector;
      module = toString o.nixosModules.default;
      tracedNode = toString o.nixosModules.tracedNode;
      template = builtins.pathExists (o.templates.default.path + "/flake.nix");
    }`)) as Record<string, unknown>;
    expect(wiring).toEqual({
      emitter: "emit-test-span.nix",
      cli: "nixotel.nix",
      app: { type: "app", program: "/mock/nixotel.nix" },
      collector: "alloy-collector.nix",
      collectorApp: { type: "app", program: "/mock/alloy-collector.nix" },
      module: join(repoRoot, "modules/services/grafana-alloy.nix"),
      tracedNode: join(repoRoot, "modules/nixos/traced-node.nix"),
      template: true,
    });
  });

  it("checks the golden files, the modules and the emitter, plus any tests/nixos/*.nix", async () => {
    const checks = (await evalJson(`builtins.attrNames ${outputs}.checks.x86_64-linux`)) as string[];
    expect(checks).toEqual(expect.arrayContaining(["alloy-config-golden", "emit-test-span", "grafana-alloy-module", "traced-node-module"]));
  });

  it("has a lock that nix accepts for its nixpkgs input", async () => {
    // `nix flake metadata` reads flake.lock and fails if it does not match flake.nix's inputs; offline it fetches nothing.
    const { stdout } = await execa("nix", ["flake", "metadata", "--offline", "--json", `git+file://${repoRoot}`], {
      env: { NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =" },
    });
    const metadata = JSON.parse(stdout) as { locks: { nodes: { nixpkgs: { locked: { rev: string } } } } };
    expect(metadata.locks.nodes.nixpkgs.locked.rev).toMatch(/^[0-9a-f]{40}$/);
  });
});
