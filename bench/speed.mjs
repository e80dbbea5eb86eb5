// Where users wait (issue 14), each figure a ratio against a baseline measured in the same run, the
// rounds interleaved so the shared machine's load hits both alike: cached reruns (50 and 300 checks)
// and an eval-heavy flake against bare `nix build`, the line pipeline against readline + JSON.parse,
// start-up against `node -e 0`, `generate` of 1,000 tests. Writes its sections of BENCHMARKS.md
// (between its markers, in place; other sections stay). Usage: node bench/speed.mjs   (needs `npm run build`)
// BENCH_SMALL=1 runs tiny sizes (a smoke test); BENCHMARKS_FILE=… writes elsewhere; BENCH_ONLY=generate
// (names of steps, comma-separated) measures only those and replaces only their sections, each then
// saying when and at what load it was measured (the others keep the figures of their own run).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { EVAL_HEAVY_ELEMENTS, writeFixtureFlake } from "./fixtures.mjs";
import { benchLines } from "./lines.mjs";
import { cpuTimed, fixed, machine, median, paired, timed } from "./timing.mjs";

const root = join(import.meta.dirname, "..");
const small = process.env.BENCH_SMALL === "1";
const sizes = small
  ? { cached: [2, 3], heavy: 2, heavyElements: 1000, lines: 2000, tests: 20, rounds: 1 }
  : { cached: [50, 300], heavy: 8, heavyElements: EVAL_HEAVY_ELEMENTS, lines: 100_000, tests: 1000, rounds: 3 };
const output = process.env.BENCHMARKS_FILE ?? join(root, "BENCHMARKS.md");
const cli = join(root, "bin", "nixotel.js");
const env = { ...process.env, NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =" };
const nixFlags = ["--extra-experimental-features", "nix-command flakes"];
const work = await mkdtemp(join(tmpdir(), "nixotel-bench-"));

const flakeInstallables = (dir, count) => Array.from({ length: count }, (_, i) => `path:${dir}#checks.x86_64-linux.check-${i}`);
const bareBuild = (dir, count) =>
  timed("nix", [...nixFlags, "build", "--no-link", "--keep-going", ...flakeInstallables(dir, count)], { env });
const nixotelRun = (dir) => timed("node", [cli, "run", "--flake", `path:${dir}`], { cwd: dir, env });
const section = (title, intro, rows) =>
  [`## ${title}`, "", intro, "", "| measure | value |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n");

async function cachedReruns() {
  const rows = [];
  // The fixed start cost: a one-check cached run against a bare one-check build.
  const one = join(work, "cached-1");
  await writeFixtureFlake(one, { checks: 1 });
  await bareBuild(one, 1);
  const start = await paired(sizes.rounds + 2, { bare: () => bareBuild(one, 1), nixotel: () => nixotelRun(one) });
  const fixedCost = median(start.nixotel.map((r) => r.seconds)) - median(start.bare.map((r) => r.seconds));
  rows.push(["fixed start cost (1 cached check: nixotel − bare)", `${fixed(fixedCost)} s`]);
  for (const count of sizes.cached) {
    const dir = join(work, `cached-${count}`);
    await writeFixtureFlake(dir, { checks: count });
    await nixotelRun(dir); // builds them once (with stored logs, no $out/otel: the slow case)
    const r = await paired(sizes.rounds, { bare: () => bareBuild(dir, count), nixotel: () => nixotelRun(dir) });
    const bare = median(r.bare.map((x) => x.seconds));
    const ours = median(r.nixotel.map((x) => x.seconds));
    const first = median(r.nixotel.map((x) => x.firstOutput ?? Infinity));
    rows.push([`${count} cached checks: bare nix build`, `${fixed(bare)} s`]);
    rows.push([`${count} cached checks: nixotel run`, `${fixed(ours)} s (${fixed(ours / bare)}× bare)`]);
    rows.push([
      `${count} cached checks: target 2 × bare + start cost`,
      `${fixed(2 * bare + fixedCost)} s: ${ours <= 2 * bare + fixedCost ? "met" : "NOT met"}`,
    ]);
    rows.push([`${count} cached checks: first output of nixotel run`, `${fixed(first)} s`]);
  }
  return section(
    "Cached reruns",
    "`nixotel run` of a fully cached flake (checks without `$out/otel`, so each one's subtests come from its stored log) against bare `nix build --keep-going` of the same checks; medians of interleaved rounds.",
    rows,
  );
}

async function oneEvaluation() {
  const fresh = async (name) => {
    const dir = join(work, `${name}-${randomBytes(4).toString("hex")}`);
    await writeFixtureFlake(dir, { checks: sizes.heavy, evalElements: sizes.heavyElements });
    return dir;
  };
  // Each round on a fresh copy (new nonce): both evaluate and build everything.
  const r = await paired(sizes.rounds, {
    bare: async () => bareBuild(await fresh("heavy-bare"), sizes.heavy),
    nixotel: async () => nixotelRun(await fresh("heavy-nixotel")),
  });
  const bare = median(r.bare.map((x) => x.seconds));
  const ours = median(r.nixotel.map((x) => x.seconds));
  return section(
    "One evaluation",
    `A flake of ${sizes.heavy} checks each costing about 0.5 s of evaluation (\`builtins.genList\` of ${sizes.heavyElements} elements), built from scratch: \`nixotel run\` against bare \`nix build\` of the same checks (target ≤ 1.1×).`,
    [
      ["bare nix build", `${fixed(bare)} s`],
      ["nixotel run", `${fixed(ours)} s`],
      ["ratio", `${fixed(ours / bare)}× ${ours / bare <= 1.1 ? "(met)" : "(NOT met)"}`],
    ],
  );
}

async function linePipeline() {
  const r = await benchLines(sizes.lines, small ? 1 : 5);
  return section(
    "Line pipeline",
    `${r.lines} lines of a Nix 2.8 \`nix build --log-format internal-json\` stream (${r.builds} builds, all open to the end as 2.8 keeps them) read from a child's stderr: nixotel's \`buildChecks\` against plain readline + \`JSON.parse\` (target ≥ 0.7×).`,
    [
      ["readline + JSON.parse", `${Math.round(r.baseline)} lines/s`],
      ["nixotel", `${Math.round(r.nixotel)} lines/s`],
      ["ratio", `${fixed(r.ratio)}× ${r.ratio >= 0.7 ? "(met)" : "(NOT met)"}`],
    ],
  );
}

async function startUp() {
  const rounds = small ? 1 : 10;
  const dir = join(work, "start");
  await writeFixtureFlake(dir, { checks: 1 });
  // A `nix` that notes when it was first called, then runs the real one.
  const bin = join(work, "bin");
  const calls = join(work, "first-nix-call");
  const realNix = execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim();
  execFileSync("mkdir", ["-p", bin]);
  await writeFile(join(bin, "nix"), `#!/bin/sh\n[ -e '${calls}' ] || date +%s%N > '${calls}'\nexec '${realNix}' "$@"\n`, { mode: 0o755 });
  const firstCall = async () => {
    await rm(calls, { force: true });
    const startedNs = BigInt(Date.now()) * 1_000_000n;
    const run = await timed("node", [cli, "run", "--flake", `path:${dir}`], { cwd: dir, env: { ...env, PATH: `${bin}:${env.PATH}` } });
    const calledNs = BigInt((await readFile(calls, "utf8")).trim());
    return { seconds: Number(calledNs - startedNs) / 1e9, firstOutput: run.firstOutput };
  };
  const r = await paired(rounds, {
    node: () => timed("node", ["-e", "0"]),
    version: () => timed("node", [cli, "--version"]),
    run: firstCall,
  });
  const node = median(r.node.map((x) => x.seconds));
  const version = median(r.version.map((x) => x.seconds));
  const nixCall = median(r.run.map((x) => x.seconds));
  const firstLine = median(r.run.map((x) => x.firstOutput ?? Infinity));
  return section("Start-up", "Medians of interleaved rounds; `node -e 0` is the floor any Node CLI pays on this machine at this load.", [
    ["node -e 0", `${fixed(node, 3)} s`],
    ["nixotel --version", `${fixed(version, 3)} s (${fixed(version / node)}× node; target ≤ 1.5×)`],
    ["nixotel run: first nix call after start", `${fixed(nixCall, 3)} s (${fixed(nixCall / node)}× node -e 0)`],
    ["nixotel run: first progress line after start", `${fixed(firstLine, 3)} s`],
  ]);
}

async function generate() {
  const dir = join(work, "generate");
  const tests = Array.from({ length: sizes.tests }, (_, i) => ({
    name: `test-${i}`,
    template: ["minimal", "otel_traced", "multi_node"][i % 3],
  }));
  execFileSync("mkdir", ["-p", dir]);
  await writeFile(join(dir, "nixotel.json"), JSON.stringify({ suite: "bench", tests }, null, 2));
  const r = await paired(small ? 1 : 5, {
    node: () => cpuTimed("node", ["-e", "0"]),
    generate: async () => {
      await rm(join(dir, "tests"), { recursive: true, force: true });
      return cpuTimed("node", [cli, "generate"], { cwd: dir, env });
    },
    check: () => cpuTimed("node", [cli, "generate", "--check"], { cwd: dir, env }),
  });
  const [node, gen, check] = ["node", "generate", "check"].map((k) => median(r[k].map((x) => x.seconds)));
  // CPU seconds, when GNU time could measure them: what the command costs whatever the load.
  const cpu = (k) => (r[k][0].cpu === undefined ? "" : `, ${fixed(median(r[k].map((x) => x.cpu)))} s of CPU`);
  return section(
    "generate",
    `\`nixotel generate\` of ${sizes.tests} tests from scratch, and \`generate --check\` of them unchanged: wall time, and CPU time (user + system, GNU time) where the machine's load makes wall time mostly waiting.`,
    [
      ["node -e 0", `${fixed(node, 3)} s${cpu("node")}`],
      [`generate ${sizes.tests} tests`, `${fixed(gen)} s${cpu("generate")} (target ≤ 1 s)`],
      [`generate --check of ${sizes.tests} clean tests`, `${fixed(check)} s${cpu("check")} (target ≤ 0.5 s)`],
    ],
  );
}

const BEGIN = "<!-- bench/speed.mjs: begin -->";
const END = "<!-- bench/speed.mjs: end -->";

const STEPS = { startUp, cachedReruns, oneEvaluation, linePipeline, generate };
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
for (const name of only ?? [])
  if (!(name in STEPS)) throw new Error(`BENCH_ONLY: expected steps among ${Object.keys(STEPS).join(", ")}, got "${name}"`);

/** The `## title` sections of the script's block, by title, each up to the next one. */
const sectionsOf = (block) =>
  new Map(
    block
      .split(/(?=^## )/m)
      .filter((part) => part.startsWith("## "))
      .map((part) => [part.split("\n", 1)[0], part]),
  );

try {
  const before = machine();
  const sections = [];
  for (const [name, step] of Object.entries(STEPS)) {
    if (only && !only.includes(name)) continue;
    const text = await step();
    process.stdout.write(`${text}\n`);
    sections.push(text);
  }
  const after = machine();
  const existing = await readFile(output, "utf8").catch((error) => (error.code === "ENOENT" ? "# Benchmarks\n" : Promise.reject(error)));
  let ours;
  if (only && existing.includes(BEGIN)) {
    // Only the named sections change; each says when it was measured, as the block's header does for the rest.
    const block = existing.slice(existing.indexOf(BEGIN) + BEGIN.length, existing.indexOf(END));
    const when = `Measured ${new Date().toISOString().slice(0, 10)} alone (\`BENCH_ONLY=${only.join(",")}\`), load average ${before.load.toFixed(1)} at the start and ${after.load.toFixed(1)} at the end.\n\n`;
    let updated = block;
    for (const text of sections) {
      const title = text.split("\n", 1)[0];
      const old = sectionsOf(block).get(title);
      const fresh = text.replace(/\n\n/, `\n\n${when}`).trimEnd() + (old?.match(/\s*$/)[0] ?? "\n");
      updated = old === undefined ? `${updated.trimEnd()}\n\n${fresh}` : updated.replace(old, fresh);
    }
    ours = `${BEGIN}${updated}${END}`;
  } else {
    const nixVersion = execFileSync("nix", ["--version"], { encoding: "utf8" }).trim();
    const header = [
      `Measured ${new Date().toISOString().slice(0, 10)} by \`node bench/speed.mjs\` (\`npm run bench\`) on ${before.cores} × ${before.cpu}, ${nixVersion}, Node ${process.version}.`,
      `The machine is shared: load average ${before.load.toFixed(1)} at the start and ${after.load.toFixed(1)} at the end on ${before.cores} cores; every figure is a ratio against a baseline of the same run.`,
      "",
    ].join("\n");
    ours = `${BEGIN}\n${header}\n${sections.join("\n")}${END}`;
  }
  // In place, so text written by hand around the section stays where it was.
  const updated = existing.includes(BEGIN)
    ? existing.slice(0, existing.indexOf(BEGIN)) + ours + existing.slice(existing.indexOf(END) + END.length)
    : `${existing.trimEnd()}\n\n${ours}\n`;
  await writeFile(output, updated);
  console.log(`written to ${output}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
