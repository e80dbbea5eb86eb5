// Runs the real `nix` offline (no nixpkgs, no substituters) for tests of the pure Nix parts.
import { execa } from "execa";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const offlineEnv = {
  NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =",
  // Keep the host's channels out: every expression names its files by absolute path.
  NIX_PATH: "",
};

/** `nix eval --raw` of an expression; absolute paths in it need --impure. */
export async function evalRaw(expr: string): Promise<string> {
  const { stdout } = await execa("nix", ["eval", "--impure", "--raw", "--expr", expr], {
    env: offlineEnv,
    stripFinalNewline: false,
  });
  return stdout;
}

/** `nix eval --json` of an expression, parsed. */
export async function evalJson(expr: string): Promise<unknown> {
  const { stdout } = await execa("nix", ["eval", "--impure", "--json", "--expr", expr], { env: offlineEnv });
  return JSON.parse(stdout) as unknown;
}

/** The error nix prints when evaluating `expr` fails; throws if it succeeds. */
export async function evalError(expr: string): Promise<string> {
  const result = await execa("nix", ["eval", "--impure", "--json", "--expr", expr], { env: offlineEnv, reject: false });
  if (result.exitCode === 0) throw new Error(`expected evaluation to fail, got ${result.stdout}`);
  return result.stderr;
}

/** A Nix string literal for any JS string without NUL. Nix knows only the escapes \\ \" \$ \n \r \t;
 * every other character, control characters included, stands for itself inside the quotes. */
export function nixString(value: string): string {
  const escapes: Record<string, string> = { "\\": "\\\\", '"': '\\"', $: "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  return `"${value.replace(/[\\"$\n\r\t]/g, (char) => escapes[char] ?? char)}"`;
}
