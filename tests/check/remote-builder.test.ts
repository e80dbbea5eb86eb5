// Distributed builds for real: nix's build hook sends the check to "another machine", here a
// second Nix store in a temporary folder (`local?root=DIR`, a builders line like `ssh://host …`),
// whose builds run in a chroot that sees the host's /bin and /lib (extra-sandbox-paths).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { newestRun } from "../runner/support/runs.js";

let flake: FlakeCopy;
let remoteRoot: string;
beforeAll(async () => {
  flake = await copyFixture("flake-check-pass");
  remoteRoot = await mkdtemp(join(tmpdir(), "nixotel-remote-store-"));
});
afterAll(async () => {
  await flake?.remove();
  await rm(remoteRoot, { recursive: true, force: true });
});

const env = () => baseEnv({ NIX_CONFIG: "substituters =\nextra-sandbox-paths = /bin /lib /lib64 /usr" });

for (const command of ["run", "check"] as const) {
  test(`${command} --builders: the build span and run.json name the machine that built the check`, async () => {
    await writeFile(join(flake.dir, "nonce"), `${command}-${Date.now()}`); // a derivation not built yet
    const machine = `local?root=${remoteRoot}`;
    const result = await nixotel(
      [command, "--flake", flake.ref, "--builders", `${machine} x86_64-linux - 1`, "--jobs", "1", "--out", command],
      { cwd: flake.dir, env: env() },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`building ok on ${machine}`);
    const { record, spans: readSpans } = await newestRun(join(flake.dir, command));
    const spans = await readSpans();
    expect(spans.find((s) => s.name === "build ok")?.attributes["nix.machine"]).toBe(machine);
    expect(record.command).toBe(command);
    // The result came back from the builder into the local store: nix.out_path is valid here.
    expect(record.checks.map((c) => [c.name, c.status, c.cached])).toEqual([["ok", "pass", false]]);
    // A remote build is on the critical path but holds no local build slot: there is no slot chart.
    expect(record.timing?.criticalPath?.steps.flatMap((s) => (s.kind === "build" ? [s.name] : []))).toEqual(["ok"]);
    expect(record.timing?.slots).toBeUndefined();
  });
}
