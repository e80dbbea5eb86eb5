// How fast `nixotel report --html` is on a run of 5001 spans: building the page in Node, and the
// page's own script in headless Chromium (it records its time in <body data-render-ms>).
// Run: npx vitest bench --run bench/report.bench.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, bench, describe } from "vitest";
import { reportPage } from "../src/report/html/page.js";
import { runView } from "../src/runs/read-view.js";
import { dumpDom } from "../tests/report/support/chromium.js";
import { largeRun } from "../tests/report/support/scenario-large.js";
import { logsRun, writeLogsRun } from "../tests/report/support/scenario-logs.js";

const run = largeRun(100);
const dir = await mkdtemp(join(tmpdir(), "nixotel-bench-"));
const file = join(dir, "large.html");
const page = reportPage(runView(run.record, run.spans));
await writeFile(file, page);
console.log(`page: ${(Buffer.byteLength(page) / 1e6).toFixed(2)} MB`);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe(`report of ${run.spans.length} spans`, () => {
  bench("span tree + HTML page in Node", () => void reportPage(runView(run.record, run.spans)), { iterations: 20 });

  bench(
    "Chromium: open the file, run the script (page's own time printed)",
    async () => {
      const dom = await dumpDom(file);
      console.log(`page script: ${/data-render-ms="([\d.]+)"/.exec(dom)?.[1] ?? "?"} ms`);
    },
    { iterations: 3, time: 0 },
  );
});

// The log viewer on a check of 100 000 lines (tests/report/support/scenario-logs.ts): the page's
// logs script records its own time in <body data-logs-render-ms>.
const logsDir = await mkdtemp(join(tmpdir(), "nixotel-bench-logs-"));
const logsRunData = logsRun(100_000);
await writeLogsRun(join(logsDir, "runs", "20261125T120000Z-10c5a1"), logsRunData);
const logsPage = reportPage(runView(logsRunData.record, logsRunData.spans), [], logsRunData.logs);
const logsFile = join(logsDir, "logs.html");
await writeFile(logsFile, logsPage);
console.log(`logs page: ${(Buffer.byteLength(logsPage) / 1e6).toFixed(2)} MB, ${logsRunData.logs.length} log lines`);
afterAll(() => rm(logsDir, { recursive: true, force: true }));

describe(`report with ${logsRunData.logs.length} log lines`, () => {
  bench("HTML page with the logs in Node", () => void reportPage(runView(logsRunData.record, logsRunData.spans), [], logsRunData.logs), {
    iterations: 5,
  });
  bench(
    "Chromium: open the file, run the scripts (the log viewer's own time printed)",
    async () => {
      const dom = await dumpDom(logsFile);
      console.log(`log viewer script: ${/data-logs-render-ms="([\d.]+)"/.exec(dom)?.[1] ?? "?"} ms`);
    },
    { iterations: 3, time: 0 },
  );
});
