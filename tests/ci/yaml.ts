// Reading the CI recipes (YAML, by Debian's python3-yaml: no npm dependency) and the commands the docs show.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { repoRoot } from "../nix/nix-eval.js";

export type Yaml = Record<string, unknown>;

export async function parseYaml(file: string): Promise<Yaml> {
  // /usr/bin/python3: Debian's python, where python3-yaml lives (a pyenv python3 may shadow it on PATH).
  const script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)";
  const { stdout } = await execa("/usr/bin/python3", ["-c", script, join(repoRoot, file)]);
  return JSON.parse(stdout) as Yaml;
}

/** Every line of every ```sh block: the commands the docs show. */
export async function documentedCommands(): Promise<Set<string>> {
  const commands = new Set<string>();
  for (const doc of ["README.md", "docs/ci.md"]) {
    const text = await readFile(join(repoRoot, doc), "utf8");
    for (const block of text.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
      for (const line of (block[1] ?? "").split("\n")) {
        const command = line.replace(/\s+#.*$/, "").trim(); // drop trailing comments like `   # explanation`
        if (command) commands.add(command);
      }
    }
  }
  return commands;
}

export const linesOf = (script: unknown): string[] =>
  (Array.isArray(script) ? script.map(String) : [String(script ?? "")])
    .flatMap((s) => s.split("\n"))
    .map((l) => l.trim())
    .filter(Boolean);
