// The checks nixotel.json quarantines: the top-level `quarantine` map (check name → reason or link)
// and each test entry's own `quarantine` field, in one map. No nixotel.json: nothing is quarantined.
// The run's log limits come from the same file (defaults without one).
import { loadTemplates } from "../render/templates.js";
import { loadConfig } from "./load.js";
import { findProjectRoot } from "./paths.js";
import type { Config } from "./schema.js";
import { DEFAULT_LOG_LIMITS, type LogLimits } from "../logs/model.js";

export const quarantineOf = (config: Config): Record<string, string> => ({
  ...Object.fromEntries(config.tests.flatMap((t) => (t.quarantine === undefined ? [] : [[t.name, t.quarantine] as const]))),
  ...config.quarantine,
});

/** What a run takes from nixotel.json: the quarantined checks and the per-check log limits. */
export async function loadRunSettings(cwd: string): Promise<{ quarantine: Record<string, string>; logLimits: LogLimits }> {
  const loaded = await loadConfig(await findProjectRoot(cwd), await loadTemplates());
  return loaded
    ? { quarantine: quarantineOf(loaded.config), logLimits: loaded.config.logs }
    : { quarantine: {}, logLimits: DEFAULT_LOG_LIMITS };
}
