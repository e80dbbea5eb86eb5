// The run folder's proof of writability stays while nix evaluates: nix copies a `path:` flake's folder,
// the run folder inside it too, and a file vanishing during that copy failed the evaluation.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { runPaths } from "./files.js";
import { createRunFolder, removeIfEmpty, removeWriteProbe } from "./run-folder.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it("keeps the file that proved the folder writable until the run is recorded, then leaves nothing", async () => {
  const out = await mkdtemp(join(tmpdir(), "nixotel-run-folder-"));
  dirs.push(out);
  const paths = runPaths(out, "20261130T000000.000Z-abcdef");
  await createRunFolder(paths);
  expect(await readdir(paths.dir)).toEqual([`.write-probe-${process.pid}`]); // still there while nix evaluates
  await removeWriteProbe(paths);
  await removeWriteProbe(paths); // twice (record after abandon) is fine
  expect(await readdir(paths.dir)).toEqual([]);
  await removeIfEmpty(paths);
  expect(await readdir(join(paths.dir, ".."))).toEqual([]); // the empty run folder is gone
});
