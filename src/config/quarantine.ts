// The checks nixotel.json quarantines: the top-level `quarantine` map (check name → reason or link)
// and each test entry's own `quarantine` field, in one map. No nixotel.json: nothing is quarantined.
import { loadTemplates } from "../render/templates.js";
import { loadConfig } from "./load.js";
import { findProjectRoot } from "./paths.js";
import type { Config } from "./schema.js";

export const quarantineOf = (config: Config): Record<string, string> => ({
  ...Object.fromEntries(config.tests.flatMap((t) => (t.quarantine === undefined ? [] : [[t.name, t.quarantine] as const]))),
  ...config.quarantine,
});

export async function loadQuarantine(cwd: string): Promise<Record<string, string>> {
  const loaded = await loadConfig(await findProjectRoot(cwd), await loadTemplates());
  return loaded ? quarantineOf(loaded.config) : {};
}
