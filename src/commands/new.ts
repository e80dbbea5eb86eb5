// `nixotel new NAME [--template T] [--suite S] [--dir D]`: render one test and record it in nixotel.json.
import { lstat, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import type { NewOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { configError, NixotelError, type ExitCode } from "../errors.js";
import { loadConfig, saveConfig, validateConfig } from "../config/load.js";
import { CONFIG_FILE, DEFAULT_TEMPLATE, testEntry, type RawConfig, type RawTestEntry } from "../config/schema.js";
import { formatIssues } from "../config/problems.js";
import { PROJECT_WORDING } from "../config/issue-message.js";
import { findProjectRoot, inGitWorkTree, insideProject, testFilePath } from "../config/paths.js";
import { loadTemplates, type TemplateInfo } from "../render/templates.js";
import { renderTest } from "../generate/plan.js";
import { writeFileAtomic } from "../files.js";

// lstat, not access: a dangling symlink is there too, and is not ours to replace.
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

/** The entry for nixotel.json, or every problem with it at once (exit 2). */
function newEntry(options: NewOptions, template: string, templates: ReadonlyMap<string, TemplateInfo>): RawTestEntry {
  const entry: RawTestEntry = { name: options.name, template };
  if (options.suite !== undefined) entry.suite = options.suite;
  if (options.dir !== undefined) entry.dir = options.dir;
  const parsed = testEntry.safeParse(entry, PROJECT_WORDING);
  const problems = parsed.success ? [] : formatIssues(parsed.error);
  if (!templates.has(template)) problems.push(`template: unknown template "${template}"; available: ${[...templates.keys()].join(", ")}`);
  if (problems.length > 0) throw new NixotelError("USAGE", `Cannot create test ${JSON.stringify(options.name)}. Fix these:`, { problems });
  return entry;
}

export async function newTest(options: NewOptions, context: Context): Promise<ExitCode> {
  const root = await findProjectRoot(context.cwd);
  const templates = await loadTemplates();
  const loaded = await loadConfig(root, templates);
  const entry = newEntry(options, options.template ?? loaded?.config.defaultTemplate ?? DEFAULT_TEMPLATE, templates);
  const raw: RawConfig = loaded?.raw ?? { tests: [] };
  if (loaded?.config.tests.some((test) => test.name === entry.name))
    throw configError(
      `A test named ${entry.name} is already declared in ${CONFIG_FILE}. Choose another name, or run \`nixotel generate\` to render it again.`,
    );

  const updated: RawConfig = { ...raw, tests: [...(raw.tests ?? []), entry] };
  const config = validateConfig(updated, templates, CONFIG_FILE);
  const test = config.tests[config.tests.length - 1]!;
  const file = testFilePath(config, test);
  const absolute = await insideProject(root, file);
  if (await exists(absolute)) throw configError(`${file} already exists. Choose another name or --dir, or remove the file first.`);

  await writeFileAtomic(absolute, renderTest(config, test, templates));
  try {
    await saveConfig(loaded?.path ?? join(root, CONFIG_FILE), updated);
  } catch (error) {
    await rm(absolute, { force: true }); // leave no test that nixotel.json does not know about
    throw error;
  }
  const where = relative(context.cwd, join(root, file)); // as the user would type it from where they are
  context.stdout(
    `Created ${where} from template ${test.template} (suite ${test.suite ?? config.suite}) and recorded it in ${CONFIG_FILE}.\n`,
  );
  // In a git repository a flake sees only tracked files: an untracked test is not a check yet.
  if (await inGitWorkTree(root)) context.stdout(`Run \`git add ${where}\` so that nix (flake checks) sees it.\n`);
  return 0;
}
