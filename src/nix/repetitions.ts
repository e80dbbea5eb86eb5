// `run --repeat N`: N derivations per check, each the check's own with one attribute added
// (`nixotelRepetition`), so nix builds the test N times instead of finding it built once. The tag is
// inert (no builder reads it), so the repetitions of a check differ in nothing their test can see:
// a repetition failing while another passes proves the check flaky as surely as one drv doing both.
// The tag also holds a token of this run, so a second `--repeat` builds afresh instead of finding the
// first one's outputs in the store.
import { z } from "zod";
import { nixString } from "../render/escape.js";
import { type ToolEnvironment } from "../process.js";
import { nixJson } from "./command.js";

export interface RepetitionQuery {
  system: string;
  /** Check names, already known to exist. */
  checks: readonly string[];
  count: number;
  /** Makes this run's repetitions differ from every earlier run's. */
  token: string;
}

const Derivation = z.object({ drv: z.string(), out: z.string() });
const Repetitions = z.object({ nixVersion: z.string(), repetitions: z.record(z.string(), z.array(Derivation)) });
export type Repetitions = z.infer<typeof Repetitions>;

// How a check is made unique, most specific first:
// - a NixOS test (runNixOSTest, nixosTest) has `overrideTestDerivation`. Followed: nixpkgs'
//   nixos/lib/testing/run.nix (`f: config.passthru.extend { modules = [{ rawTestDerivationArg = mkOneUp
//   options.rawTestDerivationArg (lib.extends (lib.toExtension f)); }]; }`) and the manual's "Overriding a
//   test" (#sec-override-nixos-test): "like applying overrideAttrs on the test derivation", taking
//   `prevAttrs: { … }`. The test itself is a `lib.lazyDerivation` (no overrideAttrs, no drvAttrs), and
//   overriding it this way keeps its passthru (driver, nodes).
// - any stdenv derivation has `overrideAttrs`;
// - a bare `derivation { … }` keeps its arguments in `drvAttrs`.
const QUERY = `query: all: let
  cs = all.\${query.system};
  tagged = i: { nixotelRepetition = "\${toString i} \${query.token}"; };
  repeated = name: c: i:
    if c ? overrideTestDerivation then c.overrideTestDerivation (_: tagged i)
    else if c ? overrideAttrs then c.overrideAttrs (_: tagged i)
    else if c ? drvAttrs then derivation (c.drvAttrs // tagged i)
    else throw "nixotel run --repeat: check \${name} is not a derivation nixotel can repeat (it has no overrideTestDerivation, overrideAttrs or drvAttrs)";
  described = name: i: let r = repeated name cs.\${name} i; in { drv = r.drvPath; out = r.outPath; };
in {
  nixVersion = builtins.nixVersion;
  repetitions = builtins.listToAttrs (map (name: { inherit name; value = builtins.genList (i: described name (i + 1)) query.count; }) query.checks);
}`;

/** The `--apply` expression: the fixed function, called with the query as a JSON literal. */
export const repetitionsExpr = (query: RepetitionQuery) => `(${QUERY}) (builtins.fromJSON ${nixString(JSON.stringify(query))})`;

/** `nix eval --json <flake>#checks --apply …`: the drv and out path of every repetition (evaluating a
 * drvPath writes the .drv to the store, so nix can build it by that path). */
export function evaluateRepetitions(flake: string, query: RepetitionQuery, evalArgs: readonly string[], where: ToolEnvironment) {
  const what = `Evaluating ${query.count} repetitions of ${query.checks.join(", ")}`;
  return nixJson(["eval", ...evalArgs, "--json", `${flake}#checks`, "--apply", repetitionsExpr(query)], where, what, Repetitions);
}
