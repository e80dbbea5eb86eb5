// Store queries: which out paths are already valid (before a build: cached; after: built).
import { environmentError } from "../errors.js";
import { nixMessage, runTool, type ToolEnvironment } from "./process.js";

/** The subset of `paths` that is valid in the store, in one `nix-store --check-validity` call. */
export async function validPaths(paths: readonly string[], storeArgs: readonly string[], where: ToolEnvironment): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const result = await runTool("nix-store", [...storeArgs, "--check-validity", "--print-invalid", ...paths], where);
  if (result.exitCode !== 0) throw environmentError(`Checking which results are in the store failed:\n${nixMessage(result.stderr)}`);
  const invalid = new Set(result.stdout.split("\n").filter(Boolean));
  return new Set(paths.filter((path) => !invalid.has(path)));
}
