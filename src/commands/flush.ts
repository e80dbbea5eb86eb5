import type { FlushOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function flush(_options: FlushOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("nixotel flush is not built yet (issue 4).");
}
