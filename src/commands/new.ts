import type { NewOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function newTest(_options: NewOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("not built yet");
}
