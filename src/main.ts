// One function from argv to an exit code; each command is loaded only when it runs (fast start-up),
// and the argv parser only when there is something to parse: `nixotel --version` and a plain
// `nixotel generate` load no yargs.
import type { CommandOptions } from "./cli/commands.js";
import { nowNs } from "./clock.js";
import type { Context } from "./context.js";
import { NixotelError, formatError, type ExitCode } from "./errors.js";
import type { EarlyDiscovery } from "./pipeline/early-discovery.js";
import { quickGenerateOptions } from "./cli/quick-generate.js";
import { VERSION } from "./version.js";

type Command = CommandOptions["command"];
type Handler<C extends Command> = (
  options: Extract<CommandOptions, { command: C }>,
  context: Context,
  early?: EarlyDiscovery,
) => Promise<ExitCode> | ExitCode;

const handlers: { [C in Command]: () => Promise<Handler<C>> } = {
  print: async () => (options, context) => (context.stdout(options.text.endsWith("\n") ? options.text : `${options.text}\n`), 0),
  new: async () => (await import("./commands/new.js")).newTest,
  generate: async () => (await import("./commands/generate.js")).generate,
  "list-templates": async () => (await import("./commands/list-templates.js")).listTemplates,
  run: async () => (await import("./commands/run.js")).run,
  check: async () => (await import("./commands/check.js")).check,
  report: async () => (await import("./commands/report.js")).report,
  flush: async () => (await import("./commands/flush.js")).flush,
  history: async () => (await import("./commands/history.js")).history,
};

async function dispatch<C extends Command>(
  options: Extract<CommandOptions, { command: C }>,
  context: Context,
  early: EarlyDiscovery | undefined,
): Promise<ExitCode> {
  if (options.command !== "run") early?.cancel();
  const handler = await (handlers[options.command] as () => Promise<Handler<C>>)();
  return handler(options, context, early);
}

/** What parseArgv makes of a lone `--version` (yargs prints the version), without loading yargs. */
const versionOnly = (argv: readonly string[]): CommandOptions | undefined =>
  argv.length === 1 && argv[0] === "--version" ? { command: "print", text: VERSION } : undefined;

export async function main(argv: readonly string[], context: Context): Promise<ExitCode> {
  // A plain `run` asks nix for its checks before yargs loads (src/cli/quick-run.ts).
  const early = argv[0] === "run" ? (await import("./cli/quick-run.js")).startQuickRun(argv, context, nowNs) : undefined;
  try {
    // A plain `generate` needs no yargs either (src/cli/quick-generate.ts).
    const options = versionOnly(argv) ?? quickGenerateOptions(argv) ?? (await (await import("./cli/parse.js")).parseArgv(argv));
    return await dispatch(options, context, early);
  } catch (error) {
    early?.cancel();
    if (error instanceof NixotelError) {
      context.stderr(`${formatError(error)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
