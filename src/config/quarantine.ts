// The checks nixotel.json quarantines: the top-level `quarantine` map (check name → reason or link)
// and each test entry's own `quarantine` field, in one map. No nixotel.json: nothing is quarantined.
// The run's log limits come from the same file (the defaults, src/logs/model.ts, without one).
import { access } from "node:fs/promises";
import { join } from "node:path";
import { isErrno } from "../files.js";
import { CONFIG_FILE } from "./file-name.js";
import { findProjectRoot } from "./paths.js";
import type { Config } from "./schema.js";
import type { LogLimits } from "../logs/model.js";

export const quarantineOf = (config: Config): Record<string, string> => ({
  ...Object.fromEntries(config.tests.flatMap((t) => (t.quarantine === undefined ? [] : [[t.name, t.quarantine] as const]))),
  ...config.quarantine,
});

/** What a run takes from nixotel.json: the quarantined checks and the per-check log limits. The config's
 * schema and the templates load only when there is a nixotel.json (most flakes run by `nixotel run` have
 * none, and loading them would delay the first nix call). */
export async function loadRunSettings(cwd: string): Promise<{ quarantine: Record<string, string>; logLimits?: LogLimits }> {
  const none = { quarantine: {} };
  const root = await findProjectRoot(cwd);
  if (!(await exists(join(root, CONFIG_FILE)))) return none;
  const [{ loadConfig }, { loadTemplates }] = await Promise.all([import("./load.js"), import("../render/templates.js")]);
  const loaded = await loadConfig(root, await loadTemplates());
  return loaded ? { quarantine: quarantineOf(loaded.config), logLimits: loaded.config.logs } : none;
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
