// Fresh copies of fixture flakes (a nonce makes nix really build them) and an in-process nixotel.
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { main } from "../../../src/main.js";
import type { Context } from "../../../src/context.js";

export const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "flakes");

export interface FlakeCopy {
  dir: string;
  /** `path:<dir>`: a flake in a folder that is not a git repository. */
  ref: string;
  remove: () => Promise<void>;
}

export async function copyFixture(scenario: string): Promise<FlakeCopy> {
  const dir = await mkdtemp(join(tmpdir(), `nixotel-${scenario}-`));
  await cp(join(FIXTURES, scenario), dir, { recursive: true });
  await writeFile(join(dir, "nonce"), randomBytes(8).toString("hex"));
  return { dir, ref: `path:${dir}`, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The environment nix needs here, offline; without experimental features (nixotel adds them). */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NIX_CONFIG: "substituters =", ...extra };
}

export interface Invocation {
  code: number;
  stdout: string;
  stderr: string;
}

export async function nixotel(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal?: AbortSignal; onStderr?: (text: string) => void },
): Promise<Invocation> {
  let stdout = "";
  let stderr = "";
  const context: Context = {
    cwd: options.cwd,
    env: options.env,
    stdout: (text) => void (stdout += text),
    stderr: (text) => {
      stderr += text;
      options.onStderr?.(text);
    },
    interactive: false,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await main(argv, context);
  return { code, stdout, stderr };
}
