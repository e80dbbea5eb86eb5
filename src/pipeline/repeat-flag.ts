// `run --repeat N CHECK…`: what the flag takes and what it does not combine with, said before anything
// is evaluated (exit 2).
import { expected, usageError } from "../errors.js";

export interface RepeatFlags {
  repeat: string | undefined;
  checks: readonly string[];
  retries: number;
  interactive: boolean;
  shard: string | undefined;
}

/** `{ repeat: N }` for a valid --repeat, `{}` without one. */
export function parseRepeat(flags: RepeatFlags): { repeat?: number } {
  if (flags.repeat === undefined) return {};
  if (!/^[1-9][0-9]*$/.test(flags.repeat))
    throw usageError(expected("--repeat to be a positive whole number (how many times to build each named check)", flags.repeat));
  const repeat = Number(flags.repeat);
  if (!flags.checks.length)
    throw usageError(
      expected(
        "the checks to repeat after --repeat N",
        "none",
        "Name them: nixotel run --repeat 10 CHECK… (repeating every check is rarely meant).",
      ),
    );
  if (flags.retries)
    throw usageError(
      `--repeat ${repeat} builds each check ${repeat} times and counts every failure; --retries ${flags.retries} would build failures again until they pass. Pass one of them.`,
    );
  if (flags.interactive)
    throw usageError("--repeat builds checks with nix; --interactive runs one test's driver by hand. Pass one of them.");
  if (flags.shard !== undefined)
    throw usageError("--repeat builds the checks it names; --shard splits all checks over CI jobs. Pass one of them.");
  return { repeat };
}
