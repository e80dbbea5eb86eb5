// The `flaky` fixture's build counter lives in a scratch folder outside the store (the fixture's
// flake.nix explains why): a fresh one per test, its path written into the flake copy.
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FlakeCopy } from "../runner/support/fixture.js";

export async function withScratch(copy: FlakeCopy): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-flaky-scratch-"));
  await chmod(dir, 0o777); // nix builds as a nixbld user
  await writeFile(join(copy.dir, "scratch"), dir);
  return dir;
}
