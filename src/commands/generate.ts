import type { GenerateOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function generate(_options: GenerateOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("not built yet");
}
