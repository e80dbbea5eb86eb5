// One flush at a time per spool file: a flush takes a file by renaming it to `<file>.flushing-<pid>`
// (rename is atomic, so of two flushes only one gets it), sends it, then puts what is left back under
// its own name. A claim whose process is gone (a flush killed mid-way) is taken over the same way.
// The process id says who holds a claim: claims are meant for flushes on one machine.
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { isErrno, writeFileAtomic } from "../files.js";
import { isRunning } from "../process.js";

const CLAIM = /^(.+\.jsonl)\.flushing-(\d+)$/;

export interface Claim {
  /** The spool file's own name, where what is left goes back. */
  file: string;
  /** Where this flush holds it meanwhile. */
  claimed: string;
}

/** A spool file another live flush is sending, with that flush's process id when known. */
export interface HeldElsewhere {
  file: string;
  pid?: number;
}

export interface SpoolState {
  /** Spool files nobody sends now, including ones a dead flush left claimed. */
  free: Array<{ path: string; file: string }>;
  held: HeldElsewhere[];
}

/** What the spool folder holds: free files (sorted) and files another flush holds. */
export async function spoolState(spoolDir: string): Promise<SpoolState> {
  let names: string[];
  try {
    names = (await readdir(spoolDir)).sort();
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { free: [], held: [] }; // nothing was ever spooled
    throw error;
  }
  const state: SpoolState = { free: [], held: [] };
  for (const name of names) {
    const claim = CLAIM.exec(name);
    if (name.endsWith(".jsonl")) state.free.push({ path: join(spoolDir, name), file: join(spoolDir, name) });
    else if (claim && Number(claim[2]) !== process.pid && isRunning(Number(claim[2])))
      state.held.push({ file: join(spoolDir, claim[1]!), pid: Number(claim[2]) });
    else if (claim) state.free.push({ path: join(spoolDir, name), file: join(spoolDir, claim[1]!) });
  }
  return state;
}

/** Takes a free spool file for this process; undefined when another flush took it first. */
export async function claimSpoolFile(free: { path: string; file: string }): Promise<Claim | undefined> {
  const claimed = `${free.file}.flushing-${process.pid}`;
  try {
    await rename(free.path, claimed);
    return { file: free.file, claimed };
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
}

/** Puts the lines still waiting back under the file's own name (written in the claim first, then
 * renamed, so every line is in exactly one file at any moment); removes the claim when none are left. */
export async function releaseClaim(claim: Claim, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return rm(claim.claimed, { force: true });
  await writeFileAtomic(claim.claimed, lines.map((l) => `${l}\n`).join(""));
  await rename(claim.claimed, claim.file);
}
