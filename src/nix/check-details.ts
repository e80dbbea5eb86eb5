// One evaluation of a flake's checks for one system: every check's name and, for the wanted ones only
// (a NixOS test costs seconds to evaluate), its drv path, out path and suite. `run` asks it to discover
// the checks, `check` after `nix flake check`. The Nix code is fixed; the query comes in as one JSON value.
import { z } from "zod";
import { nixString } from "../render/escape.js";
import { type ToolEnvironment } from "../process.js";
import { nixJson } from "./command.js";

const CheckDetail = z.object({ drv: z.string(), out: z.string(), suite: z.string().nullable() });
export type CheckDetail = z.infer<typeof CheckDetail>;

const CheckDetails = z.object({ names: z.array(z.string()), details: z.record(z.string(), CheckDetail.nullable()) });
export type CheckDetails = z.infer<typeof CheckDetails>;

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
  details = builtins.listToAttrs (map (n: { name = n; value = (if query.tolerant then tried else detail) cs.\${n}; }) described);
}`;

/** The `--apply` expression of a query: the fixed function, called with the query as a JSON literal. */
export const checkDetailsExpr = (query: CheckQuery) => `(${QUERY}) (builtins.fromJSON ${nixString(JSON.stringify(query))})`;

/** `nix eval --json <flake>#checks --apply …`: the checks of `query.system` and the details asked for. */
export function checkDetails(
  flake: string,
  query: CheckQuery,
  evalArgs: readonly string[],
  where: ToolEnvironment,
  what: string,
): Promise<CheckDetails> {
  return nixJson(["eval", ...evalArgs, "--json", `${flake}#checks`, "--apply", checkDetailsExpr(query)], where, what, CheckDetails);
}
