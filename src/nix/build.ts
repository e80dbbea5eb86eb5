// ONE `nix build --keep-going --log-format internal-json` of every check, followed live.
// Works on Nix 2.8 (no --print-out-paths; --json prints nothing when a build failed): results come
// from the activity stream and from the store's validity afterwards, never from nix's stdout.
import { parseNixLine, type NixEvent } from "./activity.js";
import { BuildTracker, type BuildListener } from "./builds.js";
import { CacheTracker } from "./cache-activity.js";
import { streamTool, type StreamResult, type ToolEnvironment } from "../process.js";
import { nowNs, type Clock } from "../clock.js";
import { NIX_FEATURES } from "./command.js";
import { evalArgs, type NixSettings } from "./store-args.js";

export { evalArgs, storeArgs, type NixSettings } from "./store-args.js";

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
  /** Binary cache queries and substitutions: the time nix spends not building. */
  cache: CacheTracker;
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

/** What a building nix command (`nix build`, `nix flake check`) is run with. */
export interface NixStreamOptions extends ToolEnvironment {
  settings: NixSettings & { system?: string };
  signal: AbortSignal;
  timeoutSeconds?: number;
  listener?: BuildListener;
}

/** The options `run` and `check` give nix: the command's settings and --timeout, its stop signal, the progress shown. */
export function nixStreamOptions(
  settings: NixSettings & { system?: string; timeout?: number },
  context: ToolEnvironment & { signal: AbortSignal },
  listener: BuildListener,
): NixStreamOptions {
  return {
    cwd: context.cwd,
    env: context.env,
    settings,
    signal: context.signal,
    ...(settings.timeout ? { timeoutSeconds: settings.timeout } : {}),
    listener,
  };
}

/** The time nix's output last arrived: the lines of one read from the pipe came together, so they
 * share one time, and the wall clock is read once per read rather than once per line. */
export interface ArrivalClock {
  now: Clock;
  /** Output arrived (or nix ended): the time is now. */
  tick: () => void;
}

export function arrivalClock(clock: Clock = nowNs): ArrivalClock {
  let time = clock();
  return { now: () => time, tick: () => void (time = clock()) };
}

export async function buildChecks(installables: readonly string[], options: NixStreamOptions): Promise<BuildRun> {
  const arrival = arrivalClock();
  const tracker = new BuildTracker(options.listener, arrival.now);
  return streamNix(buildArgs(installables, options.settings), tracker, (event) => tracker.handle(event), options, arrival);
}

/** What each stderr line of a building nix command goes through: parsed once, then followed by the
 * cache tracker and the command's own handler. */
export const nixLineHandler = (cache: CacheTracker, handle: (event: NixEvent) => void) => (line: string) => {
  const event = parseNixLine(line);
  cache.handle(event);
  handle(event);
};

/**
 * Runs a building nix command to its end, handing each stderr line to `handle` as an event. The
 * tracker is told when a signal or the timeout starts stopping nix (what nix reports about its builds
 * after that is about builds it killed), and afterwards which builds nix left open or cut short.
 */
export async function streamNix(
  args: readonly string[],
  tracker: BuildTracker,
  handle: (event: NixEvent) => void,
  options: NixStreamOptions,
  arrival: ArrivalClock,
): Promise<BuildRun> {
  const stopping = () => tracker.stopping();
  options.signal.addEventListener("abort", stopping, { once: true });
  const timer = options.timeoutSeconds ? setTimeout(stopping, options.timeoutSeconds * 1000) : undefined;
  const cache = new CacheTracker(arrival.now);
  let result: StreamResult;
  try {
    result = await streamTool("nix", args, {
      cwd: options.cwd,
      env: options.env,
      signal: options.signal,
      ...(options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
      onStderrLine: nixLineHandler(cache, handle),
      onChunk: arrival.tick,
    });
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener("abort", stopping);
  }
  arrival.tick(); // what nix left open ends when nix did
  tracker.closeOpen();
  cache.closeOpen();
  if (result.timedOut || result.cancelled) tracker.stopped();
  return { tracker, cache, ...result };
}
