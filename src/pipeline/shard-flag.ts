// `--shard I/N` as typed: which part of N this job builds (src/pipeline/shard.ts splits the checks).
import { expected, usageError } from "../errors.js";

export interface Shard {
  /** 1-based, as typed. */
  index: number;
  count: number;
}

/** `I/N` with 1 ≤ I ≤ N. */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || index > count)
    throw usageError(
      expected("--shard to be I/N with 1 ≤ I ≤ N (this job's part of N)", text, "E.g. --shard 2/4 in the second of four jobs."),
    );
  return { index, count };
}
