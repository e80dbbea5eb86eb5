// Every Nix file of the repository parses (`nix-instantiate --parse`), except the handlebars sources
// templates/*.nix (not Nix until rendered; their output is checked by the render tests).
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./nix-eval.js";

const skippedDirs = new Set(["node_modules", ".git", "dist", ".nixotel", "coverage", "test-artifacts"]);

async function findNixFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !skippedDirs.has(entry.name)) found.push(...(await findNixFiles(path)));
    else if (entry.isFile() && entry.name.endsWith(".nix")) found.push(relative(repoRoot, path));
  }
  return found;
}

const isHandlebarsSource = (file: string) => /^templates\/[^/]+\.nix$/.test(file);

describe("Nix files", async () => {
  const files = (await findNixFiles(repoRoot)).filter((file) => !isHandlebarsSource(file)).sort();

  it("include the flake, the module, the packages and the lib", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "flake.nix",
        "modules/services/grafana-alloy.nix",
        "modules/packages/emit-test-span.nix",
        "modules/packages/nixotel.nix",
        "modules/lib/default.nix",
        "templates/starter/flake.nix",
      ]),
    );
  });

  it.each(files)("%s parses", async (file) => {
    const result = await execa("nix-instantiate", ["--parse", file], { cwd: repoRoot, reject: false });
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });
});
