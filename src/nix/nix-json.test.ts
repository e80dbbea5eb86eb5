// nix's stdout that is not the JSON asked for: a clear environment error (what came, what to do), not a stack.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { NixotelError } from "../errors.js";
import { discoverChecks } from "./checks.js";
import { flakeCheckChecks } from "./flake-check-checks.js";
import { parseNixJson } from "./command.js";
import { buildTestDriver } from "./test-driver.js";

function caught(run: () => unknown): NixotelError {
  try {
    run();
  } catch (error) {
    if (error instanceof NixotelError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("parseNixJson", () => {
  const shape = z.object({ names: z.array(z.string()) });

  it("names the command, the first 200 characters that came and what to do; keeps the parse error as cause", () => {
    const stdout = `hello from a shell hook ${"x".repeat(300)}`;
    const error = caught(() => parseNixJson(stdout, "nix eval …", "Evaluating the checks of .#checks", shape));
    expect(error.code).toBe("ENVIRONMENT");
    expect(error.message).toContain(
      `Evaluating the checks of .#checks: Expected JSON from \`nix eval …\`, got ${JSON.stringify(stdout.slice(0, 200))}.`,
    );
    expect(error.message).toContain("Run the command by hand");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("says where JSON of the wrong shape is wrong", () => {
    const error = caught(() => parseNixJson('{"names":[1]}', "nix eval …", "Evaluating", shape));
    expect(error.message).toContain("names.0:");
    expect(error.message).toContain('got "{\\"names\\":[1]}"');
    expect(error.cause).toBeInstanceOf(z.ZodError);
  });

  it("returns JSON of the right shape", () => {
    expect(parseNixJson('{"names":["a"]}', "nix eval …", "Evaluating", shape)).toEqual({ names: ["a"] });
  });
});

describe("callers of nix that read JSON", () => {
  let bin: string;
  let where: { cwd: string; env: NodeJS.ProcessEnv };
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), "nixotel-fake-nix-"));
    // A stand-in `nix` (not nixpkgs, nix itself) whose stdout is not JSON, as a chatty wrapper's would be.
    await writeFile(join(bin, "nix"), "#!/bin/sh\necho 'welcome to the dev shell'\n");
    await chmod(join(bin, "nix"), 0o755);
    where = { cwd: bin, env: { PATH: bin } };
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  const notJson = (command: string) => `Expected JSON from \`${command}\`, got "welcome to the dev shell".`;

  it("run's discovery", async () => {
    const discovering = discoverChecks({ flake: ".", system: "x86_64-linux", names: [], evalArgs: [] }, where);
    await expect(discovering).rejects.toThrow(notJson("nix eval …"));
  });

  it("check's details after nix flake check", async () => {
    await expect(flakeCheckChecks(".", "x86_64-linux", [], [], where)).rejects.toThrow(notJson("nix eval …"));
  });

  it("the interactive test driver's build", async () => {
    await expect(buildTestDriver(".#checks.x86_64-linux.web", [], where)).rejects.toThrow(notJson("nix build …"));
  });
});
