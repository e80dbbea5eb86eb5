// The line pipeline of a building nix command (issue 14): N internal-json lines through a child's
// stderr, once read by plain readline + JSON.parse (the baseline), once by nixotel's buildChecks
// (streamTool → parseNixLine → CacheTracker + BuildTracker, what `nix build` output goes through).
// Both read the same stand-in `nix`, which prints the recorded stream to stderr. Prints lines/s and
// the ratio. Usage: node bench/lines.mjs [LINES]   (needs `npm run build` first)
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { median, paired } from "./timing.mjs";

const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);

/** `lines` lines of a Nix 2.8 `nix build --log-format internal-json`: builds that start, set phases,
 * print log lines and end through the Builds activity's progress counters (open to the end, as 2.8). */
export function nixStream(lines) {
  const builds = Math.max(1, Math.floor(lines / 20));
  const out = ['@nix {"action":"start","id":1,"level":0,"parent":0,"text":"","type":104}'];
  for (let b = 0; b < builds && out.length < lines; b++) {
    const id = 100 + b;
    const drv = `/nix/store/${String(b).padStart(32, "0")}-vm-test-run-t${b}.drv`;
    out.push(`@nix {"action":"start","fields":["${drv}","",1,1],"id":${id},"level":3,"parent":1,"text":"building '${drv}'","type":105}`);
    out.push(`@nix {"action":"result","fields":["buildPhase"],"id":${id},"type":104}`);
    for (let l = 0; l < 16; l++)
      out.push(
        `@nix {"action":"result","fields":["machine # [   ${l}.000000] systemd[1]: line ${l} of test t${b}"],"id":${id},"type":101}`,
      );
    out.push(`@nix {"action":"result","fields":[${b + 1},${builds},0,0],"id":1,"type":105}`);
  }
  while (out.length < lines) out.push(`@nix {"action":"msg","level":5,"msg":"filler ${out.length}"}`);
  return `${out.slice(0, lines).join("\n")}\n`;
}

async function baseline(nix) {
  const start = process.hrtime.bigint();
  const child = spawn(nix, ["build"], { stdio: ["ignore", "ignore", "pipe"] });
  let parsed = 0;
  for await (const line of createInterface({ input: child.stderr, crlfDelay: Infinity }))
    if (line.startsWith("@nix ")) parsed += JSON.parse(line.slice(5)) ? 1 : 0;
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, parsed };
}

async function nixotel(bin) {
  const { buildChecks } = await dist("nix/build.js");
  const start = process.hrtime.bigint();
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const run = await buildChecks([], { cwd: process.cwd(), env, settings: {}, signal: new AbortController().signal });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, builds: run.tracker.builds.length };
}

/** Medians over `rounds` interleaved rounds; ratio = nixotel's throughput over the baseline's. */
export async function benchLines(lines, rounds = 5) {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-bench-lines-"));
  try {
    const file = join(dir, "stream.internal-json");
    await writeFile(file, nixStream(lines));
    // A stand-in `nix` that prints the recorded stream, for both readers.
    const nix = join(dir, "nix");
    await writeFile(nix, `#!/bin/sh\nexec cat '${file}' >&2\n`);
    await chmod(nix, 0o755);
    const results = await paired(rounds, { baseline: () => baseline(nix), nixotel: () => nixotel(dir) });
    const base = median(results.baseline.map((r) => r.seconds));
    const ours = median(results.nixotel.map((r) => r.seconds));
    return { lines, builds: results.nixotel[0].builds, baseline: lines / base, nixotel: lines / ours, ratio: base / ours };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = await benchLines(Number(process.argv[2] ?? 100_000));
  console.log(
    `${r.lines} lines (${r.builds} builds): readline + JSON.parse ${Math.round(r.baseline)} lines/s, nixotel ${Math.round(r.nixotel)} lines/s, ratio ${r.ratio.toFixed(2)}`,
  );
}
