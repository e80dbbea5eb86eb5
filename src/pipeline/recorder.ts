// The last step of a run, started before nix so its slow parts overlap the builds: the git facts,
// the OTel SDK and the report writers load while nix works. Bad OTEL_* settings fail before anything
// is built.
import type { Context } from "../context.js";
import { exporterSettings } from "../export/config.js";
import { flakeFolder, gitFacts } from "../vcs.js";
import type { FinishedRun, RunResult } from "./record-run.js";

export interface Recorder {
  /** Writes spans.jsonl, JUnit and run.json, exports, prints the summary. */
  record(run: FinishedRun): Promise<RunResult>;
}

/** Git facts come from the flake's folder when the flake is local (its repository is what was tested),
 * else from the working directory. */
export function startRecorder(context: Context, flake: string): Recorder {
  const settings = exporterSettings(context.env);
  const vcs = gitFacts({ cwd: flakeFolder(flake, context.cwd) ?? context.cwd, env: context.env });
  const modules = Promise.all([import("../export/export-run.js"), import("./record-run.js")]);
  return {
    async record(run) {
      const [exporting, recording] = await modules;
      return recording.recordRun(run, { vcs: await vcs, settings, exporting }, context);
    },
  };
}
