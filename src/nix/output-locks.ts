// Whether nix still holds the lock on a derivation's output (`<out>.lock`, an flock nix takes before a
// build starts and releases once the build has ended: after registering the output when it passed,
// without registering it when it failed). Read from Linux's /proc/locks (every flock on the machine,
// by device and inode), so nothing is opened or created in the store and a root-owned lock file of
// the nix daemon can be asked about too. Elsewhere (no /proc/locks) nothing can be told.
import { readFile, stat } from "node:fs/promises";

const PROC_LOCKS = "/proc/locks";

/** `fe:00:9557118` as /proc/locks writes a lock's file: major and minor device numbers (hex), inode. */
export function lockKey(dev: bigint, ino: bigint): string {
  // glibc's gnu_dev_major/gnu_dev_minor of a user-space dev_t.
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  const hex = (n: bigint) => n.toString(16).padStart(2, "0");
  return `${hex(major)}:${hex(minor)}:${ino}`;
}

/** The files /proc/locks lists as flock()ed, by `lockKey`; undefined where there is no /proc/locks. */
export async function flockedFiles(read: (path: string) => Promise<string> = (p) => readFile(p, "utf8")): Promise<Set<string> | undefined> {
  let text: string;
  try {
    text = await read(PROC_LOCKS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const held = new Set<string>();
  // `1: FLOCK  ADVISORY  WRITE 28896 fe:00:9557118 0 EOF`; a lock others wait for is `1: -> FLOCK …`.
  for (const line of text.split("\n")) {
    const fields = line.trim().split(/\s+/);
    const kindAt = fields[1] === "->" ? 2 : 1;
    if (fields[kindAt] === "FLOCK" && fields[kindAt + 4]) held.add(fields[kindAt + 4]!);
  }
  return held;
}

/** For each output path, whether its lock file is flock()ed now (a path this process may not look at
 * is left out); undefined when this cannot be told (no /proc/locks). A lock file that is gone (nix
 * deletes it after a build that passed) is not held. */
export async function heldOutputLocks(outPaths: readonly string[]): Promise<Map<string, boolean> | undefined> {
  const held = await flockedFiles();
  if (!held) return undefined;
  const answers = await Promise.all(
    outPaths.map(async (outPath): Promise<[string, boolean] | undefined> => {
      try {
        const { dev, ino } = await stat(`${outPath}.lock`, { bigint: true });
        return [outPath, held.has(lockKey(dev, ino))];
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return [outPath, false];
        if (code === "EACCES" || code === "EPERM") return undefined;
        throw error;
      }
    }),
  );
  return new Map(answers.filter((a) => a !== undefined));
}
