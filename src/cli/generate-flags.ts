// `generate`'s flags, read by yargs (src/cli/parse.ts) and by the quick reading of a plain `generate`
// (src/cli/quick-generate.ts) from this one list.

/** Each flag's yargs name, the option it sets, and its --help line. */
export const GENERATE_FLAGS = [
  { flag: "check", option: "check", describe: "Write nothing; show a diff and exit 1 on drift or hand edits" },
  { flag: "dry-run", option: "dryRun", describe: "Show what would be written, write nothing" },
  { flag: "force", option: "force", describe: "Overwrite files that were edited by hand" },
] as const;

/** --check writes nothing, --force overwrites hand edits: yargs refuses the two together. */
export const CONFLICTING_GENERATE_FLAGS = ["check", "force"] as const;
