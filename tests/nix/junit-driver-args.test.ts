// nixotel.lib.junitDriverArgs: `--junit-xml` only for drivers that accept it (an older driver's argparse
// would reject the flag and fail the test), evaluated by real nix with release strings as nixpkgs has them.
import { join } from "node:path";
import { expect, it } from "vitest";
import { evalJson, repoRoot } from "./nix-eval.js";

const libFile = join(repoRoot, "modules/lib/default.nix");

it.each([
  ["23.11", []],
  ["24.05", []],
  ["24.11", ["--junit-xml=junit.xml"]],
  ["25.05", ["--junit-xml=junit.xml"]],
  ["26.11", ["--junit-xml=junit.xml"]],
])("lib.trivial.release %s gives %j", async (release, args) => {
  expect(await evalJson(`(import ${libFile} { }).junitDriverArgs ${JSON.stringify(release)}`)).toEqual(args);
});

it("is what the `nixotel` module argument offers test files", async () => {
  const expr = `((import ${libFile} { }).nixotelFor { callPackage = _: _: null; }).lib.junitDriverArgs "24.11"`;
  expect(await evalJson(expr)).toEqual(["--junit-xml=junit.xml"]);
});
