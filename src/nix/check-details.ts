// One evaluation of a flake's checks for one system: every check's name and, for the wanted ones only
// (a NixOS test costs seconds to evaluate), its drv path, out path and suite. `run` asks it to discover
// the checks, `check` after `nix flake check`. The Nix code is fixed; the query comes in as one JSON value.
import { nixString } from "../render/escape.js";
import { type ToolEnvironment } from "../process.js";
import type { CheckDetails } from "./check-details-shape.js";
import { nixOutput, parseNixJson } from "./command.js";

export type { CheckDetail, CheckDetails } from "./check-details-shape.js";

export interface CheckQuery {
  system: string;
  /** The checks to describe; null: all of them. */
  wanted: readonly string[] | null;
  /** Checks not to describe (nix already said they fail to evaluate). */
  skip: readonly string[];
  /** A check that fails to evaluate is described as null (tryEval) instead of failing the evaluation. */
  tolerant: boolean;
}

// A check's suite is `passthru.nixotel.suite` (a runNixOSTest module sets `passthru.nixotel.suite = "nginx";`), else null.
const QUERY = `query: all: let
  cs = all.\${query.system} or { };
  names = builtins.attrNames cs;
  described = builtins.filter (n: cs ? \${n} && !(builtins.elem n query.skip)) (if query.wanted == null then names else query.wanted);
  detail = c: { drv = c.drvPath; out = c.outPath; suite = if c ? nixotel && c.nixotel ? suite then c.nixotel.suite else null; };
  tried = c: let d = detail c; r = builtins.tryEval (builtins.deepSeq d d); in if r.success then r.value else null;
in {
  inherit names;
  nixVersion = builtins.nixVersion;
  details = builtins.listToAttrs (map (n: { name = n; value = (if query.tolerant then tried else detail) cs.\${n}; }) described);
}`;

/** The `--apply` expression of a query: the fixed function, called with the query as a JSON literal. */
export const checkDetailsExpr = (query: CheckQuery) => `(${QUERY}) (builtins.fromJSON ${nixString(JSON.stringify(query))})`;

/** `nix eval --json <flake>#checks --apply …`: the checks of `query.system` and the details asked for. */
export async function checkDetails(
  flake: string,
  query: CheckQuery,
  evalArgs: readonly string[],
  where: ToolEnvironment,
  what: string,
): Promise<CheckDetails> {
  const args = ["eval", ...evalArgs, "--json", `${flake}#checks`, "--apply", checkDetailsExpr(query)];
  const [stdout, shape] = await Promise.all([nixOutput(args, where, what), import("./check-details-shape.js")]);
  return parseNixJson(stdout, "nix eval …", what, shape.CheckDetails);
}
