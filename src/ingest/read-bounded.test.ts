// Reading what a test wrote never follows a symlink, never waits on a FIFO, never reads past the bound.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readRegularFile } from "./read-bounded.js";

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "nixotel-bounded-"))));
afterAll(() => rm(dir, { recursive: true, force: true }));

it("reads a regular file, up to the bound, and says how much was left", async () => {
  await writeFile(join(dir, "f"), "0123456789");
  expect(await readRegularFile(join(dir, "f"), 4)).toEqual({ kind: "read", text: "0123", truncatedBytes: 6 });
  expect(await readRegularFile(join(dir, "f"))).toEqual({ kind: "read", text: "0123456789", truncatedBytes: 0 });
});

it("refuses a symlink, a FIFO and a device, and tells a missing file apart", async () => {
  await symlink("/etc/passwd", join(dir, "link"));
  execFileSync("mkfifo", [join(dir, "fifo")]);
  expect(await readRegularFile(join(dir, "link"))).toMatchObject({ kind: "refused", why: expect.stringMatching(/symlink/) });
  expect(await readRegularFile(join(dir, "fifo"))).toMatchObject({ kind: "refused" });
  expect(await readRegularFile("/dev/zero")).toMatchObject({ kind: "refused", why: "not a regular file, not read" });
  expect(await readRegularFile(join(dir, "missing"))).toEqual({ kind: "missing" });
});
