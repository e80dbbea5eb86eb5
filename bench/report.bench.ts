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
