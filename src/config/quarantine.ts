// The checks nixotel.json quarantines: the top-level `quarantine` map (check name → reason or link)
// and each test entry's own `quarantine` field, in one map. No nixotel.json: nothing is quarantined.
import { access } from "node:fs/promises";
import { join } from "node:path";
import { isErrno } from "../files.js";
import { CONFIG_FILE } from "./file-name.js";
import { findProjectRoot } from "./paths.js";
import type { Config } from "./schema.js";

export const quarantineOf = (config: Config): Record<string, string> => ({
  ...Object.fromEntries(config.tests.flatMap((t) => (t.quarantine === undefined ? [] : [[t.name, t.quarantine] as const]))),
  ...config.quarantine,
});

/** The quarantined checks; the config's schema and the templates load only when there is a nixotel.json
 * (most flakes run by `nixotel run` have none, and loading them would delay the first nix call). */
export async function loadQuarantine(cwd: string): Promise<Record<string, string>> {
  const root = await findProjectRoot(cwd);
  if (!(await exists(join(root, CONFIG_FILE)))) return {};
  const [{ loadConfig }, { loadTemplates }] = await Promise.all([import("./load.js"), import("../render/templates.js")]);
  const loaded = await loadConfig(root, await loadTemplates());
  return loaded ? quarantineOf(loaded.config) : {};
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT")) return false;
    throw error;
  }
}
