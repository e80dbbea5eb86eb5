// The run's record, started before nix so its slow parts overlap the builds (the git facts, the OTel
// SDK and the report writers load while nix works, after nix was started) and so each check is written
// as it settles. Bad OTEL_* settings and a run folder that
// cannot be written fail before anything is built.
import type { Clock } from "../clock.js";
import type { Context } from "../context.js";
import { exporterSettings } from "../export/config.js";
import { newRunId, resolveOutDir, runPaths } from "../runs/files.js";
import { createRunFolder, removeIfEmpty, removeWriteProbe } from "../runs/run-folder.js";
import { toolsLoaded } from "../process.js";
import { flakeFolder, gitFacts } from "../vcs.js";
import { expected } from "../errors.js";
import { runResource } from "../spans/resource.js";
import { incomingTraceparent } from "../spans/trace-context.js";
import type { FinishedRun, RunResult } from "./record-run.js";
import type { RunRequest, RunStream } from "./request.js";
import { StreamingRecord } from "./streaming-record.js";

export interface Recorder {
  /** What drivers tell while nix builds: each settled check is written at once. */
  stream: RunStream;
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
  const logSettings = exporterSettings(context.env, "logs");
  const runId = newRunId(new Date(Number(clock() / 1_000_000n)));
  const paths = runPaths(resolveOutDir(context.cwd, request.out), runId);
  await createRunFolder(paths);
  const vcs = gitFacts({ cwd: flakeFolder(request.flake, context.cwd) ?? context.cwd, env: context.env });
  const importWriters = () => import("./record-run.js");
  let recording: ReturnType<typeof importWriters> | undefined;
  const load = () => (recording ??= importWriters());
  const parent = parentFromCi(context);
  const resource = vcs.then((facts) => runResource(context.env, facts));
  resource.catch(() => undefined); // awaited (and its failure met) when the first check is written
  const stream = new StreamingRecord({
    runId,
    paths,
    settings,
    logSettings,
    request,
    context,
    clock,
    resource,
    ...(parent ? { parent } : {}),
  });
  return {
    stream,
    prepare() {
      // After execa: the driver's first nix call, already waiting for it, goes first. record() awaits
      // the same promise and reports a failed load there.
      toolsLoaded()
        .then(load)
        .then(undefined, () => undefined);
    },
    async record(run) {
      await removeWriteProbe(paths); // every evaluation of the run is over
      return (await load()).recordRun(run, { settings, logSettings, runId, paths, stream, vcs: await vcs }, context);
    },
    async abandon() {
      await removeWriteProbe(paths);
      await removeIfEmpty(paths);
    },
  };
}

/** The CI job's span (TRACEPARENT), when it names one; a value that does not is said, and ignored. */
function parentFromCi(context: Context) {
  const incoming = incomingTraceparent(context.env);
  if (incoming.kind === "invalid")
    context.stderr(
      `nixotel: ${expected("TRACEPARENT to be 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>", incoming.raw, "The run starts a trace of its own.")}\n`,
    );
  return incoming.kind === "parent" ? incoming.parent : undefined;
}
