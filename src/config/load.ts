// Read, validate and write nixotel.json. Parse → schema → cross-field rules, every problem at once.
import { join } from "node:path";
import { configError } from "../errors.js";
import { readIfExists, writeFileAtomic } from "../files.js";
import { CONFIG_FILE, config as configSchema, projectDir, testEntry, type Config, type RawConfig, type TestEntry } from "./schema.js";
import { formatIssues, jsonErrorWhere, prototypeKeyProblems } from "./problems.js";
import { PROJECT_WORDING } from "./issue-message.js";
import { type TemplateInfo } from "../render/templates.js";
import { testFilePath } from "./paths.js";

export interface LoadedConfig {
  path: string;
  /** As written in the file (to add entries without spelling out defaults). */
  raw: RawConfig;
  config: Config;
}

/** Problems no single field can see: duplicates, unknown templates and node names. */
function crossFieldProblems(
  testsDir: string,
  entries: ReadonlyArray<readonly [number, TestEntry]>,
  templates: ReadonlyMap<string, TemplateInfo>,
): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [index, test] of entries) {
    const at = `tests[${index}]`;
    const sameName = names.get(test.name);
    if (sameName !== undefined)
      problems.push(`${at}.name: "${test.name}" is already declared by tests[${sameName}]; test names must be unique`);
    names.set(test.name, index);
    const file = testFilePath({ testsDir }, test);
    const sameFile = files.get(file);
    if (sameFile !== undefined) problems.push(`${at}: writes ${file}, as tests[${sameFile}] does`);
    files.set(file, index);
    const template = templates.get(test.template);
    if (!template) {
      problems.push(`${at}.template: unknown template "${test.template}"; available: ${[...templates.keys()].join(", ")}`);
      continue;
    }
    for (const node of Object.keys(test.nodes)) {
      if (!template.nodes.includes(node))
        problems.push(`${at}.nodes: template ${template.name} has no node "${node}"; its nodes: ${template.nodes.join(", ")}`);
    }
  }
  return problems;
}

/** The entries that are valid on their own, with their indices: cross-field rules still run on them. */
function validEntries(raw: unknown): { testsDir: string; entries: Array<readonly [number, TestEntry]> } {
  const object = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const testsDir = projectDir.safeParse(object.testsDir ?? "tests");
  const tests = Array.isArray(object.tests) ? (object.tests as unknown[]) : [];
  const entries = tests.flatMap((test, index) => {
    const parsed = testEntry.safeParse(test, PROJECT_WORDING);
    return parsed.success ? [[index, parsed.data] as const] : [];
  });
  return { testsDir: testsDir.success ? testsDir.data : "tests", entries };
}

/** The defaultTemplate as written, when it is a name at all (checked against the templates even when
 * the rest of the file has problems). */
const rawDefaultTemplate = (raw: unknown) => {
  const value = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).defaultTemplate : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
};

export function validateConfig(raw: unknown, templates: ReadonlyMap<string, TemplateInfo>, source: string): Config {
  const parsed = configSchema.safeParse(raw, PROJECT_WORDING);
  const { testsDir, entries } = parsed.success
    ? { testsDir: parsed.data.testsDir, entries: parsed.data.tests.map((test, index) => [index, test] as const) }
    : validEntries(raw);
  const problems = [
    ...prototypeKeyProblems(raw),
    ...(parsed.success ? [] : formatIssues(parsed.error)),
    ...crossFieldProblems(testsDir, entries, templates),
  ];
  const defaultTemplate = rawDefaultTemplate(raw);
  if (defaultTemplate !== undefined && !templates.has(defaultTemplate))
    problems.push(`defaultTemplate: unknown template "${defaultTemplate}"; available: ${[...templates.keys()].join(", ")}`);
  if (!parsed.success || problems.length > 0) throw configError(`${source} is not valid. Fix these and run again:`, problems);
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
    throw configError(
      `${CONFIG_FILE} is not valid JSON: ${jsonErrorWhere(text, error as Error)}. Fix the syntax and run again.`,
      [],
      error,
    );
  }
  return { path, raw: raw as RawConfig, config: validateConfig(raw, templates, CONFIG_FILE) };
}

export async function saveConfig(path: string, raw: RawConfig): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`);
}
