// Timing helpers for the benchmark scripts: wall time of a command, time to its first stderr byte,
// medians, and what the machine looked like while it ran (it is shared: the load is part of a figure).
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";

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
