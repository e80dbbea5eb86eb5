// The critical path and build slots with real nix on the `chain` fixture (base → first → last, base →
// last, lone cached): the chain's members exactly, its spans marked, the slots nix was given.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { ATTR } from "../../src/spans/vocabulary.js";
import { criticalDrvPaths, isOnCriticalPath } from "../../src/spans/critical-path-mark.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "./support/fixture.js";
import { newestRun } from "./support/runs.js";
import { readSpansFile } from "./support/trace.js";
import { dumpDom } from "../report/support/chromium.js";

let flake: FlakeCopy;
let traced: Invocation;
let record: RunRecord;
let spans: SpanData[];

const latestRun = (flakeDir: string) => newestRun(join(flakeDir, ".nixotel"));

beforeAll(async () => {
  flake = await copyFixture("chain");
  const where = { cwd: flake.dir, env: baseEnv() };
  const prebuilt = await nixotel(["run", "lone", "--flake", flake.ref], where);
  expect(prebuilt.code, prebuilt.stderr).toBe(0);
  traced = await nixotel(["run", "--flake", flake.ref, "--jobs", "2"], where);
  const run = await latestRun(flake.dir);
  record = run.record;
  spans = await readSpansFile(join(run.dir, "spans.jsonl"));
});

afterAll(async () => {
  await flake?.remove();
});

describe("the critical path of a run with a dependency chain", () => {
  test("is base → first → last, from the evaluation to the end of the run", () => {
    expect(traced.code, traced.stderr).toBe(0);
    const path = record.timing?.criticalPath;
    expect(path?.edges).toBe("derivations");
    expect(path?.steps.flatMap((s) => (s.kind === "build" ? [[s.name, s.check]] : []))).toEqual([
      ["base", false],
      ["first", true],
      ["last", true],
    ]);
    expect(path?.steps[0]).toMatchObject({ kind: "wait", reason: "evaluation" });
    expect(path?.steps.at(-1)).toMatchObject({ kind: "wait", reason: "after" });
    expect(path?.pathMs).toBeLessThanOrEqual(path?.wallMs ?? 0);
  });

  test("marks exactly the path's build spans; the cached check has none", () => {
    // Checks recorded as they settled were written before the path was known: readers mark them from
    // run.json's timing; what is written at the end (the dependency build `base`) carries the mark itself.
    const onPath = criticalDrvPaths(record.timing?.criticalPath);
    const marked = spans.filter((s) => isOnCriticalPath(s.attributes, onPath)).map((s) => s.name);
    expect(marked.sort()).toEqual(["build base", "build first", "build last"]);
    const markedInTrace = spans.filter((s) => s.attributes[ATTR.criticalPath] === true).map((s) => s.name);
    expect(markedInTrace).toContain("build base");
    expect(markedInTrace.every((name) => marked.includes(name))).toBe(true);
    expect(spans.some((s) => s.name === "build lone")).toBe(false);
  });

  test("counts the slots nix was given, and only the builds of this run", () => {
    const slots = record.timing?.slots;
    expect(slots).toMatchObject({ maxJobs: 2, maxJobsFrom: "--max-jobs", remoteBuilds: 0 });
    expect(slots?.peak).toBeGreaterThanOrEqual(1);
    expect(slots?.peak).toBeLessThanOrEqual(2);
    expect(slots?.steps.at(-1)?.[1]).toBe(0);
  });

  test("says it in the summary", () => {
    expect(traced.stdout).toMatch(
      /^critical path: evaluation [^→]+→ (.+ → )?base [^→]+ → (.+ → )?first [^→]+ → (.+ → )?last [^→=]+ = .+ of .+$/m,
    );
    expect(traced.stdout).toMatch(/^build slots: 2 \(--max-jobs\), all busy \d+% of \S+ building; [\d.]+ running on average, peak [12]; /m);
  });
});

describe("the HTML report of that run, in Chromium", () => {
  let dom = "";
  beforeAll(async () => {
    const page = join(flake.dir, "report.html");
    const report = await nixotel(["report", "latest", "--html", page], { cwd: flake.dir, env: baseEnv() });
    expect(report.code, report.stderr).toBe(0);
    dom = await dumpDom(page);
  });

  test("outlines the path's builds in the waterfall, and only them", () => {
    const rows = dom.split('<div class="wf-row ').slice(1);
    const critical = rows.filter((row) => / critical[ "]/.test(row.slice(0, row.indexOf(">"))));
    const labels = critical.map((row) => /<span class="wf-label">([^<]*)<\/span>/.exec(row)?.[1]);
    expect(labels.sort()).toEqual(["build base", "build first", "build last"]);
    for (const row of critical) expect(row).toMatch(/title="[^"]*\(on the critical path\)/);
  });

  test("draws the path as one bar of its steps, and the build slots against --max-jobs", () => {
    const section = dom.slice(dom.indexOf('<section id="timing">'));
    const steps = [...section.matchAll(/<span class="cp-step cp-(\w+)" style="width: ?[\d.]+%;?" title="([^":]+):/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(steps.filter(([kind]) => kind === "build").map(([, name]) => name)).toEqual(["base", "first", "last"]);
    expect(steps[0]).toEqual(["evaluation", "evaluation"]);
    expect(section).toMatch(
      /<rect class="slot-bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"><title>1 running<\/title><\/rect>/,
    );
    expect(section).toMatch(/<line class="slot-cap"/);
    expect(section).toContain("the line: 2 slots");
  });
});

describe("nix's own max-jobs", () => {
  test("is read from nix when the run does not pass --jobs", async () => {
    const copy = await copyFixture("chain");
    try {
      const run = await nixotel(["run", "first", "--flake", copy.ref], {
        cwd: copy.dir,
        env: baseEnv({ NIX_CONFIG: "substituters =\nmax-jobs = 3" }),
      });
      expect(run.code, run.stderr).toBe(0);
      const { record: own } = await latestRun(copy.dir);
      expect(own.timing?.slots).toMatchObject({ maxJobs: 3, maxJobsFrom: "nix" });
      expect(own.timing?.criticalPath?.steps.flatMap((s) => (s.kind === "build" ? [s.name] : []))).toEqual(["base", "first"]);
    } finally {
      await copy.remove();
    }
  });

  test("a run with nothing to build has no path and no slots", async () => {
    const again = await nixotel(["run", "lone", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
    expect(again.code, again.stderr).toBe(0);
    const { record: cached } = await latestRun(flake.dir);
    expect(cached.timing).toEqual({});
    expect(again.stdout).not.toMatch(/critical path/);
  });
});
