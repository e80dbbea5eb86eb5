// Running `nix` commands whose output is read whole: stdout as text or as JSON of a known shape.
import type { z } from "zod";
import { environmentError, expected } from "../errors.js";
import { runTool, type ToolEnvironment } from "../process.js";
import { stripAnsi } from "./activity.js";

/** Flags every `nix` call gets so users without flakes enabled in nix.conf still work (2.4+ syntax). */
export const NIX_FEATURES = ["--extra-experimental-features", "nix-command flakes"] as const;

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
