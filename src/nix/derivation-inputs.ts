// Which of the derivations built in a run needed which others: the dependency edges of the critical path.
// Read from the store's reference graph of the .drv files (`nix-store --query --graph`): a derivation's
// references are its input derivations and sources, so an edge between two built .drv files is a real
// "needed before it could start". One call for the whole run; the graph's format (Graphviz dot,
// `"ref" -> "referrer"`) is the same from Nix 2.3 to today, and it works with --store. nix's activity
// stream has no such edges: a build activity's `parent` is 0 on Nix 2.8 (tests/runner/samples).
import { environmentError, expected } from "../errors.js";
import { runTool, type ToolEnvironment } from "../process.js";
import { nixMessage } from "./command.js";

const EDGE = /^"([^"]+)" -> "([^"]+)"/;

/** Built .drv path → the built .drv paths among its direct inputs, from the dot graph nix-store printed. */
export function inputsFromGraph(dot: string, built: readonly string[]): Map<string, string[]> {
  const byBase = new Map(built.map((drvPath) => [drvPath.slice(drvPath.lastIndexOf("/") + 1), drvPath]));
  const inputs = new Map<string, string[]>(built.map((drvPath) => [drvPath, []]));
  for (const line of dot.split("\n")) {
    const [, reference, referrer] = EDGE.exec(line) ?? [];
    const from = byBase.get(referrer ?? "");
    const to = byBase.get(reference ?? "");
    if (from && to && from !== to && !inputs.get(from)?.includes(to)) inputs.get(from)?.push(to);
  }
  return inputs;
}

export async function builtDerivationInputs(
  built: readonly string[],
  storeArgs: readonly string[],
  where: ToolEnvironment,
): Promise<Map<string, string[]>> {
  if (!built.length) return new Map();
  const args = [...storeArgs, "--query", "--graph"];
  const result = await runTool("nix-store", [...args, ...built], where);
  if (result.exitCode !== 0)
    throw environmentError(
      `Reading which built derivations needed which: ${expected(`\`nix-store ${args.join(" ")} DRV…\` to exit 0`, result.exitCode, "Check that the store (--store) is reachable.")}\n${nixMessage(result.stderr)}`,
    );
  return inputsFromGraph(result.stdout, built);
}
