import type { ListTemplatesOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { environmentError, type ExitCode } from "../errors.js";

export async function listTemplates(_options: ListTemplatesOptions, _context: Context): Promise<ExitCode> {
  throw environmentError("not built yet");
}
