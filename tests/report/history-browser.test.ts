// The HTML report's repeat and history sections in a real browser (Debian's headless Chromium): the
// six prepared runs of tests/fixtures/runs/trend as the run folder's siblings, the last one repeated.
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { runRecord, type RepetitionRecord } from "../../src/runs/record.js";
import { repeatSummaryOf } from "../../src/runs/repeat-summary.js";
import { dumpDom } from "./support/chromium.js";
import { FIXTURE_RUNS, captureContext, tempOutDir } from "./support/fixtures.js";

const LAST = "20260206T090000.000Z-cccc06";
let out: Awaited<ReturnType<typeof tempOutDir>>;
let dom = "";
let html = "";

/** Run 6's `regressed` as if run with --repeat 4: repetitions 2 and 4 fail in subtest "login". */
async function repeatLastRun(file: string): Promise<void> {
  const record = runRecord.parse(JSON.parse(await readFile(file, "utf8")));
  const repetition = (n: number, failed: boolean): RepetitionRecord => ({
    repetition: n,
    drvPath: `/nix/store/${String(n).repeat(32)}-regressed.drv`,
    status: failed ? "fail" : "pass",
    durationMs: 400 + n * 10,
    logTail: [],
    subtests: [
      {
        name: "login",
        status: failed ? "fail" : "pass",
        durationMs: 100,
        ...(failed ? { error: 'Test "login" failed with error: "<b>wrong</b> password"' } : {}),
      },
    ],
  });
  const repetitions = [1, 2, 3, 4].map((n) => repetition(n, n % 2 === 0));
  const checks = record.checks.map((c) => (c.name === "regressed" ? { ...c, repetitions, repeat: repeatSummaryOf(repetitions) } : c));
  await writeFile(file, JSON.stringify({ ...record, checks }));
}

beforeAll(async () => {
  out = await tempOutDir();
  await mkdir(join(out.dir, "runs"), { recursive: true });
  await cp(join(FIXTURE_RUNS, "trend"), join(out.dir, "runs"), { recursive: true });
  await repeatLastRun(join(out.dir, "runs", LAST, "run.json"));
  const io = captureContext(out.dir);
  expect(await main(["report", LAST, "--out", out.dir, "--html", "page.html"], io.context), io.stderr()).toBe(0);
  html = await readFile(join(out.dir, "page.html"), "utf8");
  dom = await dumpDom(join(out.dir, "page.html"));
});
afterAll(async () => out.cleanup());

describe("the report's repeat and history sections in Chromium", () => {
  it("keeps the page self-contained under its Content-Security-Policy: every inline script has its hash", () => {
    const csp = /script-src ([^;]+);/.exec(html)![1]!;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(csp).toContain(`'sha256-${createHash("sha256").update(script).digest("base64")}'`);
    expect(html).not.toMatch(/<(link|img|iframe)\b|https?:\/\//);
  });

  it("shows the repeated check's pass rate, interval, durations and its flaky step, names as text", () => {
    const section = dom.slice(dom.indexOf('<section id="repeat">'), dom.indexOf('<section id="history">'));
    expect(section).toContain("2/4 passed (50%, 95% interval 15%–85%)");
    expect(section).toContain("duration min 410ms · median 420ms · p95 440ms · max 440ms");
    expect(section).toContain("flaky step: subtest <strong>login</strong> failed in 2 of 4 repetitions (2, 4)");
    expect(section).toContain("<code>&lt;b&gt;wrong&lt;/b&gt; password</code>");
    expect(section).not.toContain("<b>wrong</b>");
  });

  it("draws a sparkline per check: one bar per run, coloured by outcome, this run outlined", () => {
    const rows = dom.slice(dom.indexOf('<section id="history">')).split("<tr>").slice(2);
    const row = (name: string) => rows.find((r) => r.includes(`<strong>${name}</strong>`))!;
    const bars = (name: string) => [
      ...row(name).matchAll(/<rect class="(spark-[a-z]+)( spark-current)?" x="\d+" y="(\d+)" width="6" height="(\d+)">/g),
    ];
    expect(bars("regressed").map((b) => b[1])).toEqual([
      "spark-pass",
      "spark-pass",
      "spark-pass",
      "spark-fail",
      "spark-fail",
      "spark-fail",
    ]);
    expect(bars("slowing")).toHaveLength(6);
    // Height is build time: the slowest run fills the line, the 1 s runs less than half of it.
    const heights = bars("slowing").map((b) => Number(b[4]));
    expect(Math.max(...heights)).toBe(22);
    expect(heights[0]).toBeLessThan(11);
    expect(bars("slowing").filter((b) => b[2])).toHaveLength(1);
    expect(bars("slowing").at(-1)![2]).toBe(" spark-current");
    expect(row("regressed")).toContain("<title>20260204T090000.000Z-cccc04 (444444444444): fail, 500ms</title>");
    expect(row("regressed")).toContain("proven flaky");
    expect(row("slowing")).not.toContain("proven flaky");
    expect(dom).toContain("6 runs known up to this one, this run included");
  });

  it("has no history section when no other run is known", async () => {
    const alone = await tempOutDir();
    await cp(join(out.dir, "runs", LAST), join(alone.dir, "runs", LAST), { recursive: true });
    const io = captureContext(alone.dir);
    expect(await main(["report", LAST, "--out", alone.dir, "--html", "page.html"], io.context)).toBe(0);
    expect(await readFile(join(alone.dir, "page.html"), "utf8")).not.toContain('<section id="history">');
    await alone.cleanup();
  });
});
