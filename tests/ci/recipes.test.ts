// The CI recipes in examples/ci/: valid YAML of the right shape, every command one the docs show,
// credentials only referenced. YAML is read by Debian's python3-yaml (PyYAML), no npm dependency.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../nix/nix-eval.js";
import { documentedCommands, linesOf, parseYaml, type Yaml } from "./yaml.js";

let github: Yaml;
let gitlab: Yaml;
let documented: Set<string>;
let githubText: string;
let gitlabText: string;

beforeAll(async () => {
  [github, gitlab, documented, githubText, gitlabText] = await Promise.all([
    parseYaml("examples/ci/github-actions.yml"),
    parseYaml("examples/ci/gitlab-ci.yml"),
    documentedCommands(),
    readFile(join(repoRoot, "examples/ci/github-actions.yml"), "utf8"),
    readFile(join(repoRoot, "examples/ci/gitlab-ci.yml"), "utf8"),
  ]);
});

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

const githubSteps = () => (github.jobs as Record<string, { steps: Step[] }>)["nixos-tests"]?.steps ?? [];
const gitlabJob = () =>
  gitlab["nixos-tests"] as {
    image: string;
    before_script: string[];
    script: string[];
    after_script: string[];
    artifacts: Yaml;
    variables: Record<string, string>;
  };
const stepRunning = (command: string) => githubSteps().find((s) => linesOf(s.run).includes(command));

describe("GitHub Actions workflow", () => {
  test("runs on push and pull requests with read-only permissions", () => {
    // YAML 1.1 reads the bare key `on` as true; GitHub reads it as "on".
    expect(github.on ?? github.true).toEqual({ push: null, pull_request: null });
    expect(github.permissions).toEqual({ contents: "read" });
  });

  test("installs Nix with KVM and NixOS test features, then nixotel", () => {
    const nix = githubSteps().find((s) => s.uses?.startsWith("cachix/install-nix-action@"));
    expect(nix?.with?.extra_nix_config).toMatch(/system-features = .*\bkvm\b/);
    expect(nix?.with?.extra_nix_config).toContain("nixos-test");
    const order = [
      "nix profile install github:nixotel/nixotel",
      "nixotel generate --check",
      "nixotel run --junit junit.xml",
      "nixotel report latest --html report.html",
    ].map((c) => githubSteps().indexOf(stepRunning(c)!));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("writes and uploads the report and JUnit even when tests failed", () => {
    expect(stepRunning("nixotel report latest --html report.html")?.if).toBe("${{ !cancelled() }}");
    const upload = githubSteps().find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("${{ !cancelled() }}");
    expect(linesOf(upload?.with?.path)).toEqual(["junit.xml", "report.html", ".nixotel/runs/"]);
  });

  test("uploads the hidden .nixotel/runs/ folder", () => {
    // upload-artifact v4.4+ silently leaves out hidden files and folders unless told otherwise.
    const upload = githubSteps().find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.["include-hidden-files"]).toBe(true);
  });

  test("credentials come from secrets, only into the step that sends the trace", () => {
    const run = stepRunning("nixotel run --junit junit.xml");
    expect(run?.env).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: "${{ secrets.OTEL_EXPORTER_OTLP_ENDPOINT }}",
      OTEL_EXPORTER_OTLP_HEADERS: "${{ secrets.OTEL_EXPORTER_OTLP_HEADERS }}",
    });
    expect(github.env).toBeUndefined();
    for (const step of githubSteps()) if (step !== run) expect(JSON.stringify(step), step.name).not.toContain("secrets.");
  });
});

describe("GitLab CI job", () => {
  test("installs Debian's Nix and nixotel, runs the checks, reports after failures too", () => {
    const job = gitlabJob();
    expect(job.image).toBe("debian:12");
    expect(job.variables.NIX_CONFIG).toMatch(/experimental-features = nix-command flakes\nsystem-features = .*\bkvm\b/);
    expect(job.before_script).toContain("apt-get install -y -qq --no-install-recommends nix-bin git ca-certificates");
    expect(job.script).toEqual(["nixotel generate --check", "nixotel run --junit junit.xml"]);
    expect(job.after_script).toContain("nixotel report latest --html report.html"); // after_script runs after a failed script
    expect(job.artifacts).toEqual({
      when: "always",
      reports: { junit: "junit.xml" },
      paths: ["junit.xml", "report.html", ".nixotel/runs/"],
    });
  });

  test("Nix from nix-bin alone builds as root without build users and without the sandbox", () => {
    // nix-bin has no nixbld group (nix-setup-systemd's postinst creates it) and no nix.conf, so the
    // defaults `build-users-group = nixbld` and `sandbox = true` must be overridden.
    const settings = gitlabJob().variables.NIX_CONFIG!.split("\n");
    expect(settings).toContain("build-users-group =");
    expect(settings).toContain("sandbox = false");
    expect(gitlabJob().before_script.join("\n")).not.toContain("nix-setup-systemd");
  });

  test("credentials are CI/CD variables: the job names no value for them", () => {
    expect(Object.keys(gitlabJob().variables)).toEqual(["NIX_CONFIG"]);
  });
});

describe("both recipes", () => {
  test("run only commands the documentation shows, character for character", () => {
    const commands = [
      ...githubSteps().flatMap((s) => linesOf(s.run)),
      ...["before_script", "script", "after_script"].flatMap((key) => linesOf((gitlabJob() as unknown as Yaml)[key])),
    ];
    expect(commands.length).toBeGreaterThan(10);
    const undocumented = commands.filter((c) => !documented.has(c));
    expect(undocumented).toEqual([]);
  });

  test("their shell scripts pass shellcheck", async () => {
    const scripts = [
      ...githubSteps().flatMap((s) => (s.run ? [s.run] : [])),
      ...["before_script", "script", "after_script"].map((key) => linesOf((gitlabJob() as unknown as Yaml)[key]).join("\n")),
    ];
    for (const script of scripts) {
      const result = await execa("shellcheck", ["--shell=bash", "-"], { input: `${script}\n`, reject: false });
      expect(result.stdout, script).toBe("");
    }
  });

  test("never inline a credential or print one", () => {
    for (const text of [githubText, gitlabText]) {
      expect(text).not.toMatch(/Basic(%20| )[A-Za-z0-9+/=]{8,}/); // no literal basic-auth value
      expect(text).not.toMatch(/glc_[A-Za-z0-9]/); // no Grafana Cloud token
      expect(text).not.toMatch(/\b(echo|printf|cat|env|printenv)\b[^\n]*OTEL_/); // no command shows the variables
      expect(text).not.toMatch(/set -x/);
    }
  });
});
