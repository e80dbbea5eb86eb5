// One function from argv to an exit code; each command is loaded only when it runs (fast start-up).
import { parseArgv } from "./cli/parse.js";
import type { CommandOptions } from "./cli/commands.js";
import type { Context } from "./context.js";
import { NixotelError, formatError, type ExitCode } from "./errors.js";

async function dispatch(options: CommandOptions, context: Context): Promise<ExitCode> {
  switch (options.command) {
    case "print":
      context.stdout(options.text.endsWith("\n") ? options.text : `${options.text}\n`);
      return 0;
    case "new":
      return (await import("./commands/new.js")).newTest(options, context);
    case "generate":
      return (await import("./commands/generate.js")).generate(options, context);
    case "list-templates":
      return (await import("./commands/list-templates.js")).listTemplates(options, context);
    case "run":
      return (await import("./commands/run.js")).run(options, context);
    case "check":
      return (await import("./commands/check.js")).check(options, context);
    case "report":
      return (await import("./commands/report.js")).report(options, context);
    case "flush":
      return (await import("./commands/flush.js")).flush(options, context);
  }
}

export async function main(argv: readonly string[], context: Context): Promise<ExitCode> {
  try {
    return await dispatch(await parseArgv(argv), context);
  } catch (error) {
    if (error instanceof NixotelError) {
      context.stderr(`${formatError(error)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
