// The template catalogue: every templates/*.nix file, described by its leading handlebars comment,
// and the pieces they share (templates/partials/NAME.hbs, used as {{> NAME}}). No registry to keep:
// a new file is a new template.
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { configError } from "../errors.js";
import { packageFile } from "../package-files.js";

export interface TemplateInfo {
  name: string;
  description: string;
  /** Node names the template declares; per-node settings in nixotel.json must use these. */
  nodes: string[];
  path: string;
  source: string;
  /** Partials by name, shared by every template of the catalogue. */
  partials: Readonly<Record<string, string>>;
}

const TEMPLATES_DIR = fileURLToPath(packageFile("templates/"));

/** `{{!-- nixotel-template\ndescription: …\nnodes: a, b\n--}}` at the top of a template. */
function parseHeader(name: string, source: string): Pick<TemplateInfo, "description" | "nodes"> {
  const header = /^\{\{!--\s*nixotel-template\s*\n([\s\S]*?)--\}\}/.exec(source);
  const field = (key: string) => header?.[1]?.match(new RegExp(`^${key}:\\s*(.+)$`, "m"))?.[1]?.trim();
  const description = field("description");
  const nodes = field("nodes");
  if (!description || !nodes)
    throw configError(
      `Template ${name} must start with a {{!-- nixotel-template … --}} comment holding "description:" and "nodes:" lines.`,
    );
  return { description, nodes: nodes.split(",").map((node) => node.trim()) };
}

async function loadPartials(dir: string): Promise<Record<string, string>> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const partials: Record<string, string> = {};
  for (const file of files.filter((name) => name.endsWith(".hbs")))
    partials[file.slice(0, -".hbs".length)] = await readFile(join(dir, file), "utf8");
  return partials;
}

export async function loadTemplates(dir: string = TEMPLATES_DIR): Promise<Map<string, TemplateInfo>> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".nix")).sort();
  const partials = await loadPartials(join(dir, "partials"));
  const templates = new Map<string, TemplateInfo>();
  for (const file of files) {
    const name = file.slice(0, -".nix".length);
    const path = join(dir, file);
    const source = await readFile(path, "utf8");
    templates.set(name, { name, path, source, partials, ...parseHeader(name, source) });
  }
  return templates;
}
