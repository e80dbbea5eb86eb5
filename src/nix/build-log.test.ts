// Stored build logs: read from nix's log folder as nix lays it out (plain or bzip2), else from
// `nix log`, a few processes at a time.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execaSync } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limitConcurrency, NIX_LOG_CONCURRENCY, readLocalBuildLog, storedLogReader } from "./build-log.js";

const DRV = "/nix/store/abcdfghijklmnpqrsvwxyz0123456789-vm-test-run-web.drv";
const BASE = "abcdfghijklmnpqrsvwxyz0123456789-vm-test-run-web.drv";
const LOG = "subtest: boots\n(finished: subtest: boots, in 0.10 seconds)\n";
const bzip2 = (text: string) => execaSync("bzip2", ["-c"], { input: text, encoding: "buffer" }).stdout;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nixotel-logs-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function logDir(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const root = join(dir, name);
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(root, "drvs", path, ".."), { recursive: true });
    await writeFile(join(root, "drvs", path), data);
  }
  return root;
}

describe("readLocalBuildLog", () => {
  it("reads drvs/ab/cdef….drv.bz2, the plain file and the older flat layout", async () => {
    const compressed = await logDir("bz2", { [`${BASE.slice(0, 2)}/${BASE.slice(2)}.bz2`]: bzip2(LOG) });
    const plain = await logDir("plain", { [`${BASE.slice(0, 2)}/${BASE.slice(2)}`]: LOG });
    const flat = await logDir("flat", { [BASE]: LOG });
    for (const root of [compressed, plain, flat])
      expect(await readLocalBuildLog(DRV, root)).toEqual(["subtest: boots", "(finished: subtest: boots, in 0.10 seconds)"]);
  });

  it("has no log when there is no file or it is not bzip2 after all", async () => {
    expect(await readLocalBuildLog(DRV, join(dir, "nowhere"))).toBeUndefined();
    const broken = await logDir("broken", { [`${BASE.slice(0, 2)}/${BASE.slice(2)}.bz2`]: "not bzip2" });
    expect(await readLocalBuildLog(DRV, broken)).toBeUndefined();
  });
});

describe("storedLogReader", () => {
  it("asks `nix log` when the log folder has none, at most a few at once", async () => {
    // A `nix` that notes when each call starts and ends, and prints a log naming the drv it was asked for.
    const bin = join(dir, "bin");
    const calls = join(dir, "calls");
    await mkdir(bin, { recursive: true });
    await writeFile(
      join(bin, "nix"),
      `#!/bin/sh\necho start >> '${calls}'\nsleep 0.05\nfor last; do :; done\necho "log of $last"\necho end >> '${calls}'\n`,
    );
    await chmod(join(bin, "nix"), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin`, NIX_LOG_DIR: join(dir, "empty") };
    const read = storedLogReader([], { cwd: dir, env });
    const drvs = Array.from({ length: 10 }, (_, i) => `/nix/store/${String(i).padStart(32, "0")}-t${i}.drv`);
    expect(await Promise.all(drvs.map(read))).toEqual(drvs.map((drv) => [`log of ${drv}`]));
    let running = 0;
    let most = 0;
    for (const event of (await readFile(calls, "utf8")).trim().split("\n")) {
      running += event === "start" ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBeLessThanOrEqual(NIX_LOG_CONCURRENCY);
  });
});

describe("limitConcurrency", () => {
  it("runs every task, never more than the limit at once", async () => {
    const limited = limitConcurrency(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limited(async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(3);
  });
});
