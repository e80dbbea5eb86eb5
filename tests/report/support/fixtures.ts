// Fixture runs on disk: tests/fixtures/runs/<scenario>/, and copies of them in temporary out dirs
// (under runs/<id>/, where `nixotel report ID` and `latest` look).
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "../../../src/context.js";

export const FIXTURE_RUNS = fileURLToPath(new URL("../../fixtures/runs/", import.meta.url));
export const MIXED_ID = "20261125T101500Z-3fa9c2";

export async function tempOutDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-report-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies fixture `scenario` into `<outDir>/runs/<id>`. */
export async function installRun(outDir: string, scenario: string, id: string): Promise<string> {
  const target = join(outDir, "runs", id);
  await cp(join(FIXTURE_RUNS, scenario), target, { recursive: true });
  return target;
}

export interface Captured {
  context: Context;
  stdout: () => string;
  stderr: () => string;
}

export function captureContext(cwd: string, env: NodeJS.ProcessEnv = {}): Captured {
  let out = "";
  let err = "";
  return {
    context: {
      cwd,
      env,
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      interactive: false,
      signal: new AbortController().signal,
    },
    stdout: () => out,
    stderr: () => err,
  };
}
