// The HTML page as text: self-contained, hostile names escaped everywhere, data embedded so that
// JSON.parse gives back exactly the names, and a large run's data complete.
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { renderPage } from "../../src/report/html/engine.js";
import { jsonForScript } from "../../src/report/html/escape.js";
import type { WaterfallData } from "../../src/report/html/page-data.js";
import { reportPage } from "../../src/report/html/page.js";
import { runView } from "../../src/runs/read-view.js";
import { HOSTILE_NAME, HOSTILE_SUBTEST, HOSTILE_SUITE, mixedRun } from "./support/scenario-mixed.js";
import { largeRun } from "./support/scenario-large.js";

// The page's own escaping: Handlebars' (`'` as &#x27;, `=` as &#x3D;, and `\``).
const escapeHtml = Handlebars.escapeExpression;

const embedded = (html: string): WaterfallData => {
  const match = /<script type="application\/json" id="nixotel-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error("no embedded data");
  return JSON.parse(match[1]!) as WaterfallData;
};

describe("escaping", () => {
  it("escapes every value the page shows, in text and in attributes", () => {
    const run = mixedRun();
    const hostile = `"><script>alert('flake')</script>`;
    const html = reportPage(runView({ ...run.record, flake: hostile, traceId: hostile }, run.spans));
    expect(html).not.toContain(hostile);
    expect(html).toContain(`flake <code>${escapeHtml(hostile)}</code>`);
  });

  it("renders strictly: a field the page template needs but the view lacks is an error, not an empty string", () => {
    expect(() => renderPage({})).toThrow(/"scriptHashes" not defined/);
  });

  it("embeds JSON with no way out of its script element, and reads back unchanged", () => {
    const value = { n: "</script><!-- \u2028 \u2029 & <SCRIPT>", m: "</ScRiPt >" };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("the page of the mixed run", () => {
  const run = mixedRun();
  const html = reportPage(runView(run.record, run.spans));

  it("needs no network: no external script, style, font or image", () => {
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|audio|video)\b|<script[^>]*\bsrc=|@import|url\(|href="(?!#)/i);
    expect(html).toContain(`content="default-src 'none';`);
  });

  it("says how many spans the collector refused for good, and why", () => {
    const run = mixedRun();
    Object.assign(run.record.export, {
      endpoint: "http://collector:4318/v1/traces",
      delivered: false,
      spooled: 0,
      rejected: 12,
      rejection: "HTTP 400 Bad Request: <bad>",
    });
    expect(reportPage(runView(run.record, run.spans))).toContain("; 12 spans refused for good (HTTP 400 Bad Request: &lt;bad&gt;)");
  });

  it("never lets a hostile name out as markup", () => {
    for (const name of [HOSTILE_NAME, HOSTILE_SUITE, HOSTILE_SUBTEST]) expect(html).not.toContain(name);
    expect(html).toContain(escapeHtml(HOSTILE_NAME));
    expect(html).toContain(escapeHtml(HOSTILE_SUBTEST));
    // Exactly our three script elements open and close: the log tails', the trace data, the waterfall.
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
  });

  it("embeds every span, parents first, with names intact", () => {
    const data = embedded(html);
    expect(data.spans).toHaveLength(run.spans.length);
    expect(data.spans.map((s) => s.name)).toEqual(
      expect.arrayContaining([HOSTILE_NAME, `subtest: ${HOSTILE_SUBTEST}`, "subtest: machine boots"]),
    );
    data.spans.forEach((s, i) => expect(s.parent).toBeLessThan(i));
    const hostileSubtest = data.spans.find((s) => s.name === `subtest: ${HOSTILE_SUBTEST}`)!;
    expect(hostileSubtest.attributes).toContainEqual(["</script>", "<!--"]);
  });

  it("flags failed, cached and moved spans, and keeps phase events on builds", () => {
    const data = embedded(html);
    const flags = (name: string) =>
      data.spans.filter((s) => s.name === name).map(({ failed = false, moved = false, cached = false }) => ({ failed, moved, cached }));
    expect(flags("test.nginx.broken-login")).toEqual([
      { failed: true, moved: false, cached: false },
      { failed: true, moved: false, cached: false },
    ]);
    expect(flags("test.postgres.replication")).toEqual([
      { failed: false, moved: false, cached: true },
      { failed: false, moved: true, cached: false },
    ]);
    const build = data.spans.find((s) => s.name === "build nginx-1.27.3")!;
    expect(build.events.map(({ name }) => name)).toEqual([
      "unpackPhase",
      "patchPhase",
      "configurePhase",
      "buildPhase",
      "checkPhase",
      "installPhase",
      "fixupPhase",
    ]);
    expect(build.events.every(({ atMs }) => atMs > build.startMs && atMs < build.endMs)).toBe(true);
  });

  it("shows the failure with its log tail and the checks with their subtests", () => {
    expect(html).toMatch(/<details class="failure" id="failure-0" open><summary>.*nginx\.<strong>broken-login<\/strong>/);
    expect(html).toContain(escapeHtml(`Test "admin can log in" failed with error:`));
    expect(html).toMatch(/<tr class="subtest status-fail">.*admin can log in/);
    expect(html).toMatch(/<span class="pill pill-cached">cached<\/span>/);
  });
});

describe("the page's title", () => {
  it("names the command that made the run", () => {
    const run = mixedRun();
    expect(reportPage(runView(run.record, run.spans))).toContain(`<title>nixotel run ${run.record.runId} — failure</title>`);
    const check = reportPage(runView({ ...run.record, command: "check" }, run.spans));
    expect(check).toContain(`<title>nixotel check ${run.record.runId} — failure</title>`);
    expect(check).toContain(`<h1>nixotel check <span class="mono">${run.record.runId}</span></h1>`);
  });
});

describe("the page of a large run", () => {
  it("carries all 5001 spans", () => {
    const run = largeRun(100);
    const html = reportPage(runView(run.record, run.spans));
    expect(embedded(html).spans).toHaveLength(5001);
    expect(html.match(/<tr class="check /g)).toHaveLength(100);
  });

  it("folds passing checks' subtests (closed), and lists failing checks' subtests as rows", () => {
    const run = largeRun(100);
    const html = reportPage(runView(run.record, run.spans));
    const rows = html.split('<tr class="check ').slice(1);
    const passing = rows.filter((row) => row.startsWith("status-pass"));
    expect(passing).toHaveLength(94);
    for (const row of passing) expect(row).toMatch(/<details class="subtests"><summary>12 subtests<\/summary><table class="subtests">/);
    expect(html).not.toMatch(/<details class="subtests" open/);
    // Each failing check is followed by its 12 subtest rows in the checks table itself.
    const table = html.slice(html.indexOf('<section id="checks">'));
    expect(table.match(/\n<tr class="subtest /g)).toHaveLength(6 * 12);
    expect(table.match(/<tr class="subtest /g)).toHaveLength(100 * 12); // none is lost, folded or not
    expect(table).toContain("More than 20 checks: the subtests of passing checks are folded");
  });

  it("folds nothing up to 20 checks", () => {
    const run = largeRun(20);
    const html = reportPage(runView(run.record, run.spans));
    expect(html).not.toContain('<details class="subtests">');
    expect(html.slice(html.indexOf('<section id="checks">')).match(/\n<tr class="subtest /g)).toHaveLength(20 * 12);
  });
});
