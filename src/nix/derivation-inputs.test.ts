// Reading the dependency edges between built derivations from `nix-store --query --graph` (Nix 2.8's output).
import { describe, expect, it } from "vitest";
import { inputsFromGraph } from "./derivation-inputs.js";

const A = "/nix/store/qq162bx2v9bv4a2x7xdzpvj1fh458z9h-a.drv";
const DEP = "/nix/store/61pax289arwzn44pzrxzj0xll1ipd1mx-dep.drv";
const C = "/nix/store/v7gv58awjj1g804ip2q87yxd9rkwnl04-c.drv";

// As nix-store 2.8 printed it for a (needs dep) and c (needs nothing).
const DOT = `digraph G {
"qq162bx2v9bv4a2x7xdzpvj1fh458z9h-a.drv" [label = "a.drv", shape = box, style = filled, fillcolor = "#ff0000"];
"61pax289arwzn44pzrxzj0xll1ipd1mx-dep.drv" -> "qq162bx2v9bv4a2x7xdzpvj1fh458z9h-a.drv" [color = "black"];
"61pax289arwzn44pzrxzj0xll1ipd1mx-dep.drv" [label = "dep.drv", shape = box, style = filled, fillcolor = "#ff0000"];
"v7gv58awjj1g804ip2q87yxd9rkwnl04-c.drv" [label = "c.drv", shape = box, style = filled, fillcolor = "#ff0000"];
"0000000000000000000000000000000a-source" -> "v7gv58awjj1g804ip2q87yxd9rkwnl04-c.drv" [color = "red"];
}`;

describe("edges from the store's reference graph", () => {
  it("gives each built derivation the built derivations it references", () => {
    expect(inputsFromGraph(DOT, [A, DEP, C])).toEqual(
      new Map([
        [A, [DEP]],
        [DEP, []],
        [C, []],
      ]),
    );
  });

  it("leaves out inputs that were not built in the run (cached, sources)", () => {
    expect(inputsFromGraph(DOT, [A, C])).toEqual(
      new Map([
        [A, []],
        [C, []],
      ]),
    );
  });
});
