import { describe, expect, it } from "vitest";
import { asksTheSame } from "../pipeline/early-discovery.js";
import { parseArgv } from "./parse.js";
import { quickRunRequest } from "./quick-run.js";

describe("quickRunRequest", () => {
  it("reads a plain run: check names and the flags discovery depends on", () => {
    expect(quickRunRequest(["run"])).toEqual({ flake: ".", checks: [] });
    expect(quickRunRequest(["run", "a", "--flake", "path:/x", "b", "--system=aarch64-linux", "--store", "/s", "--eval-store=/e"])).toEqual({
      flake: "path:/x",
      system: "aarch64-linux",
      store: "/s",
      evalStore: "/e",
      checks: ["a", "b"],
    });
  });

  it("leaves everything else to yargs", () => {
    for (const argv of [
      ["generate"],
      ["run", "--jobs", "4"],
      ["run", "-j", "4"],
      ["run", "--flake"],
      ["run", "--flake", "--system", "x"],
      ["run", "--flake="],
      ["run", "--flake", "a", "--flake", "b"],
      ["run", "--", "a"],
      ["run", "--help"],
      ["run", "--interactive", "a"],
      ["run", "--repeat", "3", "a"],
    ])
      expect(quickRunRequest(argv), argv.join(" ")).toBeUndefined();
  });

  it("asks nix what yargs' reading of the same argv asks", async () => {
    for (const argv of [
      ["run"],
      ["run", "a", "b"],
      ["run", "--flake", "path:/x", "x.y"],
      ["run", "--flake=github:o/r", "--system", "aarch64-linux", "--store=/s", "--eval-store", "/e", "a"],
      ["run", "123", "--flake", "path:/f"],
    ]) {
      const quick = quickRunRequest(argv);
      const parsed = await parseArgv(argv);
      expect(quick, argv.join(" ")).toBeDefined();
      if (parsed.command !== "run" || !quick) throw new Error(`expected run, got ${parsed.command}`);
      expect(asksTheSame(quick, parsed), argv.join(" ")).toBe(true);
    }
  });

  it("tells a different request apart", () => {
    const base = { flake: ".", checks: ["a"] };
    expect(asksTheSame(base, { ...base, checks: ["a", "b"] })).toBe(false);
    expect(asksTheSame(base, { ...base, system: "x86_64-linux" })).toBe(false);
    expect(asksTheSame(base, { ...base, evalStore: "/e" })).toBe(false);
    expect(asksTheSame(base, { ...base, jobs: 4 })).toBe(true); // not part of discovery
  });
});
