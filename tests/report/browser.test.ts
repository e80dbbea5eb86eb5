// The HTML report in a real browser (Debian's headless Chromium): what is on the page after its
// script ran — checks, the failure with its log tail, waterfall bars with widths, hostile names shown
// as text and never run. Screenshots are kept in test-artifacts/ to look at.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { dumpDom, screenshot, withScript } from "./support/chromium.js";
import { MIXED_ID, captureContext, installRun, tempOutDir } from "./support/fixtures.js";
import { HOSTILE_NAME, HOSTILE_SUBTEST, mixedRun } from "./support/scenario-mixed.js";
import { largeRun } from "./support/scenario-large.js";
import { writeRun } from "./support/write-run.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const LARGE_ID = "20261125T111000Z-a1b2c3";

let out: Awaited<ReturnType<typeof tempOutDir>>;
beforeAll(async () => {
  out = await tempOutDir();
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => out.cleanup());

async function reportHtml(run: string, file: string): Promise<string> {
  const io = captureContext(out.dir);
  expect(await main(["report", run, "--out", out.dir, "--html", file], io.context)).toBe(0);
  return join(out.dir, file);
}

/** Text as Chromium's --dump-dom writes it: only &, < and > escaped. */
const domText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Bars of the waterfall as drawn: [span index, class list, left %, width %]. */
function bars(dom: string): { row: string; left: number; width: number }[] {
  const rows = dom.split('<div class="wf-row ').slice(1);
  return rows.map((row) => {
    const bar = /class="wf-bar" style="left: ([\d.]+)%; width: ([\d.]+)%;"/.exec(row);
    return { row: row.slice(0, row.indexOf(">")), left: Number(bar?.[1] ?? NaN), width: Number(bar?.[2] ?? NaN) };
  });
}

describe("the mixed run in Chromium", () => {
  let dom = "";
  beforeAll(async () => {
    await installRun(out.dir, "mixed", MIXED_ID);
    dom = await dumpDom(await reportHtml(MIXED_ID, "mixed.html"));
  });

  it("ran the page's script", () => {
    expect(dom).toMatch(/<body data-render-ms="[\d.]+">/);
    expect(dom).toContain(
      `<span class="muted small" id="wf-count">${mixedRun().spans.length} of ${mixedRun().spans.length} spans shown</span>`,
    );
  });

  it("lists every check, with subtests", () => {
    for (const check of ["nginx.<strong>startup</strong>", "nginx.<strong>broken-login</strong>", "postgres.<strong>replication</strong>"])
      expect(dom).toContain(check);
    expect(dom).toMatch(/<tr class="subtest status-pass">.*nginx serves the index › TLS handshake/);
  });

  it("shows the failure open, with its log tail", () => {
    expect(dom).toMatch(/<details class="failure" id="failure-0" open="">/);
    expect(dom).toContain(
      "error: builder for '/nix/store/b2k4l0m8w1c0kqz1xy9bx0p7fv2ypqd1-vm-test-run-broken-login.drv' failed with exit code 1",
    );
  });

  it("draws a bar with a width for every span, failed ones marked", () => {
    const drawn = bars(dom);
    expect(drawn).toHaveLength(mixedRun().spans.length);
    for (const bar of drawn) {
      expect(bar.width).toBeGreaterThan(0);
      expect(bar.left + bar.width).toBeLessThanOrEqual(100.001);
    }
    expect(drawn.filter((b) => b.row.includes("role-check failed"))).toHaveLength(1);
    const run = drawn.find((b) => b.row.startsWith("role-run"))!;
    expect([run.left, run.width]).toEqual([0, 100]);
  });

  it("shows hostile names as text and runs none of them", () => {
    expect(dom).toContain(`<span class="wf-label">${domText(HOSTILE_NAME)}</span>`);
    expect(dom).toContain(domText(HOSTILE_SUBTEST));
    expect(dom).not.toMatch(/<img/i);
    expect(dom.match(/<script/gi)).toHaveLength(3); // the log tails' script, the trace data, the waterfall
    expect(dom).not.toContain("__pwned=1</script>");
  });

  it("looks right: screenshot in test-artifacts/report-mixed.png", async () => {
    const png = join(ARTIFACTS, "report-mixed.png");
    await screenshot(join(out.dir, "mixed.html"), png);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe("PNG");
    expect((await stat(png)).size).toBeGreaterThan(20_000);
  });
});

describe("long failure logs in Chromium", () => {
  // Measured in the page, after the report's own scripts ran: per log box, whether it overflows
  // and whether it is scrolled to its end (so its last line is in view).
  const CHECKER = `(function () {
  function state(box) {
    var log = box.querySelector("pre.log");
    return (log.scrollHeight > log.clientHeight + 20 ? "overflows" : "fits") + "," + (log.scrollTop + log.clientHeight >= log.scrollHeight - 1 ? "end" : "top");
  }
  var boxes = document.querySelectorAll("details.failure");
  document.body.setAttribute("data-open-logs", [state(boxes[0]), state(boxes[1])].join(";"));
  boxes[2].addEventListener("toggle", function () { document.body.setAttribute("data-opened-log", state(boxes[2])); });
  boxes[2].open = true;
})();`;

  it("open each log box at its end, where the error is, and a closed one when it is opened", async () => {
    const id = "20261125T101600Z-10a6c2";
    const dir = await installRun(out.dir, "mixed", id);
    const record = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as { checks: { status: string; logTail: string[] }[] };
    const lines = Array.from({ length: 40 }, (_, i) => `log line ${i + 1}`);
    for (const check of record.checks.slice(0, 3)) Object.assign(check, { status: "fail", logTail: lines });
    await writeFile(join(dir, "run.json"), JSON.stringify(record));
    const file = await reportHtml(id, "long-logs.html");
    await writeFile(file, withScript(await readFile(file, "utf8"), CHECKER));
    const dom = await dumpDom(file);
    expect(dom).toMatch(/<details class="failure" id="failure-2" open="">/);
    expect(/data-open-logs="([^"]*)"/.exec(dom)?.[1]).toBe("overflows,end;overflows,end");
    expect(/data-opened-log="([^"]*)"/.exec(dom)?.[1]).toBe("overflows,end");
  });
});

describe("a run of 5001 spans in Chromium", () => {
  it("renders only the rows in view, checks first, the failed ones open", async () => {
    await writeRun(join(out.dir, "runs", LARGE_ID), largeRun(100));
    const file = await reportHtml(LARGE_ID, "large.html");
    const dom = await dumpDom(file);
    const shown = /id="wf-count">(\d+) of 5001 spans shown</.exec(dom);
    expect(Number(shown?.[1])).toBeGreaterThan(100); // 100 checks and the spans of the 6 failed ones
    const drawn = bars(dom);
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(100); // virtual rows: the page does not hold 5001 rows
    expect(drawn.every((b) => b.width > 0)).toBe(true);
    await screenshot(file, join(ARTIFACTS, "report-large.png"));
  });
});
