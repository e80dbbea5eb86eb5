// The checks query against real nix: names travel as data (one JSON literal), so any name survives,
// and a tolerant query describes a check that fails to evaluate as null instead of failing.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { nixString } from "../render/escape.js";
import { checkDetailsExpr, type CheckQuery } from "./check-details.js";

const HOSTILE = 'a"b${x}\\c\n';

// A flake's `checks` as plain attribute sets: the query reads only drvPath, outPath and nixotel.suite.
const CHECKS = `{
  x86_64-linux = {
    plain = { drvPath = "/d/plain"; outPath = "/o/plain"; };
    suited = { drvPath = "/d/suited"; outPath = "/o/suited"; nixotel.suite = "web"; };
    broken = { drvPath = throw "broken on purpose"; outPath = "/o/broken"; };
    ${nixString(HOSTILE)} = { drvPath = "/d/hostile"; outPath = "/o/hostile"; };
  };
}`;

function query(q: CheckQuery): unknown {
  const out = execFileSync(
    "nix",
    ["--extra-experimental-features", "nix-command", "eval", "--json", "--expr", `(${checkDetailsExpr(q)}) ${CHECKS}`],
    {
      encoding: "utf8",
    },
  );
  return JSON.parse(out);
}

describe("checkDetailsExpr", () => {
  it("describes only the wanted checks, names with quotes, `${` and backslashes included", () => {
    expect(query({ system: "x86_64-linux", wanted: [HOSTILE, "suited", "missing"], skip: [], tolerant: false })).toEqual({
      names: [HOSTILE, "broken", "plain", "suited"].sort(),
      details: {
        [HOSTILE]: { drv: "/d/hostile", out: "/o/hostile", suite: null },
        suited: { drv: "/d/suited", out: "/o/suited", suite: "web" },
      },
      nixVersion: expect.stringMatching(/^2\.\d+/),
    });
  });

  it("tolerant: a broken check is null, skipped ones are left out, another system has none", () => {
    const all = { system: "x86_64-linux", wanted: null, skip: [HOSTILE, "plain"], tolerant: true };
    expect(query(all)).toMatchObject({ details: { broken: null, suited: { suite: "web" } } });
    expect(Object.keys((query(all) as { details: object }).details).sort()).toEqual(["broken", "suited"]);
    expect(query({ ...all, system: "aarch64-darwin" })).toEqual({ names: [], details: {}, nixVersion: expect.any(String) });
  });
});
