import type { RunOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function run(_options: RunOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("nixotel run is not built yet (issue 4).");
}
