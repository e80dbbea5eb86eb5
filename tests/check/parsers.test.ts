// The `nix flake check` stream and remote builds, on streams recorded from Nix 2.8:
// nix-2.8-flake-check: `nix flake check --keep-going --show-trace --log-format internal-json` of
//   tests/fixtures/flakes/flake-check (a passing, a failing, a broken check, a broken package);
// nix-2.8-remote-builder: `nix build --builders 'local?root=/tmp/remote-root x86_64-linux - 1'` of its
//   `pass` check: a real build through nix's build hook on another store (see remote-builder.test.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseNixLine } from "../../src/nix/activity.js";
import { buildArgs } from "../../src/nix/build.js";
import { BuildTracker } from "../../src/nix/builds.js";
import { FlakeCheckTracker, flakeCheckArgs, headline } from "../../src/nix/flake-check.js";
import { runSpans } from "../../src/spans/tree.js";

const sample = (name: string) =>
  readFileSync(join(import.meta.dirname, "samples", name), "utf8")
    .trim()
    .split("\n");
const name = (drv: string) => drv.replace(/^.*\/[0-9a-z]{32}-/, "");

function replayFlakeCheck() {
  let tick = 0n;
  const tracker = new FlakeCheckTracker({}, () => (tick += 1_000_000n));
  for (const line of sample("nix-2.8-flake-check.internal-json")) tracker.handle(parseNixLine(line));
  tracker.builds.closeOpen();
  return tracker;
}

describe("nix flake check", () => {
  test("passes the build flags through, shows traces and keeps going", () => {
    expect(
      flakeCheckArgs("path:/f", { jobs: 4, builders: "ssh://b x86_64-linux", store: "auto", evalStore: "local", system: "aarch64-linux" }),
    ).toEqual([
      "--extra-experimental-features",
      "nix-command flakes",
      "flake",
      "check",
      "--show-trace",
      "--keep-going",
      "--log-format",
      "internal-json",
      "--max-jobs",
      "4",
      "--builders",
      "ssh://b x86_64-linux",
      "--store",
      "auto",
      "--eval-store",
      "local",
      "--system",
      "aarch64-linux",
      "path:/f",
    ]);
  });

  test("nix build (nixotel run) gets the same pass-through flags", () => {
    expect(
      buildArgs(["path:/f#checks.x86_64-linux.a"], { jobs: 2, builders: "", store: "ssh-ng://b", evalStore: "auto" }).slice(2),
    ).toEqual([
      "build",
      "--no-link",
      "--keep-going",
      "--log-format",
      "internal-json",
      "--max-jobs",
      "2",
      "--builders",
      "",
      "--store",
      "ssh-ng://b",
      "--eval-store",
      "auto",
      "path:/f#checks.x86_64-linux.a",
    ]);
  });

  test("every output nix checked, with its evaluation errors named by attribute", () => {
    const tracker = replayFlakeCheck();
    expect(tracker.outputs.map((o) => o.output)).toEqual(["checks", "packages"]);
    expect(tracker.outputs.every((o) => o.endNs !== undefined && o.endNs >= o.startNs)).toBe(true);
    // "evaluating flake" holds the outputs' checks.
    expect(tracker.evaluating!.startNs < tracker.outputs[0]!.startNs && tracker.evaluating!.endNs! >= tracker.outputs.at(-1)!.endNs!).toBe(
      true,
    );
    expect(tracker.evalErrors.map((e) => [e.output, e.attr])).toEqual([
      ["checks", "checks.x86_64-linux.broken"],
      ["checks", "checks.aarch64-linux.broken"],
      ["packages", "packages.x86_64-linux.broken"],
      ["packages", "packages.aarch64-linux.broken"],
    ]);
    const [check, , pkg] = tracker.evalErrors;
    expect(check?.message).toMatch(/^error: the broken check fails to evaluate\n/);
    expect(check?.message).not.toMatch(/\x1b|error \(ignored\)/);
    expect(headline(check!.message)).toBe("the broken check fails to evaluate");
    expect(headline(pkg!.message)).toBe("evaluation aborted with the following error message: 'the broken package fails to evaluate'");
  });

  test("evaluation errors do not count as nix errors; the builds of the current system's checks are followed", () => {
    const tracker = replayFlakeCheck();
    expect(tracker.builds.builds.map((b) => [name(b.drvPath), b.failed])).toEqual([
      ["fail.drv", true],
      ["pass.drv", false],
    ]);
    expect(tracker.builds.errors.some((e) => e.includes("fails to evaluate"))).toBe(false);
    expect(tracker.builds.errors.some((e) => e.startsWith("error: builder for"))).toBe(true);
  });
});

describe("remote builds", () => {
  const replay = () => {
    let tick = 0n;
    const tracker = new BuildTracker({}, () => (tick += 1_000_000n));
    for (const line of sample("nix-2.8-remote-builder.internal-json")) tracker.handle(parseNixLine(line));
    tracker.closeOpen();
    return tracker;
  };

  test("the hook's activity and the remote's nested one are one build, on the remote machine, with its log", () => {
    const { builds } = replay();
    expect(builds).toHaveLength(1);
    expect(builds[0]?.machine).toBe("local?root=/tmp/remote-root");
    expect(builds[0]?.lines.map((l) => l.text)).toEqual(["subtest: it works", "(finished: subtest: it works, in 0.01 seconds)"]);
  });

  test("build spans name the machine; a local build says localhost", () => {
    const [remote] = replay().builds;
    const local = { ...remote!, machine: "" };
    const facts = {
      command: "run" as const,
      runId: "r",
      traceId: "0".repeat(32),
      flake: ".",
      system: "x86_64-linux",
      startNs: 0n,
      endNs: 1n,
      result: "success" as const,
    };
    const spans = runSpans({ ...facts, dependencyBuilds: [remote!, local] }, []);
    expect(spans.filter((s) => s.name === "build pass").map((s) => s.attributes["nix.machine"])).toEqual([
      "local?root=/tmp/remote-root",
      "localhost",
    ]);
  });
});
