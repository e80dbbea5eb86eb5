// "Where the time went" in a real browser (Debian's headless Chromium): the mixed run with driver action
// spans added under its subtests, as `nixotel run` records them; a target that is hostile HTML shows as text.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/main.js";
import type { SpanData } from "../../src/spans/model.js";
import { dumpDom } from "./support/chromium.js";
import { captureContext, MIXED_ID, tempOutDir } from "./support/fixtures.js";
import { mixedRun } from "./support/scenario-mixed.js";
import { SpanMaker } from "./support/span-maker.js";
import { writeRun } from "./support/write-run.js";

const HOSTILE_TARGET = `<img src=x onerror="window.__pwned=3">`;

/** The mixed run, with actions under the startup check's subtests: boot 12 s, waits 5 s and 1.5 s, a command 0.5 s. */
function runWithActions() {
  const run = mixedRun();
  const named = (name: string) => run.spans.find((s) => s.name === name)!;
  const m = new SpanMaker(run.record.traceId, named("nixotel run").startNs);
  const action = (parent: SpanData, verb: string, from: number, to: number, target?: string, failed?: string) =>
    m.add(
      parent,
      verb,
      from,
      to,
      {
        "nixotel.role": "action",
        "nixos.test.action": verb,
        "nixos.test.machine": "machine",
        ...(target ? { "nixos.test.action.target": target } : {}),
      },
      failed ? { failed } : {},
    );
  const boots = named("subtest: machine boots");
  action(boots, "boot", 31.2, 43.2);
  action(boots, "wait_for_unit", 43.2, 48.2, "nginx.service");
  const serve = named("subtest: nginx serves the index");
  action(serve, "wait_for_open_port", 52.8, 54.3, "localhost:80");
  action(serve, "succeed", 54.3, 54.8, HOSTILE_TARGET);
  // Span ids of the added spans must not collide with the mixed run's.
  for (const span of m.spans) span.spanId = `a${span.spanId.slice(1)}`;
  return { record: run.record, spans: [...run.spans, ...m.spans] };
}

describe("the time section in Chromium", () => {
  let out: Awaited<ReturnType<typeof tempOutDir>>;
  let dom = "";
  beforeAll(async () => {
    out = await tempOutDir();
    await writeRun(join(out.dir, "runs", MIXED_ID), runWithActions());
    const io = captureContext(out.dir);
    expect(await main(["report", MIXED_ID, "--out", out.dir, "--html", "time.html"], io.context)).toBe(0);
    dom = await dumpDom(join(out.dir, "time.html"));
  });
  afterAll(async () => out?.cleanup());

  it("breaks the startup check's time down by kind, with a bar whose parts add up", () => {
    const row = /<tr><td>nginx\.startup<\/td>(.*?)<\/tr>/.exec(dom)?.[1] ?? "";
    const cells = [...row.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    // The startup check span lasts 48.6 s (30.3 → 78.9): 12 s boot, 6.5 s waiting, 0.5 s commands, 29.6 s the rest.
    expect(cells).toEqual(["48.6s", "12.0s", "6.5s", "500ms", "29.6s"]);
    const widths = [...row.matchAll(/class="tk-(\w+)" style="width:([\d.]+)%"/g)].map((m) => [m[1], Number(m[2])]);
    expect(widths.map(([kind]) => kind)).toEqual(["boot", "waiting", "commands", "rest"]);
    expect(widths.reduce((sum, [, w]) => sum + Number(w), 0)).toBeCloseTo(100, 0);
  });

  it("lists the slowest actions with machine, target and check, hostile text shown as text", () => {
    const rows = [
      ...dom.matchAll(
        /<tr(?: class="failed")?><td class="num">([^<]*)<\/td><td><code>(\w+)<\/code><\/td><td>(\w+)<\/td><td class="target">([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => m.slice(1));
    expect(rows).toEqual([
      ["12.0s", "boot", "machine", "—", "nginx.startup"],
      ["5.0s", "wait_for_unit", "machine", "nginx.service", "nginx.startup"],
      ["1.5s", "wait_for_open_port", "machine", "localhost:80", "nginx.startup"],
      ["500ms", "succeed", "machine", '&lt;img src=x onerror="window.__pwned=3"&gt;', "nginx.startup"],
    ]);
    expect(dom).not.toContain('__pwned=3"><');
  });
});
