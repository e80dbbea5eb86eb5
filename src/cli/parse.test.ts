import { describe, expect, it } from "vitest";
import { parseArgv } from "./parse.js";
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
