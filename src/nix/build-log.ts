// The stored log of a derivation's last build (`nix log`, Nix 2.4+): what a cached check printed
// when it was built, since this run heard nothing from it.
import { runTool, type ToolEnvironment } from "../process.js";
import { NIX_FEATURES } from "./command.js";

/** The log's lines, or undefined when nix keeps none (keep-build-log off, garbage-collected, substituted). */
export async function storedBuildLog(
  drvPath: string,
  storeFlags: readonly string[],
  where: ToolEnvironment,
): Promise<string[] | undefined> {
  const result = await runTool("nix", [...NIX_FEATURES, "log", ...storeFlags, drvPath], where);
  if (result.exitCode !== 0) return undefined;
  const lines = result.stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
