// packages.alloy-collector (modules/packages/alloy-collector.nix): the script it builds picks the
// configuration by the variables set, refuses half-set credentials, and the configurations it
// ships are the golden ones. nixpkgs is not available here, so writeShellApplication, writeText and
// lib are a MOCK (the script text is kept as given; writeText writes the real rendered file into
// the store), and `alloy` is a stand-in on PATH that prints what it was asked to run.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evalJson, repoRoot } from "./nix-eval.js";
import { alloyProblems } from "./support/alloy-invariants.js";

const mockPkgs = `{
  lib = {
    concatMapStrings = f: list: builtins.concatStringsSep "" (map f list);
    attrNames = builtins.attrNames;
    licenses.mit = "mit";
    platforms.linux = [ "x86_64-linux" ];
  };
  writeShellApplication = args: args;
  writeText = builtins.toFile;
  grafana-alloy = "grafana-alloy";
}`;

interface Built {
  name: string;
  text: string;
  runtimeInputs: string[];
  meta: { mainProgram: string };
}

let dir: string;
let script: string;
let built: Built;

beforeAll(async () => {
  built = (await evalJson(`import ${join(repoRoot, "modules/packages/alloy-collector.nix")} ${mockPkgs}`)) as Built;
  dir = await mkdtemp(join(tmpdir(), "nixotel-collector-"));
  // What writeShellApplication prepends (bash options, runtimeInputs on PATH); `alloy` is the stand-in.
  await writeFile(join(dir, "alloy"), '#!/bin/bash\necho "args: $*"\ncat "$2"\n');
  await chmod(join(dir, "alloy"), 0o755);
  script = join(dir, built.name);
  const header = `#!/bin/bash\nset -o errexit\nset -o nounset\nset -o pipefail\nexport PATH="${dir}:$PATH"\n`;
  await writeFile(script, header + built.text);
  await chmod(script, 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const run = (env: Record<string, string>, args: string[] = []) =>
  execa(script, args, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TMPDIR: dir, ...env },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
  });
const golden = (name: string) => readFile(join(repoRoot, "tests/golden/alloy", `collector-${name}.alloy`), "utf8");
const endpoint = { NIXOTEL_REMOTE_ENDPOINT: "https://otlp.example/otlp" };
const auth = { NIXOTEL_REMOTE_USERNAME: "123456", NIXOTEL_REMOTE_PASSWORD: "token" };

describe("packages.alloy-collector", () => {
  it("is named alloy-collector, runs grafana-alloy, and passes shellcheck", async () => {
    expect(built.meta.mainProgram).toBe("alloy-collector");
    expect(built.runtimeInputs).toEqual(["grafana-alloy"]);
    await execa("shellcheck", ["--shell=bash", script]);
  });

  it.each([
    ["otlp", {}],
    ["otlp-basic-auth", auth],
    ["remote-write", { NIXOTEL_REMOTE_WRITE_URL: "http://mimir:9009/api/v1/push" }],
    ["remote-write-basic-auth", { ...auth, NIXOTEL_REMOTE_WRITE_URL: "http://mimir:9009/api/v1/push" }],
  ])("runs the %s configuration when those variables are set", async (variant, extra) => {
    const result = await run({ ...endpoint, ...extra }, ["--server.http.listen-addr=127.0.0.1:12399"]);
    expect(result.exitCode).toBe(0);
    const [argsLine, ...config] = result.stdout.split("\n");
    expect(argsLine).toMatch(
      new RegExp(
        `^args: run /nix/store/\\S+-nixotel-collector-${variant}\\.alloy --storage\\.path=${dir}/nixotel-alloy-collector --disable-reporting --server\\.http\\.listen-addr=127\\.0\\.0\\.1:12399$`,
      ),
    );
    expect(config.join("\n")).toBe(await golden(variant));
    // Alloy, run with these arguments, accepts every span and keeps span-metric series apart.
    const level = /--stability\.level=(\S+)/.exec(argsLine!)?.[1] ?? "generally-available";
    expect(alloyProblems(config.join("\n"), level)).toEqual([]);
    expect(result.stderr).toContain(`(configuration: ${variant})`);
  });

  it("keeps every backend detail out of the configuration it runs", async () => {
    const result = await run({ ...endpoint, ...auth });
    expect(result.stdout).not.toMatch(/otlp\.example|123456|token/);
  });

  it("exits 2 naming the variable when there is no endpoint", async () => {
    const result = await run({});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("expected NIXOTEL_REMOTE_ENDPOINT to be the OTLP/HTTP base URL");
  });

  it("exits 2 when only one of user and password is set", async () => {
    const result = await run({ ...endpoint, NIXOTEL_REMOTE_USERNAME: "123456" });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("expected NIXOTEL_REMOTE_USERNAME and NIXOTEL_REMOTE_PASSWORD together");
  });
});
