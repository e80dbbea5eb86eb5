// The last step of a run, started before nix so its slow parts overlap the builds: the git facts,
// the OTel SDK and the report writers load while nix works (after nix was started). Bad OTEL_* settings and a run folder that
// cannot be written fail before anything is built.
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import { exporterSettings } from "../export/config.js";
import { newRunId, resolveOutDir, runPaths } from "../runs/files.js";
import { createRunFolder, removeIfEmpty } from "../runs/run-folder.js";
import { toolsLoaded } from "../process.js";
import { flakeFolder, gitFacts } from "../vcs.js";
import type { FinishedRun, RunResult } from "./record-run.js";
import type { RunRequest } from "./request.js";

export interface Recorder {
  /** Starts loading the writers (the OTel SDK, the report writers) so they are ready when the builds
   * end; called once nix has been started, since loading them first would delay it (issue 14). */
  prepare(): void;
  /** Writes spans.jsonl, JUnit and run.json, exports, prints the summary. */
  record(run: FinishedRun): Promise<RunResult>;
  /** The run ended without a record (nix could not start, a bad check name): its empty folder goes. */
  abandon(): Promise<void>;
}

/** Git facts come from the flake's folder when the flake is local (its repository is what was tested),
 * else from the working directory. */
export async function startRecorder(context: Context, request: RunRequest, clock: Clock): Promise<Recorder> {
  const settings = exporterSettings(context.env);
  const runId = newRunId(new Date(Number(clock() / 1_000_000n)));
  const paths = runPaths(resolveOutDir(context.cwd, request.out), runId);
  await createRunFolder(paths);
  const vcs = gitFacts({ cwd: flakeFolder(request.flake, context.cwd) ?? context.cwd, env: context.env });
  const importWriters = () => Promise.all([import("../export/export-run.js"), import("./record-run.js")]);
  let modules: ReturnType<typeof importWriters> | undefined;
  const load = () => (modules ??= importWriters());
  return {
    prepare() {
      // After execa: the driver's first nix call, already waiting for it, goes first. record() awaits
      // the same promise and reports a failed load there.
      toolsLoaded()
        .then(load)
        .then(undefined, () => undefined);
    },
    async record(run) {
      const [exporting, recording] = await load();
      return recording.recordRun(run, { vcs: await vcs, settings, exporting, runId, paths }, context);
    },
    abandon: () => removeIfEmpty(paths),
  };
}
