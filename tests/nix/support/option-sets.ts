// The `services.grafana-alloy = { … };` settings written in nixotel's templates, generated and
// example tests, README and docs, as Nix expressions: the option combinations users start from.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

export interface OptionSet {
  /** Where it is written, e.g. `templates/otel_traced.nix #1`. */
  source: string;
  /** The attribute set, as Nix source. */
  nix: string;
}

const ASSIGNMENT = /services\.grafana-alloy\s*=\s*\{/g;

/** Every `services.grafana-alloy = { … }` in a Nix or Markdown text, braces balanced outside
 * strings ("…", ''…'') and # comments. Throws on an unbalanced set (a broken example). */
export function optionSetsIn(text: string): string[] {
  const sets: string[] = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    const open = match.index + match[0].length - 1;
    let depth = 0;
    // Index of the last character of what starts at i, when it is a string or a comment.
    const skip = (i: number): number => {
      const endOf = (found: number, extra: number) => (found === -1 ? text.length : found + extra);
      if (text.startsWith("''", i)) return endOf(text.indexOf("''", i + 2), 1);
      if (text[i] === "#") return endOf(text.indexOf("\n", i), 0);
      const quoted = text[i] === '"' ? /^"(?:[^"\\]|\\.)*"/s.exec(text.slice(i)) : null;
      if (text[i] === '"') return quoted ? i + quoted[0].length - 1 : text.length;
      return i;
    };
    for (let i = open; i < text.length; i = skip(i) + 1) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) {
        sets.push(text.slice(open, i + 1));
        break;
      }
    }
    if (depth !== 0) throw new Error(`unbalanced services.grafana-alloy set at offset ${match.index}`);
  }
  return sets;
}

async function filesIn(dir: string, suffix: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  return names.filter((n) => n.endsWith(suffix)).map((n) => join(dir, n));
}

/** The option sets of the templates, the repository's NixOS tests, the starter, README and docs. */
export async function documentedOptionSets(repoRoot: string): Promise<OptionSet[]> {
  const files = [
    ...(await filesIn(join(repoRoot, "templates"), ".nix")),
    ...(await filesIn(join(repoRoot, "templates/starter/tests"), ".nix")),
    ...(await filesIn(join(repoRoot, "tests/nixos"), ".nix")),
    join(repoRoot, "README.md"),
    ...(await filesIn(join(repoRoot, "docs"), ".md")),
  ];
  const sets: OptionSet[] = [];
  for (const file of files)
    optionSetsIn(await readFile(file, "utf8")).forEach((nix, index) =>
      sets.push({ source: `${relative(repoRoot, file)} #${index + 1}`, nix }),
    );
  return sets;
}
