// ONE `nix build --keep-going --log-format internal-json` of every check, followed live.
// Works on Nix 2.8 (no --print-out-paths; --json prints nothing when a build failed): results come
// from the activity stream and from the store's validity afterwards, never from nix's stdout.
import { parseNixLine } from "./activity.js";
import { BuildTracker, type BuildListener } from "./builds.js";
import { NIX_FEATURES, streamTool, type ToolEnvironment } from "./process.js";

export interface NixSettings {
  jobs?: number | "auto";
  builders?: string;
  store?: string;
  evalStore?: string;
}

/** Flags for commands that touch the store (`--store`). */
export const storeArgs = (s: NixSettings) => (s.store ? ["--store", s.store] : []);

/** Flags for commands that evaluate (`--store`, `--eval-store`). */
export const evalArgs = (s: NixSettings) => [...storeArgs(s), ...(s.evalStore ? ["--eval-store", s.evalStore] : [])];

/** What `nix build` and `nix flake check` share: keep going, the activity stream, where to build. */
export function passThroughArgs(s: NixSettings): string[] {
  return [
    "--keep-going",
    // Not -L: on Nix 2.8 it overrides --log-format internal-json.
    "--log-format",
    "internal-json",
    ...(s.jobs !== undefined ? ["--max-jobs", String(s.jobs)] : []),
    ...(s.builders !== undefined ? ["--builders", s.builders] : []),
    ...evalArgs(s),
  ];
}

export function buildArgs(installables: readonly string[], s: NixSettings): string[] {
  return [...NIX_FEATURES, "build", "--no-link", ...passThroughArgs(s), ...installables];
}

export interface BuildRun {
  tracker: BuildTracker;
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

export interface BuildOptions extends ToolEnvironment {
  settings: NixSettings;
  signal: AbortSignal;
  timeoutSeconds?: number;
  listener?: BuildListener;
}

export async function buildChecks(installables: readonly string[], options: BuildOptions): Promise<BuildRun> {
  const tracker = new BuildTracker(options.listener);
  const result = await whileStoppable(tracker, options, () =>
    streamTool("nix", buildArgs(installables, options.settings), {
      cwd: options.cwd,
      env: options.env,
      signal: options.signal,
      ...(options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
      onStderrLine: (line) => tracker.handle(parseNixLine(line)),
    }),
  );
  tracker.closeOpen();
  if (result.timedOut || result.cancelled) tracker.stopped();
  return { tracker, ...result };
}

/** Runs nix, telling the tracker when a signal or the timeout starts stopping it (what nix reports
 * about its builds after that is about builds it killed). */
export async function whileStoppable<T>(
  tracker: BuildTracker,
  options: { signal: AbortSignal; timeoutSeconds?: number },
  running: () => Promise<T>,
): Promise<T> {
  const stopping = () => tracker.stopping();
  options.signal.addEventListener("abort", stopping, { once: true });
  const timer = options.timeoutSeconds ? setTimeout(stopping, options.timeoutSeconds * 1000) : undefined;
  try {
    return await running();
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", stopping);
  }
}
