// The committed fixture run is exactly what the scenario builder writes through the runner's own
// serializer. `UPDATE_FIXTURES=1 npx vitest run tests/report/fixtures.test.ts` rewrites it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import { FIXTURE_RUNS } from "./support/fixtures.js";
import { mixedRun } from "./support/scenario-mixed.js";
import { runJsonText, spansJsonlText, writeRun } from "./support/write-run.js";

describe("fixture run tests/fixtures/runs/mixed", () => {
  const dir = join(FIXTURE_RUNS, "mixed");

  it("is what the scenario builder makes", async () => {
    const run = mixedRun();
    if (process.env.UPDATE_FIXTURES === "1") await writeRun(dir, run);
    expect(await readFile(join(dir, "run.json"), "utf8")).toBe(runJsonText(run));
    expect(await readFile(join(dir, "spans.jsonl"), "utf8")).toBe(spansJsonlText(run));
  });

  it("has a run.json the runner's schema accepts", async () => {
    expect(runRecord.safeParse(JSON.parse(await readFile(join(dir, "run.json"), "utf8"))).success).toBe(true);
  });
});
