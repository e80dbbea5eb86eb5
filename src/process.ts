// The one module that starts subprocesses (nix, git, the desktop opener): argv arrays, never a shell
// string. What nix's output means lives in src/nix; what git's means in src/vcs.ts. A tool run to its
// end (runTool) is started with node's own spawn, so a run's first nix call does not wait for execa to
// load (~20-40 ms); the long-running and detached ones use execa, loaded on first use, and a stream's
// stderr is split into lines here, several times faster than execa's `lines` option.
import { spawn } from "node:child_process";
import type { ResultPromise } from "execa";
import { environmentError, expected } from "./errors.js";
import { isErrno } from "./files.js";
import { splitLines } from "./stream-lines.js";

const loadExeca = () => import("execa");

/** Resolves once the tools can be started (execa loaded): work queued after it waits behind a first call. */
export const toolsLoaded = (): Promise<unknown> => loadExeca();

export interface ToolEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Stops the tool (runTool): a call started early whose answer is no longer wanted. */
  signal?: AbortSignal;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// execa's errors carry the spawn error's code (ENOENT: not on PATH).
const isMissing = (error: unknown): boolean => isErrno(error, "ENOENT");

export const missing = (file: string, env: NodeJS.ProcessEnv, cause: unknown) =>
  environmentError(
    `Could not run \`${file}\`: it is not on PATH (${env.PATH ?? "PATH unset"}). Install Nix (https://nixos.org/download) or put it on PATH.`,
    cause,
  );

/** Runs a tool to completion; a missing tool is an environment error, any exit code is returned. Its
 * output as text, without the final newline (as execa gave it). */
export function runTool(file: string, args: readonly string[], where: ToolEnvironment): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: where.cwd,
      env: where.env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(where.signal ? { signal: where.signal } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    // Not started (ENOENT), or stopped through `where.signal` (AbortError); `close` follows, too late.
    child.once("error", (error) => reject(isMissing(error) ? missing(file, where.env, error) : error));
    child.once("close", (code, signal) => {
      if (code === null) {
        const fix = "Something outside nixotel stopped it (a signal to its process); run nixotel again.";
        return reject(environmentError(expected(`\`${file}\` to run to its end`, `stopped by ${signal ?? "a signal"}`, fix)));
      }
      resolve({ exitCode: code, stdout: textOf(stdout), stderr: textOf(stderr) });
    });
  });
}

const textOf = (chunks: Buffer[]) =>
  Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");

/** The desktop's "open this file" command: `open` on macOS, `xdg-open` elsewhere. */
export const desktopOpener = (platform: NodeJS.Platform = process.platform) => (platform === "darwin" ? "open" : "xdg-open");

/** How a detached start went: it exited 0, is still running after the grace period, or failed. */
export type Launch = { state: "exited" } | { state: "running" } | { state: "failed"; reason: string };

/** Starts a program that may outlive nixotel (a browser may run for hours): detached, no stdio. An
 * opener that fails (no browser: xdg-open exits 3) does so at once, so its exit is awaited `graceMs`. */
export async function spawnDetached(file: string, args: readonly string[], env: NodeJS.ProcessEnv, graceMs = 3000): Promise<Launch> {
  const { execa } = await loadExeca();
  const child = execa(file, [...args], { detached: true, stdio: "ignore", env, extendEnv: false, reject: false });
  const exited = child.then((result) => result);
  const timer = new Promise<"running">((resolve) => setTimeout(() => resolve("running"), graceMs).unref());
  const result = await Promise.race([exited, timer]);
  child.unref();
  if (result === "running") return { state: "running" };
  if (result.exitCode === 0) return { state: "exited" };
  if (result.exitCode !== undefined) return { state: "failed", reason: `${file} exited ${result.exitCode}` };
  const error = result.cause;
  // not installed, or not executable
  if (isErrno(error, "ENOENT", "EACCES")) return { state: "failed", reason: `${file} is not on PATH (or not executable)` };
  throw error;
}

export interface StreamOptions extends ToolEnvironment {
  signal: AbortSignal;
  timeoutMs?: number;
  onStderrLine: (line: string) => void;
  /** Called before the lines of each chunk read from stderr: they all arrived at that moment. */
  onChunk?: () => void;
}

export interface StreamResult {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

// A long-running tool must stop with nixotel. Nix 2.8 blocks SIGPIPE and ignores failed writes to
// stderr, so a nix whose nixotel was killed (SIGKILL, OOM: no handler runs) builds on for hours,
// orphaned. On Linux `setpriv --pdeathsig TERM` (util-linux) makes the kernel send the tool SIGTERM when
// nixotel dies; nix then stops its builds as on Ctrl-C. Without setpriv (macOS) the tool runs as it is.
const PARENT_DEATH_SIGNAL = ["--pdeathsig", "TERM"] as const;
let parentDeathGuard: Promise<boolean> | undefined;

/** Whether `setpriv --pdeathsig` works here (asked once per process). */
function canGuardParentDeath(env: NodeJS.ProcessEnv): Promise<boolean> {
  parentDeathGuard ??= loadExeca()
    .then(({ execa }) => execa("setpriv", [...PARENT_DEATH_SIGNAL, "true"], { env, extendEnv: false, reject: false, stdin: "ignore" }))
    .then((result) => result.exitCode === 0);
  return parentDeathGuard;
}

/** setpriv's own message when it could not start the tool (`setpriv: failed to execute nix: No such file …`). */
const SETPRIV_MISSING = /^setpriv: failed to execute .*No such file/;

/** Starts a long-running tool, handing each stderr line over as it arrives; stops it on signal/timeout,
 * and (where setpriv is) when nixotel dies. */
export async function streamTool(file: string, args: readonly string[], options: StreamOptions): Promise<StreamResult> {
  const { execa } = await loadExeca();
  let child: ResultPromise;
  const guarded = await canGuardParentDeath(options.env);
  const [command, argv] = guarded ? ["setpriv", [...PARENT_DEATH_SIGNAL, file, ...args]] : [file, [...args]];
  let notStarted = false;
  try {
    child = execa(command, argv, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      stdout: "ignore",
      buffer: false,
      cancelSignal: options.signal,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      forceKillAfterDelay: 10_000,
    });
  } catch (error) {
    if (isMissing(error)) throw missing(file, options.env, error);
    throw error;
  }
  const onLine = (line: string) => {
    if (guarded && SETPRIV_MISSING.test(line)) notStarted = true;
    else options.onStderrLine(line);
  };
  const reading = splitLines(child.stderr!, onLine, options.onChunk);
  const result = await child;
  await reading;
  if (notStarted) throw missing(file, options.env, result);
  if (result.failed && result.exitCode === undefined && !result.isCanceled && !result.timedOut) {
    if (isMissing(result)) throw missing(file, options.env, result);
    throw environmentError(`Could not run \`${file}\`: ${result.message}`, result);
  }
  return { exitCode: result.exitCode ?? 1, timedOut: result.timedOut, cancelled: result.isCanceled };
}

/** Whether a process with this id runs on this machine (EPERM: it does, under another user). Lets a
 * command tell a file left by a killed nixotel (named after its process id) from one still in use. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if (isErrno(error, "ESRCH")) return false;
    if (isErrno(error, "EPERM")) return true;
    throw error;
  }
}
