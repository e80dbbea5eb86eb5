// Work a run starts before nix does, so it overlaps nix's evaluation and builds: the git facts, the
// OTel SDK (slow to load), and the code that finishes the run (zod and the report writers).
import type { Context } from "../context.js";
import { exporterSettings, type ExporterSettings } from "../export/config.js";
import type { Attributes } from "../spans/model.js";
import { flakeFolder, gitFacts } from "../spans/resource.js";

export interface Telemetry {
  vcs: Promise<Attributes>;
  exporting: Promise<typeof import("../export/export-run.js")>;
  finishing: Promise<typeof import("./finish-run.js")>;
  settings: ExporterSettings;
}

/** Git facts come from the flake's folder when the flake is local (its repository is what was tested),
 * else from the working directory. */
export function startTelemetry(context: Context, flake: string): Telemetry {
  return {
    vcs: gitFacts({ cwd: flakeFolder(flake, context.cwd) ?? context.cwd, env: context.env }), // never fails
    exporting: import("../export/export-run.js"),
    finishing: import("./finish-run.js"),
    settings: exporterSettings(context.env), // bad OTEL_* settings fail before anything is built
  };
}
