// `nixotel list-templates`: one template a line, name first, then its description.
import type { ListTemplatesOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import { loadTemplates } from "../render/templates.js";

export async function listTemplates(_options: ListTemplatesOptions, context: Context): Promise<ExitCode> {
  const templates = [...(await loadTemplates()).values()];
  const width = Math.max(...templates.map((template) => template.name.length));
  for (const template of templates) context.stdout(`${template.name.padEnd(width)}  ${template.description}\n`);
  return 0;
}
