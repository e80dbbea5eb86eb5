// `nixotel run`'s first nix call without waiting for yargs (issue 14: loading and running yargs is most
// of what comes before it). A plain `run` (check names and the flags discovery depends on, nothing
// else) is read here and its discovery started; yargs then parses argv as always and src/commands/run.ts
// keeps the discovery only when yargs read the same request, else stops it and starts the right one.
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import { startDiscovery, type DiscoveryRequest, type EarlyDiscovery } from "../pipeline/early-discovery.js";

/** The flags discovery depends on, by their yargs names. */
const FLAGS = { "--flake": "flake", "--system": "system", "--store": "store", "--eval-store": "evalStore" } as const;
type Flag = keyof typeof FLAGS;
const isFlag = (name: string): name is Flag => Object.hasOwn(FLAGS, name);

/** The discovery a plain `nixotel run …` asks for; undefined for anything else (any other flag, a flag
 * given twice or without a value, `--`), which waits for yargs. */
export function quickRunRequest(argv: readonly string[]): DiscoveryRequest | undefined {
  if (argv[0] !== "run") return undefined;
  const request: DiscoveryRequest & Record<string, unknown> = { flake: ".", checks: [] };
  const given = new Set<string>();
  const checks: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith("-")) {
      checks.push(word);
      continue;
    }
    const eq = word.indexOf("=");
    const name = eq === -1 ? word : word.slice(0, eq);
    const value = eq === -1 ? argv[++i] : word.slice(eq + 1);
    if (!isFlag(name) || given.has(name) || value === undefined || value === "" || value.startsWith("-")) return undefined;
    given.add(name);
    request[FLAGS[name]] = value;
  }
  return { ...request, checks };
}

/** Starts the discovery of a plain `run` before yargs loads; undefined when argv is not one. */
export function startQuickRun(argv: readonly string[], context: Context, clock: Clock): EarlyDiscovery | undefined {
  const request = quickRunRequest(argv);
  return request && startDiscovery(request, context, clock);
}
