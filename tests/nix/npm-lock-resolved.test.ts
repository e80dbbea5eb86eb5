// modules/lib/npm-lock-resolved.nix: registry URLs added back to a lock written without them.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evalJson, repoRoot } from "./nix-eval.js";

const fill = join(repoRoot, "modules/lib/npm-lock-resolved.nix");

async function filled(lock: unknown): Promise<Record<string, { resolved?: string }>> {
  const expr = `(import ${fill} { registry = "https://npm.test"; } (builtins.fromJSON ${JSON.stringify(JSON.stringify(lock)).replaceAll("${", "\\${")})).packages`;
  return (await evalJson(expr)) as Record<string, { resolved?: string }>;
}

describe("npm-lock-resolved.nix", () => {
  it("builds the registry tarball URL of plain, scoped, nested and aliased packages", async () => {
    const packages = await filled({
      packages: {
        "": { name: "root", version: "1.0.0" },
        "node_modules/zod": { version: "4.6.7", integrity: "sha512-a" },
        "node_modules/@opentelemetry/api": { version: "1.9.1", integrity: "sha512-b" },
        "node_modules/cliui/node_modules/string-width": { version: "7.2.0", integrity: "sha512-c" },
        "node_modules/alias": { name: "@scope/real", version: "2.0.0", integrity: "sha512-d" },
      },
    });
    expect(packages["node_modules/zod"]?.resolved).toBe("https://npm.test/zod/-/zod-4.6.7.tgz");
    expect(packages["node_modules/@opentelemetry/api"]?.resolved).toBe("https://npm.test/@opentelemetry/api/-/api-1.9.1.tgz");
    expect(packages["node_modules/cliui/node_modules/string-width"]?.resolved).toBe(
      "https://npm.test/string-width/-/string-width-7.2.0.tgz",
    );
    expect(packages["node_modules/alias"]?.resolved).toBe("https://npm.test/@scope/real/-/real-2.0.0.tgz");
  });

  it("leaves the root, links, existing URLs and entries without integrity alone", async () => {
    const packages = await filled({
      packages: {
        "": { name: "root", version: "1.0.0" },
        "node_modules/linked": { resolved: "packages/linked", link: true },
        "node_modules/git": { version: "1.0.0", resolved: "git+https://example.org/x.git#abc", integrity: "sha512-e" },
        "node_modules/local": { version: "1.0.0" },
      },
    });
    expect(packages[""]?.resolved).toBeUndefined();
    expect(packages["node_modules/linked"]?.resolved).toBe("packages/linked");
    expect(packages["node_modules/git"]?.resolved).toBe("git+https://example.org/x.git#abc");
    expect(packages["node_modules/local"]?.resolved).toBeUndefined();
  });

  it("gives every installed package of this repo's own lock a URL", async () => {
    const lock = join(repoRoot, "package-lock.json");
    const missing = await evalJson(
      `let ps = (import ${fill} { } (builtins.fromJSON (builtins.readFile ${lock}))).packages;` +
        ` in builtins.filter (p: p != "" && !(ps.\${p} ? resolved)) (builtins.attrNames ps)`,
    );
    expect(missing).toEqual([]);
  });
});
