// Store queries: which out paths are already valid (before a build: cached; after: built).
import { environmentError, expected } from "../errors.js";
import { runTool, type ToolEnvironment } from "../process.js";
import { nixMessage } from "./command.js";

/** The subset of `paths` that is valid in the store, in one `nix-store --check-validity` call. */
export async function validPaths(paths: readonly string[], storeArgs: readonly string[], where: ToolEnvironment): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const args = [...storeArgs, "--check-validity", "--print-invalid"];
  const result = await runTool("nix-store", [...args, ...paths], where);
  if (result.exitCode !== 0) {
    const command = `nix-store ${args.join(" ")} PATH…`;
    const fix = "Check that the store (--store) is reachable and fix what nix-store says below.";
    throw environmentError(
      `Checking which results are in the store: ${expected(`\`${command}\` to exit 0`, result.exitCode, fix)}\n${nixMessage(result.stderr)}`,
    );
  }
  const invalid = new Set(result.stdout.split("\n").filter(Boolean));
  return new Set(paths.filter((path) => !invalid.has(path)));
}
