// run --repeat's Nix side (src/nix/repetitions.ts), evaluated by the real nix: which way each kind of
// check is made unique, and that every repetition is a derivation of its own.
import { describe, expect, test } from "vitest";
import { repetitionsExpr } from "../../src/nix/repetitions.js";
import { evalError, evalJson } from "./nix-eval.js";

// A derivation named after the way it was made, so the test sees which way the query took.
const MK = `mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo > $out" ]; };
  named = way: f: mk "\${way}-\${builtins.replaceStrings [ " " ] [ "-" ] (f { }).nixotelRepetition}";`;

// Stand-ins: nixpkgs (runNixOSTest, stdenv) cannot be evaluated here. `nixosTest` has the shape of a
// runNixOSTest result: overrideTestDerivation beside an (unusable) drvAttrs; the other ways throw if taken.
const CHECKS = `let ${MK}
in {
  x86_64-linux = {
    nixosTest = (mk "test") // { overrideTestDerivation = named "overrideTestDerivation"; overrideAttrs = throw "overrideAttrs taken"; drvAttrs = throw "drvAttrs taken"; };
    stdenv = (mk "pkg") // { overrideAttrs = named "overrideAttrs"; drvAttrs = throw "drvAttrs taken"; };
    plain = mk "plain";
    notADerivation = { meta = { }; };
  };
}`;

const query = (checks: string[], count = 2) => repetitionsExpr({ system: "x86_64-linux", checks, count, token: "t0k" });
type Result = { nixVersion: string; repetitions: Record<string, { drv: string; out: string }[]> };
const evaluate = async (checks: string[], count = 2) => (await evalJson(`${query(checks, count)} (${CHECKS})`)) as Result;

describe("run --repeat: one derivation per repetition", () => {
  test("a NixOS test through overrideTestDerivation, a stdenv derivation through overrideAttrs, a bare one through drvAttrs", async () => {
    const { repetitions, nixVersion } = await evaluate(["nixosTest", "stdenv", "plain"]);
    expect(nixVersion).toMatch(/^\d+\.\d+/);
    expect(repetitions.nixosTest!.map((r) => r.drv)).toEqual([
      expect.stringMatching(/-overrideTestDerivation-1-t0k\.drv$/),
      expect.stringMatching(/-overrideTestDerivation-2-t0k\.drv$/),
    ]);
    expect(repetitions.stdenv!.map((r) => r.drv)).toEqual([
      expect.stringMatching(/-overrideAttrs-1-t0k\.drv$/),
      expect.stringMatching(/-overrideAttrs-2-t0k\.drv$/),
    ]);
    const plain = repetitions.plain!;
    const base = (await evalJson(`(${CHECKS}).x86_64-linux.plain.drvPath`)) as string;
    expect(plain).toHaveLength(2);
    expect(new Set([base, ...plain.map((r) => r.drv)]).size).toBe(3);
    expect(plain.every((r) => r.drv.endsWith("-plain.drv"))).toBe(true);
  });

  test("another run's token makes other derivations: a second --repeat builds again", async () => {
    const first = (await evaluate(["plain"], 1)).repetitions.plain![0]!.drv;
    const other = (await evalJson(
      `${repetitionsExpr({ system: "x86_64-linux", checks: ["plain"], count: 1, token: "other" })} (${CHECKS})`,
    )) as Result;
    expect(other.repetitions.plain![0]!.drv).not.toBe(first);
  });

  test("a check that is no derivation is named in the error", async () => {
    expect(await evalError(`${query(["notADerivation"])} (${CHECKS})`)).toContain(
      "check notADerivation is not a derivation nixotel can repeat (it has no overrideTestDerivation, overrideAttrs or drvAttrs)",
    );
  });
});
