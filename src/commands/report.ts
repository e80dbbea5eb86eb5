import type { ReportOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function report(_options: ReportOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("nixotel report is not built yet (issue 6).");
}
