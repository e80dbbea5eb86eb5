import { describe, expect, it } from "vitest";
import { COMMANDS, parseArgv } from "./parse.js";
import { NixotelError } from "../errors.js";

const usage = async (argv: string[]) => {
  const error = await parseArgv(argv).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NixotelError);
  return error as NixotelError;
};

describe("parseArgv", () => {
  it("parses new with its flags", async () => {
    expect(await parseArgv(["new", "web", "--template", "minimal", "--suite", "s", "--dir", "t"])).toEqual({
      command: "new",
      name: "web",
      template: "minimal",
      suite: "s",
      dir: "t",
    });
  });

  it("leaves the template to nixotel.json or the default when new names none", async () => {
    expect(await parseArgv(["new", "web"])).toEqual({ command: "new", name: "web" });
  });

  it("parses generate flags, defaulting to false", async () => {
    expect(await parseArgv(["generate"])).toEqual({ command: "generate", check: false, dryRun: false, force: false });
    expect(await parseArgv(["generate", "--check"])).toMatchObject({ check: true });
    expect(await parseArgv(["generate", "--dry-run", "--force"])).toMatchObject({ dryRun: true, force: true });
  });

  it("parses run with checks and build flags", async () => {
    expect(await parseArgv(["run", "a", "b", "--flake", "path:/x", "--jobs", "4", "--junit", "j.xml", "--timeout", "60"])).toEqual({
      command: "run",
      checks: ["a", "b"],
      interactive: false,
      flake: "path:/x",
      jobs: 4,
      junit: "j.xml",
      timeout: 60,
      retries: 0,
      failOnFlaky: false,
    });
  });

  it("parses --retries and --fail-on-flaky for run and check, refusing a bad count", async () => {
    expect(await parseArgv(["run", "--retries", "2", "--fail-on-flaky"])).toMatchObject({ retries: 2, failOnFlaky: true });
    expect(await parseArgv(["check", "--retries", "0"])).toMatchObject({ command: "check", retries: 0, failOnFlaky: false });
    const bad = await usage(["run", "--retries", "-1"]);
    expect(bad.exitCode).toBe(2);
    expect((await usage(["run", "--retries", "two"])).message).toContain('Expected --retries to be a positive whole number, got "two"');
  });

  it("returns help and version text instead of printing", async () => {
    const help = await parseArgv(["--help"]);
    expect(help).toMatchObject({ command: "print" });
    expect(help.command === "print" && help.text).toContain("list-templates");
    expect(await parseArgv(["--version"])).toMatchObject({ command: "print", text: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("rejects what it does not know, with exit code 2", async () => {
    for (const argv of [[], ["bogus"], ["new"], ["generate", "--nope"], ["generate", "--check", "--force"]]) {
      expect((await usage(argv)).exitCode).toBe(2);
    }
  });

  it("says what a bad number was", async () => {
    expect((await usage(["run", "--jobs", "x"])).message).toBe('Expected --jobs to be a whole number or auto, got "x".');
    expect(await parseArgv(["run", "--jobs", "0"])).toMatchObject({ jobs: 0 });
    expect(await parseArgv(["check", "--jobs", "auto"])).toMatchObject({ jobs: "auto" });
    expect((await usage(["run", "--timeout", "0"])).message).toContain('got "0"');
  });
});

describe("messages for what parseArgv does not know", () => {
  it("names an unknown command and lists the commands there are", async () => {
    const error = await usage(["frobnicate"]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'Expected a command (new, generate, list-templates, run, check, report, flush, history), got "frobnicate". Run nixotel --help for what each does.',
    );
  });

  it("names an unknown option with the command it was given to", async () => {
    const error = await usage(["run", "--frob"]);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("`nixotel run` does not take --frob. Run nixotel run --help for what it takes.");
    expect((await usage(["flush", "extra"])).message).toContain("`nixotel flush` does not take extra.");
  });

  it("lists every command --help lists", async () => {
    const help = await parseArgv(["--help"]);
    for (const command of COMMANDS) expect(help.command === "print" && help.text).toContain(`nixotel ${command}`);
  });
});

describe("--shard", () => {
  it("takes I/N for run, 1 ≤ I ≤ N", async () => {
    expect(await parseArgv(["run", "--shard", "2/3"])).toMatchObject({ shard: { index: 2, count: 3 } });
    expect(await parseArgv(["run"])).not.toHaveProperty("shard");
    for (const bad of ["0/2", "3/2", "1", "a/b", "1/0"]) {
      const error = await usage(["run", "--shard", bad]);
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        `Expected --shard to be I/N with 1 ≤ I ≤ N (this job's part of N), got "${bad}". E.g. --shard 2/4 in the second of four jobs.`,
      );
    }
    expect((await usage(["run", "x", "--interactive", "--shard", "1/2"])).message).toContain("Pass one of them.");
  });
});
