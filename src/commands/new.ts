// `nixotel new NAME --template T [--suite S] [--dir D]`: render one test and record it in nixotel.json.
import { access, rm } from "node:fs/promises";
import { join } from "node:path";
import type { NewOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { configError, usageError, type ExitCode } from "../errors.js";
import { loadConfig, saveConfig, validateConfig } from "../config/load.js";
import { CONFIG_FILE, testEntry, type RawConfig, type RawTestEntry } from "../config/schema.js";
import { formatIssues } from "../config/problems.js";
import { insideProject, testFilePath } from "../config/paths.js";
import { loadTemplates } from "../render/templates.js";
import { renderTest } from "../generate/plan.js";
import { writeFileAtomic } from "../files.js";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function newEntry(options: NewOptions): RawTestEntry {
  const entry: RawTestEntry = { name: options.name, template: options.template };
  if (options.suite !== undefined) entry.suite = options.suite;
  if (options.dir !== undefined) entry.dir = options.dir;
  const parsed = testEntry.safeParse(entry);
  if (!parsed.success)
    throw usageError(`Cannot create test ${JSON.stringify(options.name)}:\n  - ${formatIssues(parsed.error).join("\n  - ")}`);
  return entry;
}

export async function newTest(options: NewOptions, context: Context): Promise<ExitCode> {
  const entry = newEntry(options);
  const templates = await loadTemplates();
  if (!templates.has(entry.template))
    throw usageError(`Unknown template ${JSON.stringify(entry.template)}. Available: ${[...templates.keys()].join(", ")}.`);
  const loaded = await loadConfig(context.cwd, templates);
  const raw: RawConfig = loaded?.raw ?? { tests: [] };
  if (loaded?.config.tests.some((test) => test.name === entry.name))
    throw usageError(
      `A test named ${entry.name} is already declared in ${CONFIG_FILE}. Choose another name, or run \`nixotel generate\` to render it again.`,
    );

  const updated: RawConfig = { ...raw, tests: [...(raw.tests ?? []), entry] };
  const config = validateConfig(updated, templates, CONFIG_FILE);
  const test = config.tests[config.tests.length - 1]!;
  const file = testFilePath(config, test);
  const absolute = await insideProject(context.cwd, file);
  if (await exists(absolute)) throw configError(`${file} already exists. Choose another name or --dir, or remove the file first.`);

  await writeFileAtomic(absolute, renderTest(config, test, templates));
  try {
    await saveConfig(loaded?.path ?? join(context.cwd, CONFIG_FILE), updated);
  } catch (error) {
    await rm(absolute, { force: true }); // leave no test that nixotel.json does not know about
    throw error;
  }
  context.stdout(
    `Created ${file} from template ${test.template} (suite ${test.suite ?? config.suite}) and recorded it in ${CONFIG_FILE}.\n`,
  );
  return 0;
}
