// `nixotel run` evaluates each check once: discovery's `nix eval` produces the derivations, and
// `nix build` is handed those derivations (no `<flake>#<attr>` it would evaluate again). A `nix` on
// PATH that logs its arguments, then runs the real one, shows what each call was given.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { expect, test } from "vitest";
import { baseEnv, copyFixture, nixotel } from "./support/fixture.js";

test("nix build is given the derivations discovery evaluated, never the flake", async () => {
  const flake = await copyFixture("mixed");
  const bin = await mkdtemp(join(tmpdir(), "nixotel-nix-log-"));
  try {
    const realNix = (await execa("sh", ["-c", "command -v nix"])).stdout.trim();
    const log = join(bin, "calls");
    await writeFile(join(bin, "nix"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realNix}' "$@"\n`);
    await chmod(join(bin, "nix"), 0o755);
    const env = baseEnv({ PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` });
    const result = await nixotel(["run", "--flake", flake.ref], { cwd: flake.dir, env });
    expect(result.code, result.stderr).toBe(1); // the fixture's failing check

    const calls = (await readFile(log, "utf8")).trim().split("\n");
    const builds = calls.filter((call) => / build /.test(call));
    expect(builds).toHaveLength(1);
    const installables = builds[0]!.split(" ").filter((word) => word.startsWith("/nix/store/") || word.includes("#"));
    expect(installables).toHaveLength(3);
    for (const installable of installables) expect(installable).toMatch(/^\/nix\/store\/[0-9a-z]{32}-[^#]+\.drv(\^\*)?$/);
    expect(calls.filter((call) => call.includes(`${flake.ref}#checks`))).toHaveLength(1); // discovery's one `nix eval`
  } finally {
    await rm(bin, { recursive: true, force: true });
    await flake.remove();
  }
});
