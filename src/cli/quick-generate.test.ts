import { describe, expect, it } from "vitest";
import { parseArgv } from "./parse.js";
import { quickGenerateOptions } from "./quick-generate.js";

const FLAGS = ["--check", "--dry-run", "--force"];
/** Every order of every subset of generate's flags. */
const arrangements = (words: string[]): string[][] =>
  [[], ...words.flatMap((word) => arrangements(words.filter((other) => other !== word)).map((rest) => [word, ...rest]))].filter(
    (argv, index, all) => all.findIndex((other) => other.join(" ") === argv.join(" ")) === index,
  );

describe("quickGenerateOptions", () => {
  it("reads every plain generate as yargs does", async () => {
    const read = arrangements(FLAGS).filter((flags) => !(flags.includes("--check") && flags.includes("--force")));
    expect(read).toHaveLength(8); // none; each flag alone; --dry-run with either of the others, in both orders
    for (const flags of read) {
      const argv = ["generate", ...flags];
      expect(quickGenerateOptions(argv), argv.join(" ")).toEqual(await parseArgv(argv));
    }
  });

  it("leaves everything else to yargs", () => {
    for (const argv of [
      ["run"],
      ["new", "generate"],
      ["generate", "--check", "--force"],
      ["generate", "--force", "--dry-run", "--check"],
      ["generate", "--check", "--check"],
      ["generate", "--check=true"],
      ["generate", "--no-check"],
      ["generate", "--dryRun"],
      ["generate", "--help"],
      ["generate", "--nope"],
      ["generate", "extra"],
      ["generate", "--"],
      ["--check", "generate"],
    ])
      expect(quickGenerateOptions(argv), argv.join(" ")).toBeUndefined();
  });
});
