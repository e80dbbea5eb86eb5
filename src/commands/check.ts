import type { CheckOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function check(_options: CheckOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("nixotel check is not built yet (issue 7).");
}
