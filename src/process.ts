// The one module that starts subprocesses (execa, argv arrays, never a shell string).
import { execa, ExecaError, type ResultPromise } from "execa";
import type { z } from "zod";
import { environmentError, expected } from "./errors.js";
import { stripAnsi } from "./nix/activity.js";

export interface ToolEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Flags every `nix` call gets so users without flakes enabled in nix.conf still work (2.4+ syntax). */
export const NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"] as const;

function isMissing(error: unknown): boolean {
  return error instanceof ExecaError && error.code === "ENOENT";
}

const missing = (file: string, env: NodeJS.ProcessEnv, cause: unknown) =>
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

/** Runs `nix …` and returns stdout; a non-zero exit is an environment error carrying nix's message. */
export async function nixOutput(args: readonly string[], where: ToolEnvironment, what: string): Promise<string> {
  const result = await runTool("nix", [...NIX_FEATURES, ...args], where);
  if (result.exitCode !== 0) {
    const fix = "Fix what nix says below (the same nix command with --show-trace shows where it comes from).";
    throw environmentError(
      `${what}: ${expected(`\`nix ${args[0] ?? ""}\` to exit 0`, result.exitCode, fix)}\n${nixMessage(result.stderr)}`,
    );
  }
  return result.stdout;
}

/** Runs `nix …` and reads its stdout as JSON of the given shape; anything else is an environment error. */
export async function nixJson<T>(args: readonly string[], where: ToolEnvironment, what: string, shape: z.ZodType<T>): Promise<T> {
  return parseNixJson(await nixOutput(args, where, what), `nix ${args[0] ?? ""} …`, what, shape);
}

const NOT_JSON_FIX =
  "Run the command by hand to see what else prints to stdout (a `nix` wrapper, a shell hook), or whether this nix is older than 2.4.";

/** `stdout` of `command` as JSON of the given shape; the error names the first 200 characters that came. */
export function parseNixJson<T>(stdout: string, command: string, what: string, shape: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch (error) {
    throw environmentError(`${what}: ${expected(`JSON from \`${command}\``, stdout.slice(0, 200), NOT_JSON_FIX)}`, error);
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
    throw environmentError(
      `${what}: ${expected(`JSON from \`${command}\` of the shape nixotel asks for (${where})`, stdout.slice(0, 200), NOT_JSON_FIX)}`,
      parsed.error,
    );
  }
  return parsed.data;
}

/** nix's error text without colours or the `--show-trace` hint. */
export const nixMessage = (stderr: string) =>
  stripAnsi(stderr)
    .split("\n")
    .filter((line) => line.trim() && !line.includes("--show-trace"))
    .join("\n");

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
  } catch {
    return false;
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
