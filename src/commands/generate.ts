// `nixotel generate [--check] [--dry-run] [--force]`: render every declared test, never losing a hand edit.
import type { GenerateOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { configError, type ExitCode } from "../errors.js";
import { loadConfig } from "../config/load.js";
import { CONFIG_FILE } from "../config/schema.js";
import { loadTemplates } from "../render/templates.js";
import { isStale, planGenerate, type StaleFile } from "../generate/plan.js";
import { unifiedDiff } from "../generate/diff.js";
import { writeFilesAtomicSync } from "../files.js";
import { findProjectRoot } from "../config/paths.js";
import { removeStaleTemp, staleTempFiles, staleTempNote } from "../generate/stale-temp.js";

const verbOf = (file: StaleFile) => (file.state === "create" ? "create" : "update");

const isKept = (file: StaleFile) => file.state === "hand-edited" || file.state === "unmanaged";

function diffOf(file: StaleFile): string {
  return unifiedDiff(file.current ?? "", file.desired, file.current === undefined ? "/dev/null" : `a/${file.file}`, `b/${file.file}`);
}

function whyKept(file: StaleFile): string {
  return file.state === "hand-edited"
    ? "was edited by hand since nixotel generated it"
    : "was not written by nixotel (it has no nixotel header)";
}

const FIX = `move the change into ${CONFIG_FILE} or the template, or run \`nixotel generate --force\` to overwrite it`;
const keptMessage = (file: StaleFile) => `${file.file} ${whyKept(file)}; kept it as it is. To settle it, ${FIX}.\n`;
const checkMessage = (file: StaleFile) => `${file.file} ${whyKept(file)}: \`nixotel generate\` will keep it; ${FIX}.\n`;

export async function generate(options: GenerateOptions, context: Context): Promise<ExitCode> {
  const templates = await loadTemplates();
  const root = await findProjectRoot(context.cwd);
  const loaded = await loadConfig(root, templates);
  if (!loaded)
    throw configError(
      `Expected ${CONFIG_FILE} in ${context.cwd} or a folder above it, found none. Run \`nixotel new NAME --template T\` to start one.`,
    );
  const plan = planGenerate(root, loaded.config, templates);
  const stale = plan.filter(isStale);
  const leftovers = await staleTempFiles(
    root,
    plan.map((file) => file.absolute),
  );
  for (const temp of leftovers) {
    if (options.check || options.dryRun) context.stdout(`would remove ${staleTempNote(temp)}\n`);
    else {
      await removeStaleTemp(temp);
      context.stdout(`removed ${staleTempNote(temp)}\n`);
    }
  }

  if (options.check) {
    for (const file of stale) {
      context.stdout(diffOf(file));
      if (isKept(file)) context.stderr(checkMessage(file));
    }
    const regenerable = stale.filter((file) => !isKept(file)).length;
    context.stdout(
      stale.length === 0
        ? `All ${plan.length} generated test(s) match their templates.\n`
        : `${stale.length} of ${plan.length} generated test(s) differ from their templates` +
            (regenerable > 0 ? `: run \`nixotel generate\` to update ${regenerable} of them.\n` : ".\n"),
    );
    return stale.length === 0 ? 0 : 1;
  }

  const kept: StaleFile[] = [];
  const toWrite: StaleFile[] = [];
  for (const file of stale) {
    if (isKept(file) && !options.force) {
      kept.push(file);
      context.stderr(keptMessage(file));
    } else if (options.dryRun) context.stdout(`would ${verbOf(file)} ${file.file}\n${diffOf(file)}`);
    else toWrite.push(file);
  }
  // Every write has ended (written whole or not at all) before a failure is reported.
  const { written, error } = writeFilesAtomicSync(toWrite.map((file) => ({ path: file.absolute, content: file.desired })));
  toWrite.forEach((file, i) => written[i] && context.stdout(`${verbOf(file)}d ${file.file}\n`));
  if (error !== undefined) throw error;
  const unchanged = plan.length - stale.length;
  if (unchanged > 0) context.stdout(`${unchanged} test(s) already up to date.\n`);
  return kept.length === 0 ? 0 : 1;
}
