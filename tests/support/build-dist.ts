// vitest globalSetup: build dist/ once, before any test runs, so tests that spawn bin/nixotel.js use
// the current sources and no test rebuilds it while another is running it.
import { execFileSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const root = join(import.meta.dirname, "..", "..");
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  // The templates compiled at build time (src/render/precompiled.ts): the CLI renders from them.
  execFileSync(process.execPath, ["scripts/precompile-templates.mjs"], { cwd: root, stdio: "inherit" });
  // The report page's scripts, which the page inlines from dist/ (see package.json's build).
  execFileSync(join(root, "node_modules", ".bin", "rolldown"), ["-c", "rolldown.config.mjs"], { cwd: root, stdio: "inherit" });
}
