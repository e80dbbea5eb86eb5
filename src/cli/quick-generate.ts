// `nixotel generate [--check] [--dry-run] [--force]` read without yargs (issue 14: loading and running
// yargs was ~40 ms of a 0.5 s `generate --check`). Only the plain spellings are read here, each flag
// at most once and never the two that conflict; anything else (--help, --no-check, --check=true, an
// unknown flag, a stray word) is left to yargs, whose reading of what is read here is the same
// (src/cli/quick-generate.test.ts).
import type { GenerateOptions } from "./commands.js";
import { CONFLICTING_GENERATE_FLAGS, GENERATE_FLAGS } from "./generate-flags.js";

export function quickGenerateOptions(argv: readonly string[]): GenerateOptions | undefined {
  if (argv[0] !== "generate") return undefined;
  const options: GenerateOptions = { command: "generate", check: false, dryRun: false, force: false };
  const given = new Set<string>();
  for (const word of argv.slice(1)) {
    const known = GENERATE_FLAGS.find(({ flag }) => word === `--${flag}`);
    if (!known || given.has(known.flag)) return undefined;
    given.add(known.flag);
    options[known.option] = true;
  }
  return CONFLICTING_GENERATE_FLAGS.every((flag) => given.has(flag)) ? undefined : options;
}
