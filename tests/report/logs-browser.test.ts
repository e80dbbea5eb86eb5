// The report's log viewer in headless Chromium: each check's whole log (not only the failing tail),
// folded per subtest, searchable, a click on a waterfall span showing the first line printed in it,
// log text shown as text, and a check of 100 000 lines drawn as a virtual list.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { dumpDom, withScript } from "./support/chromium.js";
import { captureContext, tempOutDir } from "./support/fixtures.js";
import { HOSTILE_LINE, logsRun, writeLogsRun } from "./support/scenario-logs.js";

const RUN_ID = "20261125T120000Z-10c5a1";
const FLOOD = 100_000;
let out: Awaited<ReturnType<typeof tempOutDir>>;
let page = "";
const run = logsRun(FLOOD);
const checkNames = [...new Set(run.logs.map((r) => r.attributes["cicd.pipeline.task.name"]))];

beforeAll(async () => {
  out = await tempOutDir();
  await mkdir(join(out.dir, "runs"), { recursive: true });
  await writeLogsRun(join(out.dir, "runs", RUN_ID), run);
  const io = captureContext(out.dir);
  expect(await main(["report", RUN_ID, "--out", out.dir, "--html", "logs.html"], io.context)).toBe(0);
  page = join(out.dir, "logs.html");
});
afterAll(async () => out?.cleanup());

/** The page after a script of the test's own ran (after the page's). */
async function domAfter(script: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const file = join(out.dir, `after-${Math.random().toString(16).slice(2)}.html`);
  await writeFile(file, withScript(await readFile(page, "utf8"), script));
  return dumpDom(file);
}

const logLines = (dom: string) => [
  ...dom.matchAll(
    /<div class="log-line sev-(\w)( target)?"[^>]*><span class="log-no">(\d+)<\/span><span class="log-text">([^<]*)<\/span>/g,
  ),
];

describe("the log viewer", () => {
  it("opens on a check's whole log, drawing only the rows in view of its 100 000 lines", async () => {
    const dom = await dumpDom(page);
    expect(dom).toMatch(/data-logs-render-ms="[\d.]+"/);
    const flooded = run.logs.filter((r) => r.attributes["cicd.pipeline.task.name"] === checkNames[0]).length;
    expect(flooded).toBeGreaterThan(FLOOD);
    for (const index of checkNames.keys()) expect(dom).toContain(`<option value="${index}">`);
    // The viewer opens on the first check with an error line (the failing one), its whole log.
    const failing = checkNames.findIndex((name) =>
      run.logs.some((r) => r.attributes["cicd.pipeline.task.name"] === name && r.severity === "ERROR"),
    );
    const opened = failing >= 0 ? failing : 0;
    const lines = run.logs.filter((r) => r.attributes["cicd.pipeline.task.name"] === checkNames[opened]).length;
    expect(dom).toMatch(new RegExp(`id="log-count">${lines} lines, \\d+ blocks<`));
    const drawn = logLines(dom);
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThan(200);
    expect(dom).toContain('<div class="log-block" data-block="0"');
  });

  it("shows the flooded check virtually, searches it, and folds a block", async () => {
    const dom = await domAfter(`
      const picker = document.getElementById("log-check");
      picker.value = "0"; picker.dispatchEvent(new Event("change"));
      document.body.dataset.whole = document.getElementById("log-count").textContent;
      document.body.dataset.drawn = String(document.querySelectorAll(".log-line").length);
      const search = document.getElementById("log-search");
      search.value = "flood line 9999"; search.dispatchEvent(new Event("input"));
      document.body.dataset.found = document.getElementById("log-count").textContent;
      search.value = ""; search.dispatchEvent(new Event("input"));
      document.querySelector(".log-block").click();
      document.body.dataset.folded = document.querySelector(".log-block").textContent;
    `);
    expect(dom).toMatch(/data-whole="\d{6} lines, \d+ blocks"/);
    expect(Number(/data-drawn="(\d+)"/.exec(dom)?.[1])).toBeLessThan(200);
    // 9999 and 99990…99999: eleven lines.
    expect(dom).toMatch(/data-found="11 of \d+ lines match"/);
    expect(dom).toMatch(/data-folded="▸ /);
  });

  it("a click on a subtest's span in the waterfall shows the first line printed in it", async () => {
    const dom = await domAfter(`
      const row = [...document.querySelectorAll(".wf-row")].find((r) => r.querySelector(".wf-label").textContent === "subtest: admin can log in");
      row.click();
    `);
    const target = logLines(dom).filter((m) => m[2]);
    expect(target.map((m) => m[4])).toEqual(["subtest: admin can log in"]);
  });

  it("shows what a log line says as text, never as markup", async () => {
    const dom = await dumpDom(page);
    expect(dom).not.toContain('__pwnedByLog=1"><');
    expect(dom).toContain(HOSTILE_LINE.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(dom).not.toContain('<img src="x"');
  });
});
