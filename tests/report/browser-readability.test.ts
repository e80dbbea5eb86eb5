// What a reader of the page found confusing, checked in Debian's headless Chromium after the page's
// scripts ran: a log box's first line in view cut in half, a check and its test span named twice, the
// run's own phases (evaluation, cache work) coloured like in-test spans, and a span drawn outside its
// parent without a word.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import { dumpDom, withScript } from "./support/chromium.js";
import { captureContext, tempOutDir } from "./support/fixtures.js";
import { readabilityRun } from "./support/scenario-readability.js";
import { writeRun } from "./support/write-run.js";

const ID = "20261125T120000Z-5cf92f";

// Measured in the page: whether a line of the open log box straddles the box's top edge, and the
// colour each named span's bar is drawn in.
const CHECKER = `(function () {
  var log = document.querySelector("details.failure[open] pre.log");
  var top = log.getBoundingClientRect().top;
  var range = document.createRange();
  range.selectNodeContents(log);
  var cut = Array.prototype.some.call(range.getClientRects(), function (line) { return line.top < top - 0.5 && line.bottom > top + 0.5; });
  document.body.setAttribute("data-log-top", (log.scrollTop > 0 ? "scrolled," : "unscrolled,") + (cut ? "cut" : "whole"));
  var colours = {};
  document.querySelectorAll(".wf-row").forEach(function (row) {
    colours[row.querySelector(".wf-label").textContent] = getComputedStyle(row.querySelector(".wf-bar")).backgroundColor;
  });
  document.body.setAttribute("data-colours", JSON.stringify(colours));
})();`;

let dom = "";
let out: Awaited<ReturnType<typeof tempOutDir>>;
beforeAll(async () => {
  out = await tempOutDir();
  await writeRun(join(out.dir, "runs", ID), readabilityRun());
  const file = join(out.dir, "readability.html");
  expect(await main(["report", ID, "--out", out.dir, "--html", file], captureContext(out.dir).context)).toBe(0);
  await writeFile(file, withScript(await readFile(file, "utf8"), CHECKER));
  dom = await dumpDom(file);
});
afterAll(async () => out.cleanup());

const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(dom)?.[1]?.replace(/&quot;/g, '"');
const row = (label: string) => dom.split('<div class="wf-row ').find((r) => r.includes(`<span class="wf-label">${label}</span>`)) ?? "";

describe("the page's readability in Chromium", () => {
  it("opens a long log scrolled to its end with the first line in view whole", () => {
    expect(attribute("data-log-top")).toBe("scrolled,whole");
  });

  it("names a check once: its test span, named like it, is shown as testScript (the full name in its tooltip)", () => {
    expect(dom.match(/<span class="wf-label">test\.web\.login<\/span>/g)).toHaveLength(1);
    expect(row("testScript")).toMatch(/title="test\.web\.login — 16\.0s at \+2\.50s"/);
  });

  it("colours the run's own phases apart from in-test spans, and says so in the legend", () => {
    expect(row("evaluate checks")).toMatch(/^role-phase"/); // written before spans recorded their role
    expect(row("nix: query binary caches")).toMatch(/^role-phase"/); // recorded as a phase
    const colours = JSON.parse(attribute("data-colours") ?? "{}") as Record<string, string>;
    expect(colours["evaluate checks"]).toBeDefined();
    expect(colours["evaluate checks"]).not.toBe(colours["test.web.curl-post"]);
    expect(colours["evaluate checks"]).not.toBe(colours["nixotel run"]);
    expect(dom).toContain(`<i style="background:var(--phase)"></i>run phase</span>`);
  });

  it("marks a span that starts before its parent, and says by how much", () => {
    const outside = row("test.web.curl-post");
    expect(outside).toMatch(/^role-test outside"/);
    expect(outside).toContain("starts 32ms before its parent; drawn at the times it was recorded with");
    expect(outside).toContain(`<span class="wf-warn">outside parent</span>`);
    expect(row("subtest: form posts")).not.toContain("outside");
  });
});
