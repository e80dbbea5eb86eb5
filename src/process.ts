// The one module that starts subprocesses (nix, git, the desktop opener): execa, argv arrays, never a
// shell string. What nix's output means lives in src/nix; what git's means in src/vcs.ts.
import { execa, ExecaError, type ResultPromise } from "execa";
import { environmentError } from "./errors.js";
import { isErrno } from "./files.js";

export interface ToolEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function isMissing(error: unknown): boolean {
  return error instanceof ExecaError && error.code === "ENOENT";
}

export const missing = (file: string, env: NodeJS.ProcessEnv, cause: unknown) =>
  environmentError(
    `Could not run \`${file}\`: it is not on PATH (${env.PATH ?? "PATH unset"}). Install Nix (https://nixos.org/download) or put it on PATH.`,
    cause,
  );

/** Runs a tool to completion; a missing tool is an environment error, any exit code is returned. */
export async function runTool(file: string, args: readonly string[], where: ToolEnvironment): Promise<ToolResult> {
  try {
    const result = await execa(file, [...args], { cwd: where.cwd, env: where.env, extendEnv: false, reject: false, stdin: "ignore" });
    if (result.failed && result.exitCode === undefined) throw result;
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
  } catch (error) {
    if (isMissing(error)) throw missing(file, where.env, error);
    throw error;
  }
}

/** The desktop's "open this file" command: `open` on macOS, `xdg-open` elsewhere. */
export const desktopOpener = (platform: NodeJS.Platform = process.platform) => (platform === "darwin" ? "open" : "xdg-open");

/** Starts a program that outlives nixotel (a browser may run for hours): detached, no stdio, never
 * awaited beyond its start. False when it could not be started (not on PATH, not executable). */
export async function spawnDetached(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const child = execa(file, [...args], { detached: true, stdio: "ignore", env, extendEnv: false, reject: false });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", reject);
    });
    child.unref();
    return true;
  } catch (error) {
    if (isErrno(error, "ENOENT", "EACCES")) return false; // not installed, or not executable
    throw error;
  }
}

export interface StreamOptions extends ToolEnvironment {
  signal: AbortSignal;
  timeoutMs?: number;
  onStderrLine: (line: string) => void;
}

export interface StreamResult {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

/** Starts a long-running tool, handing each stderr line over as it arrives; stops it on signal/timeout. */
export async function streamTool(file: string, args: readonly string[], options: StreamOptions): Promise<StreamResult> {
  let child: ResultPromise;
  try {
    child = execa(file, [...args], {
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
      lines: true,
    });
  } catch (error) {
    if (isMissing(error)) throw missing(file, options.env, error);
    throw error;
  }
  const reading = (async () => {
    for await (const line of child.iterable({ from: "stderr" })) options.onStderrLine(String(line));
  })();
  const result = await child;
  await reading.catch(() => undefined);
  if (result.failed && result.exitCode === undefined && !result.isCanceled && !result.timedOut) {
    if (isMissing(result)) throw missing(file, options.env, result);
    throw environmentError(`Could not run \`${file}\`: ${result.message}`, result);
  }
  return { exitCode: result.exitCode ?? 1, timedOut: result.timedOut, cancelled: result.isCanceled };
}
