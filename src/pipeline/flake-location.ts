// Before nix is asked anything: a local flake reference must lead to a flake.nix, or the user hears
// nix's "could not find a flake.nix file" wrapped in an evaluation error. Remote references
// (github:, git+https:, registry names) are left to nix.
import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { environmentError } from "../errors.js";
import { isErrno } from "../files.js";
import { flakeFolder } from "../vcs.js";

const exists = (path: string) =>
  access(path).then(
    () => true,
    (error: unknown) => {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    },
  );

/** The folder holding flake.nix: `folder` itself, or (for a plain path, which nix searches upwards) a parent. */
async function flakeNixFrom(folder: string, searchUp: boolean): Promise<string | undefined> {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (await exists(join(dir, "flake.nix"))) return dir;
    if (!searchUp || dirname(dir) === dir) return undefined;
  }
}

/** Throws an exit-2 error saying where no flake.nix was found and what to pass instead. */
export async function requireLocalFlake(flake: string, cwd: string): Promise<void> {
  const folder = flakeFolder(flake, cwd);
  if (folder === undefined) return;
  // nix searches upwards for `.` or `./x`, not for `path:` and `git+file:` references.
  const searchUp = !/^[a-z+]+:/.test(flake);
  if (await flakeNixFrom(folder, searchUp)) return;
  const where = searchUp ? `${folder} or any folder above it` : folder;
  throw environmentError(
    `No flake.nix in ${where}: nixotel builds a flake's checks. Run it in your flake's folder, or pass --flake REF ` +
      '(a folder, path:/abs/folder or github:owner/repo). The README\'s "Use it in your flake" starts one.',
  );
}
