// Read, validate and write nixotel.json. Parse → schema → cross-field rules, every problem at once.
import { join } from "node:path";
import { configError } from "../errors.js";
import { readIfExists, writeFileAtomic } from "../files.js";
import { CONFIG_FILE, config as configSchema, type Config, type RawConfig } from "./schema.js";
import { formatIssues } from "./problems.js";
import { type TemplateInfo } from "../render/templates.js";
import { testFilePath } from "./paths.js";

export interface LoadedConfig {
  path: string;
  /** As written in the file (to add entries without spelling out defaults). */
  raw: RawConfig;
  config: Config;
}

/** Problems no single field can see: duplicates, unknown templates and node names. */
export function crossFieldProblems(config: Config, templates: ReadonlyMap<string, TemplateInfo>): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const files = new Map<string, number>();
  config.tests.forEach((test, index) => {
    const at = `tests[${index}]`;
    const sameName = names.get(test.name);
    if (sameName !== undefined)
      problems.push(`${at}.name: "${test.name}" is already declared by tests[${sameName}]; test names must be unique`);
    names.set(test.name, index);
    const file = testFilePath(config, test);
    const sameFile = files.get(file);
    if (sameFile !== undefined) problems.push(`${at}: writes ${file}, as tests[${sameFile}] does`);
    files.set(file, index);
    const template = templates.get(test.template);
    if (!template) {
      problems.push(`${at}.template: unknown template "${test.template}"; available: ${[...templates.keys()].join(", ")}`);
      return;
    }
    for (const node of Object.keys(test.nodes)) {
      if (!template.nodes.includes(node))
        problems.push(`${at}.nodes: template ${template.name} has no node "${node}"; its nodes: ${template.nodes.join(", ")}`);
    }
  });
  return problems;
}

export function validateConfig(raw: unknown, templates: ReadonlyMap<string, TemplateInfo>, source: string): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw configError(`${source} is not valid. Fix these and run again:`, formatIssues(parsed.error));
  const problems = crossFieldProblems(parsed.data, templates);
  if (problems.length > 0) throw configError(`${source} is not valid. Fix these and run again:`, problems);
  return parsed.data;
}

/** Loads nixotel.json from the project folder; `undefined` when there is none. */
export async function loadConfig(root: string, templates: ReadonlyMap<string, TemplateInfo>): Promise<LoadedConfig | undefined> {
  const path = join(root, CONFIG_FILE);
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw configError(`${CONFIG_FILE} is not valid JSON: ${(error as Error).message}. Fix the syntax and run again.`, [], error);
  }
  return { path, raw: raw as RawConfig, config: validateConfig(raw, templates, CONFIG_FILE) };
}

export async function saveConfig(path: string, raw: RawConfig): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`);
}
