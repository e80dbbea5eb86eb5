// The matrix recipes in examples/ci/ (*-shards.yml): N jobs running `nixotel run --shard I/N` with one
// TRACEPARENT, then one job reporting their run folders as one run. Read as the CI reads them (YAML).
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { documentedCommands, linesOf, parseYaml, type Yaml } from "./yaml.js";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface GithubJob {
  needs?: string | string[];
  if?: string;
  strategy?: { "fail-fast": boolean; matrix: { shard: number[] } };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface GitlabJob {
  parallel?: number;
  stage?: string;
  when?: string;
  needs?: string[];
  before_script: string[];
  script: string[];
  artifacts: Yaml;
}

let github: Record<string, GithubJob>;
let gitlab: Record<string, GitlabJob>;
let gitlabVariables: Record<string, string>;
let documented: Set<string>;

beforeAll(async () => {
  const [g, l, d] = await Promise.all([
    parseYaml("examples/ci/github-actions-shards.yml"),
    parseYaml("examples/ci/gitlab-ci-shards.yml"),
    documentedCommands(),
  ]);
  github = g.jobs as Record<string, GithubJob>;
  gitlabVariables = l.variables as Record<string, string>;
  gitlab = l as unknown as Record<string, GitlabJob>;
  documented = d;
});

const stepRunning = (job: GithubJob, prefix: string) => job.steps.find((s) => linesOf(s.run).some((l) => l.startsWith(prefix)));

describe("GitHub Actions matrix", () => {
  test("4 shards, each `nixotel run --shard <its index>/4`, all given the one TRACEPARENT the trace job made", () => {
    const shards = github["nixos-tests"]!;
    expect(shards.strategy).toEqual({ "fail-fast": false, matrix: { shard: [1, 2, 3, 4] } });
    expect(shards.needs).toBe("trace");
    const run = stepRunning(shards, "nixotel run");
    expect(run?.run).toBe('nixotel run --shard "$SHARD/4" --junit junit.xml');
    expect(run?.env?.SHARD).toBe("${{ matrix.shard }}"); // an expression in env:, never inside the script
    expect(run?.env?.TRACEPARENT).toBe("${{ needs.trace.outputs.traceparent }}");
    expect(github.trace?.outputs?.traceparent).toBe("${{ steps.context.outputs.traceparent }}");
  });

  test("the trace job's traceparent has the W3C shape (32 and 16 hex digits)", async () => {
    const make = github.trace!.steps.find((s) => s.id === "context")!.run!.replace(' >> "$GITHUB_OUTPUT"', "");
    const { stdout } = await execa("bash", ["-c", make]);
    expect(stdout).toMatch(/^traceparent=00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  test("each shard uploads its run folder; the report job downloads them all and reports them as one run", () => {
    const upload = github["nixos-tests"]!.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with).toEqual({ name: "nixos-tests-shard-${{ matrix.shard }}", "include-hidden-files": true, path: ".nixotel/runs/" });
    const report = github.report!;
    expect([report.needs, report.if]).toEqual(["nixos-tests", "${{ !cancelled() }}"]);
    const download = report.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    // Without merge-multiple, each artifact lands in shards/<name>/: its run folders are shards/*/*.
    expect(download?.with).toEqual({ pattern: "nixos-tests-shard-*", path: "shards" });
    expect(stepRunning(report, "nixotel report")?.run).toBe("nixotel report shards/*/* --html report.html");
  });
});

describe("GitLab CI parallel jobs", () => {
  test("4 parallel jobs, each its CI_NODE_INDEX of CI_NODE_TOTAL, one TRACEPARENT per pipeline", async () => {
    const job = gitlab["nixos-tests"]!;
    expect(job.parallel).toBe(4);
    expect(job.script).toContain('nixotel run --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL" --junit junit.xml');
    const setting = job.script.filter((l) => l.includes("TRACEPARENT")).join("\n");
    const { stdout } = await execa("bash", ["-c", `${setting}\nbash -c 'echo "$TRACEPARENT"'`], { env: { CI_PIPELINE_ID: "1234567" } });
    expect(stdout).toBe(`00-${"12d687".padStart(32, "0")}-${"12d687".padStart(16, "0")}-01`);
    expect(job.artifacts).toEqual({ when: "always", reports: { junit: "junit.xml" }, paths: [".nixotel/runs/"] });
  });

  test("the report job runs after all shards, even failed ones, on their merged run folders", () => {
    const report = gitlab["nixos-tests-report"]!;
    expect([report.stage, report.when, report.needs]).toEqual([".post", "always", ["nixos-tests"]]);
    expect(report.script).toEqual(["nixotel report .nixotel/runs/* --html report.html"]);
    expect(gitlabVariables.NIX_CONFIG).toContain("sandbox = false");
  });
});

test("both matrix recipes run only commands the docs show, and pass shellcheck", async () => {
  const commands = [
    ...Object.values(github).flatMap((job) => job.steps.flatMap((s) => linesOf(s.run))),
    ...["nixos-tests", "nixos-tests-report"].flatMap((name) => [...gitlab[name]!.before_script, ...gitlab[name]!.script]),
  ];
  expect(commands.filter((c) => !documented.has(c))).toEqual([]);
  const scripts = [
    ...Object.values(github).flatMap((job) => job.steps.flatMap((s) => (s.run ? [s.run] : []))),
    ...["nixos-tests", "nixos-tests-report"].flatMap((name) => [gitlab[name]!.before_script.join("\n"), gitlab[name]!.script.join("\n")]),
  ];
  for (const script of scripts) {
    const result = await execa("shellcheck", ["--shell=bash", "-"], { input: `${script}\n`, reject: false });
    expect(result.stdout, script).toBe("");
  }
});
