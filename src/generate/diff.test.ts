// The diff is checked against GNU diff -u on the same inputs (hunks only; headers carry timestamps there).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unifiedDiff } from "./diff.js";

const dir = mkdtempSync(join(tmpdir(), "nixotel-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gnuDiff(a: string, b: string): string {
  writeFileSync(join(dir, "a"), a);
  writeFileSync(join(dir, "b"), b);
  try {
    execFileSync("diff", ["-u", join(dir, "a"), join(dir, "b")], { encoding: "utf8" });
    return "";
  } catch (error) {
    return (error as { stdout: string }).stdout.split("\n").slice(2).join("\n");
  }
}

const lines = (count: number, prefix = "line") => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}\n`).join("");

describe("unifiedDiff", () => {
  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\nb\n", "a\nb\n", "a", "b")).toBe("");
  });

  const cases: Array<[string, string, string]> = [
    ["one changed line", lines(10), lines(10).replace("line 5\n", "line five\n")],
    ["far-apart changes make two hunks", lines(30), lines(30).replace("line 3\n", "x\n").replace("line 27\n", "y\n")],
    ["near changes share a hunk", lines(20), lines(20).replace("line 5\n", "x\n").replace("line 9\n", "y\n")],
    ["insertions at the start", lines(5), `new\n${lines(5)}`],
    ["deletions at the end", lines(8), lines(5)],
    ["from nothing", "", lines(3)],
  ];
  for (const [name, a, b] of cases) {
    it(`matches diff -u: ${name}`, () => {
      const ours = unifiedDiff(a, b, "old", "new").split("\n").slice(2).join("\n");
      expect(ours).toBe(gnuDiff(a, b));
    });
  }
});
