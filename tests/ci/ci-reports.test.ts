// What CIs show besides the log, against golden files in tests/golden/ci/ (UPDATE_GOLDEN=1 rewrites
// them): GitHub's job summary and annotations, GitLab's collapsible sections. Input: the `mixed` run
// (a failing check with a failing subtest, a cached one, one whose name is hostile HTML).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { githubAnnotations } from "../../src/report/github-annotations.js";
import { githubSummary } from "../../src/report/github-summary.js";
import { gitlabSections } from "../../src/report/gitlab-sections.js";
import { linesOf, testLocations } from "../../src/report/test-files.js";
import { runRecord, type RunRecord } from "../../src/runs/record.js";
import { baseEnv, copyFixture, nixotel } from "../runner/support/fixture.js";

const GOLDEN = join(import.meta.dirname, "..", "golden", "ci");
const record: RunRecord = runRecord.parse(
  JSON.parse(readFileSync(join(import.meta.dirname, "..", "fixtures", "runs", "mixed", "run.json"), "utf8")),
);

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

// A checkout with the failing check's test file where `nixotel new` puts it.
const TEST_FILE = `{ nixotel, ... }:
{
  name = "broken-login";
  nodes.machine = { };
  testScript = nixotel.lib.tracedTestScript { name = "broken-login"; suite = "nginx"; } ''
    machine.wait_for_unit("nginx.service")
    with subtest("login page loads"):
        machine.succeed("curl -f http://localhost/login")
    with subtest("admin can log in"):
        machine.succeed("curl -f -d user=admin http://localhost/login")
  '';
}
`;

let checkout: string;
beforeAll(async () => {
  checkout = await mkdtemp(join(tmpdir(), "nixotel-ci-"));
  await mkdir(join(checkout, "tests"));
  await writeFile(join(checkout, "tests", "broken-login.nix"), TEST_FILE);
});
afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
});

const places = {
  runDir: ".nixotel/runs/20261125T101500Z-3fa9c2",
  spansFile: ".nixotel/runs/20261125T101500Z-3fa9c2/spans.jsonl",
  junitFile: "junit.xml",
};

describe("GitHub", () => {
  test("the job summary: result, failures with their log tails, slowest checks, where the run is", () => {
    const text = githubSummary(record, places);
    expectGolden("github-summary.md", text);
    expect(text).not.toContain("<script>"); // the hostile check name stays text
  });

  test("annotations point at the test file, the failing subtest at its line", async () => {
    const locations = await testLocations(record.checks, checkout, checkout);
    expect(locations.get("broken-login")).toEqual({
      file: "tests/broken-login.nix",
      line: 5,
      scriptStart: 6,
      subtests: { "login page loads": 7, "admin can log in": 9 },
    });
    const text = githubAnnotations(record, locations);
    expectGolden("github-annotations.txt", text);
    expect(text.split("\n")[1]).toMatch(/^::error file=tests\/broken-login\.nix,line=9,title=subtest "admin can log in" failed::/);
  });

  test("a check's traceback puts its annotation on the testScript line that failed", async () => {
    const locations = await testLocations(record.checks, checkout, checkout);
    const broken = record.checks.find((c) => c.name === "broken-login")!;
    // As withUserLineNumbers leaves the driver's traceback: frames in the user's testScript numbering.
    const logTail = [
      "Traceback (most recent call last):",
      '  File "testScript", line 3, in <module>',
      '  File "testScript", line 5, in <module>',
      "Exception: curl failed",
    ];
    const first = githubAnnotations({ ...record, checks: [{ ...broken, logTail }] }, locations).split("\n")[0];
    // testScript line 5 (the innermost frame) is the file's line 10: `machine.succeed("curl -f -d user=admin …")`.
    expect(first).toMatch(/^::error file=tests\/broken-login\.nix,line=10,title=/);
    expect(TEST_FILE.split("\n")[9]).toContain("user=admin");
    // Without a traceback, the testScript's own line, as before.
    expect(githubAnnotations(record, locations).split("\n")[0]).toMatch(/^::error file=tests\/broken-login\.nix,line=5,/);
  });

  test("flaky checks (passed on a retry of the same derivation) get their own list", () => {
    const startup = record.checks[0]!;
    const attempts = [
      { attempt: 1, status: "fail" as const, durationMs: 1000, logTail: [] },
      { attempt: 2, status: "pass" as const, durationMs: 1000, logTail: [] },
    ];
    const text = githubSummary({ ...record, checks: [{ ...startup, flaky: true, attempts }] }, places);
    expect(text).toContain("### Flaky\n\n- nginx.startup: passed on attempt 2 of the same derivation\n");
    expect(githubSummary(record, places)).not.toContain("### Flaky");
  });

  test("annotation values cannot end a property or the command", () => {
    const check = { ...record.checks[1]!, name: "a,b:c", logTail: ["100% done\nnext"] };
    const text = githubAnnotations({ ...record, checks: [check] }, new Map());
    expect(text).toBe(
      '::error title=nginx.a%2Cb%3Ac failed (test_failed)::100%25 done%0Anext\n::error title=subtest "admin can log in" failed::admin can log in failed in nginx.a,b:c\n',
    );
  });

  test("subtest lines are found for both quote styles, the first testScript line wins", () => {
    expect(linesOf(`testScript = ''\n  with subtest('it\\'s up'):\n  with subtest("x"):\n'';\n# testScript again`)).toEqual({
      line: 1,
      scriptStart: 2,
      subtests: { "it\\'s up": 2, x: 3 },
    });
  });
});

test("GitLab: one collapsed section per failing check", () => {
  const text = gitlabSections(record);
  expectGolden("gitlab-sections.txt", text);
  expect(
    text.startsWith(
      "\x1b[0Ksection_start:1795601796:nixotel_failed_1_broken-login[collapsed=true]\r\x1b[0KFAIL nginx.broken-login (test_failed)\n",
    ),
  ).toBe(true);
  expect(gitlabSections({ ...record, checks: record.checks.filter((c) => c.status === "pass") })).toBe("");
});

test("the files stay put: nothing outside the checkout is read for a check's name", async () => {
  const escaping = { ...record.checks[0]!, name: "../../etc/passwd" };
  expect((await testLocations([escaping], checkout, checkout)).size).toBe(0);
  expect(await readFile(join(checkout, "tests", "broken-login.nix"), "utf8")).toBe(TEST_FILE);
});

test("`nixotel run` in GitHub Actions appends the summary and prints annotations; in GitLab, sections", async () => {
  const flake = await copyFixture("mixed");
  try {
    const summaryFile = join(flake.dir, "step-summary.md");
    await writeFile(summaryFile, "earlier step\n");
    const env = baseEnv({ GITHUB_STEP_SUMMARY: summaryFile, GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: flake.dir, GITLAB_CI: "true" });
    const result = await nixotel(["run", "--flake", flake.ref], { cwd: flake.dir, env });
    expect(result.code, result.stderr).toBe(1);
    const summary = await readFile(summaryFile, "utf8");
    expect(summary).toMatch(/^earlier step\n## ❌ nixotel run: failure\n/);
    expect(summary).toContain("<details open><summary><b>nixos-tests.fail</b> — test\\_failed</summary>");
    expect(result.stdout).toMatch(/^::error title=nixos-tests\.fail failed \(test_failed\)::/m);
    expect(result.stdout).toContain("\x1b[0Ksection_start:");
    expect(result.stdout).toContain("[collapsed=true]\r\x1b[0KFAIL nixos-tests.fail (test_failed)\n");
  } finally {
    await flake.remove();
  }
});
