// What the tests of a nixotel killed mid-run share: a fixture copy whose `blocks` check waits for a gate
// file, polling (never a fixed wait) and reading the run folder as a later reader would.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as pause } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll } from "vitest";
import { startReceiver, type OtlpReceiver } from "../../support/otlp-receiver.js";
import { runRecord, type RunRecord } from "../../../src/runs/record.js";
import { copyFixture, type FlakeCopy } from "./fixture.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/** A receiver for the file's tests, and fresh copies of the `crash` fixture; whatever a failed test
 * left building ends (its gate opened) when the file's tests end. */
export function killedRunSetup() {
  const opened: string[] = [];
  const copies: FlakeCopy[] = [];
  const state = { receiver: undefined as unknown as OtlpReceiver };
  beforeAll(async () => {
    state.receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const gate of opened) await writeFile(gate, "open\n");
    await state.receiver?.close();
    for (const copy of copies) await copy.remove();
  });
  return {
    receiver: () => state.receiver,
    /** `withFailing`: the fixture's `breaks` check (it fails at once) is built too. */
    gatedFlake: (withFailing = false) => gatedFlake(withFailing, opened, copies),
  };
}

/** The built CLI (`node bin/nixotel.js`) as its own process, to be killed. */
export const nixotelProcess = (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
  execa("node", [join(ROOT, "bin", "nixotel.js"), ...args], { cwd, env, extendEnv: false, reject: false });

/** A fresh copy of the `crash` fixture whose `blocks` waits for a gate file in a folder the build user can write. */
async function gatedFlake(withFailing: boolean, opened: string[], copies: FlakeCopy[]) {
  const flake = await copyFixture("crash");
  if (withFailing) await writeFile(join(flake.dir, "failing"), "");
  copies.push(flake);
  const scratch = await mkdtemp(join(tmpdir(), "nixotel-gate-"));
  await chmod(scratch, 0o777); // nix's build users write the builder's pid beside the gate
  const gate = join(scratch, "open");
  opened.push(gate);
  await writeFile(join(flake.dir, "gate"), gate);
  copies.push({ dir: scratch, ref: "", remove: () => rm(scratch, { recursive: true, force: true }) });
  return { flake, gate };
}

/** Polls until `probe` returns a value (no fixed waits; the test's own timeout bounds it). */
export async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await pause(100);
  }
}

/** The one run folder under `base`, once it exists. */
export async function runFolder(base: string) {
  const runs = join(base, "runs");
  const ids = await readdir(runs).catch(() => [] as string[]);
  return ids.length === 1 ? join(runs, ids[0]!) : undefined;
}

export const readRecord = async (dir: string): Promise<RunRecord | undefined> => {
  const text = await readFile(join(dir, "run.json"), "utf8").catch(() => undefined);
  return text === undefined ? undefined : runRecord.parse(JSON.parse(text));
};

/** The record once check `name` is recorded with `status` and `blocks` is building. */
export const settledOneBlockedOne = (dir: string, name: string, status: "pass" | "fail") =>
  until(async () => {
    const record = await readRecord(dir);
    const done = record?.checks.some((c) => c.name === name && c.status === status);
    return done && record?.progress?.running.includes("blocks") ? record : undefined;
  });
