// services.grafana-alloy evaluated offline through the module-system MOCK in ./module-eval.nix.
import { join } from "node:path";
import { evalJson, repoRoot } from "../nix-eval.js";

const mock = join(repoRoot, "tests/nix/support/module-eval.nix");
const module = join(repoRoot, "modules/services/grafana-alloy.nix");

export interface ModuleResult {
  configText: string;
  startScript: string;
  loadCredential: string[];
}

const evaluation = (settings: string) => `(import ${mock} { module = ${module}; settings = ${settings}; })`;

/** The assertion messages that fail for these settings (a Nix attribute set, as source). */
export const failedAssertions = async (settings: string) => (await evalJson(`${evaluation(settings)}.failedAssertions`)) as string[];

/** The rendered config, the unit's start script and its credentials, for settings that pass. */
export const evalModule = async (settings: string) =>
  (await evalJson(`let r = ${evaluation(settings)}; in { inherit (r) configText startScript loadCredential; }`)) as ModuleResult;

/** The `--stability.level` the unit passes to `alloy run` (Alloy's default when absent). */
export const stabilityLevelOf = (startScript: string) => /'--stability\.level=([a-z-]+)'/.exec(startScript)?.[1] ?? "generally-available";
