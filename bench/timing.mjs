// Timing helpers for the benchmark scripts: wall time of a command, time to its first stderr byte,
// medians, and what the machine looked like while it ran (it is shared: the load is part of a figure).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `file args` to its end. Resolves with the wall time in seconds, the time to its first stderr
 * byte (undefined when it printed none) and its exit code.
 * @param {string} file
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export function timed(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let firstOutput;
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", () => (firstOutput ??= Number(process.hrtime.bigint() - start) / 1e9));
    child.once("error", reject);
    child.once("close", (code) => resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, firstOutput, code }));
  });
}

const GNU_TIME = "/usr/bin/time";

/**
 * timed(), plus the CPU seconds (user + system) the command used, through GNU time when the machine
 * has it (`cpu` undefined otherwise): at a load of 10 on 2 cores wall time mostly measures waiting.
 * @param {string} file
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 */
export async function cpuTimed(file, args, options = {}) {
  if (!existsSync(GNU_TIME)) return timed(file, args, options);
  const dir = await mkdtemp(join(tmpdir(), "nixotel-cpu-"));
  try {
    const out = join(dir, "cpu");
    const result = await timed(GNU_TIME, ["-o", out, "-f", "%U %S", file, ...args], options);
    const [user, system] = (await readFile(out, "utf8")).trim().split("\n").at(-1).split(" ").map(Number);
    return { ...result, cpu: user + system };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs each of `variants` `rounds` times, interleaved (a-b-a-b…) so load changes hit both alike. */
export async function paired(rounds, variants) {
  const results = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) for (const [name, run] of Object.entries(variants)) results[name].push(await run(round));
  return results;
}

export const fixed = (value, digits = 2) => (value === undefined ? "—" : value.toFixed(digits));

/** The machine and how busy it was: 1-minute load average over the number of cores. */
export function machine() {
  const cores = cpus();
  return { cpu: cores[0]?.model ?? "unknown", cores: cores.length, load: loadavg()[0] };
}
