// What working out the critical path costs a run: the pure algorithm on a large synthetic build graph
// (layers of builds, each needing three of the layer before, on 8 slots), and the two questions asked
// of nix afterwards on the `chain` fixture, beside a bare store query as the baseline.
// Run: npm run build && npx vitest bench --run bench/critical-path.bench.ts
import { execa } from "execa";
import { afterAll, bench, describe } from "vitest";
import { slotUsage } from "../src/timing/build-slots.js";
import { criticalPath, type TimedBuild } from "../src/timing/critical-path.js";
import { baseEnv, copyFixture, nixotel } from "../tests/runner/support/fixture.js";

const LAYERS = 100;
const WIDTH = 30;
const S = 1_000_000_000n;
const builds: TimedBuild[] = [];
const inputsOf = new Map<string, string[]>();
for (let layer = 0; layer < LAYERS; layer++)
  for (let i = 0; i < WIDTH; i++) {
    const id = `/nix/store/${String(layer).padStart(3, "0")}${String(i).padStart(3, "0")}-b.drv`;
    const start = BigInt(layer * 10 + (i % 4)) * S;
    builds.push({ id, name: id, startNs: start, endNs: start + BigInt(5 + (i % 5)) * S, local: i % 7 !== 0 });
    if (layer > 0)
      inputsOf.set(
        id,
        [0, 1, 2].map((k) => `/nix/store/${String(layer - 1).padStart(3, "0")}${String((i + k * 7) % WIDTH).padStart(3, "0")}-b.drv`),
      );
  }
const input = { startNs: 0n, buildStartNs: 0n, endNs: BigInt(LAYERS * 10 + 20) * S, builds, inputsOf, maxJobs: 8, substitutions: [] };

describe(`${builds.length} builds in ${LAYERS} layers`, () => {
  bench("critical path", () => void criticalPath(input), { iterations: 20 });
  bench("slot usage", () => void slotUsage(builds, 0n, 8), { iterations: 20 });
});

const flake = await copyFixture("chain");
const where = { cwd: flake.dir, env: baseEnv({ NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =" }) };
await nixotel(["run", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
const drvs = (
  await execa(
    "nix",
    ["eval", "--json", `${flake.ref}#checks.x86_64-linux`, "--apply", "c: map (n: c.${n}.drvPath) (builtins.attrNames c)"],
    where,
  )
).stdout;
const paths = JSON.parse(drvs) as string[];
afterAll(() => flake.remove());

describe("the questions asked of nix after the build (chain fixture)", () => {
  bench(
    "baseline: nix-store --check-validity of the checks' drvs",
    async () => void (await execa("nix-store", ["--check-validity", ...paths], where)),
    { iterations: 10, time: 0 },
  );
  bench(
    "nix-store --query --graph of the built drvs",
    async () => void (await execa("nix-store", ["--query", "--graph", ...paths], where)),
    { iterations: 10, time: 0 },
  );
  bench("nix show-config --json (max-jobs)", async () => void (await execa("nix", ["show-config", "--json"], where)), {
    iterations: 10,
    time: 0,
  });
});
